// Adds `retry=true` to the query string of a request target, by hand, so that the server
// (and whoever reads its logs) can tell a refired request from the first one.

// ANCHOR: rewrite
/// The parameter the tool adds.
pub const RETRY_PARAM: &str = "retry=true";

/// Adds `retry=true` to the query of `target` (a path with an optional `?query` and
/// `#fragment`, as in a request line).
///
/// - With no query, it becomes `?retry=true`; with one, `&retry=true` goes at its end.
/// - Everything else is kept byte for byte: the path, every parameter in its order, the
///   percent-encoding (`%C3%A9` stays `%C3%A9`), and the `#fragment`, which stays last.
/// - A target whose query already holds the parameter `retry=true` comes back unchanged,
///   so rewriting twice is the same as rewriting once. Any other `retry` value
///   (`retry=false`, `retry%3Dtrue`) is a different parameter, kept as it is.
pub fn with_retry(target: &str) -> String {
    // The fragment starts at the first '#'; the query at the first '?' before it.
    let (before_fragment, fragment) = match target.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (target, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (before_fragment, None),
    };
    let query = query.unwrap_or("");
    if query.split('&').any(|param| param == RETRY_PARAM) {
        return target.to_owned();
    }
    let mut out = String::with_capacity(target.len() + RETRY_PARAM.len() + 2);
    out.push_str(path);
    out.push('?');
    out.push_str(query);
    // No '&' after an empty query or one that already ends with '&'.
    if !query.is_empty() && !query.ends_with('&') {
        out.push('&');
    }
    out.push_str(RETRY_PARAM);
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}
// ANCHOR_END: rewrite
