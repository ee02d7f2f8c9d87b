// Adds `retry=true` to the query string of a request target, by hand, so that the
// server (and whoever reads its logs) can tell a refired request from the first
// one.
//
// Only std: the book runs this file in the browser (its `main` is at the end).
#![allow(dead_code)] // in the browser, nothing outside `main` uses the public items

// ANCHOR: rewrite
/// The parameter the tool adds.
pub const RETRY_PARAM: &str = "retry=true";

/// Adds `retry=true` to the query of `target` (a path with an optional `?query` and
/// `#fragment`, as in a request line).
///
/// With no query, it becomes `?retry=true`; with one, `&retry=true` goes at its
/// end. All else is kept byte for byte (the path, the parameters in order, their
/// percent-encoding, the `#fragment`, last). A query that holds `retry=true`
/// already is left as it is.
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

// ANCHOR: main
/// The rewrite on each case a log can hold (`src/bin/03_rewrite_url.rs` runs this).
pub fn main() {
    let targets = [
        "/items/17",                      // no query yet
        "/items/17?src=feed",             // one parameter
        "/items/17?src=feed&page=2",      // parameters keep their order
        "/items/17?q=caf%C3%A9&sort=new", // percent-encoding untouched
        "/items/17?",                     // an empty query
        "/items/17?src=feed&",            // a trailing '&'
        "/items/17?src=feed#reviews",     // the fragment stays last
        "/items/17#top?not=a-query",      // a '?' after '#' is part of the fragment
        "/items/17?src=feed&retry=true",  // already there: unchanged
        "/items/17?retry=false",          // another value is another parameter
    ];
    for target in targets {
        println!("{target:<31} -> {}", with_retry(target));
    }
    // Rewriting twice is the same as rewriting once.
    let once = with_retry("/items/17?src=feed");
    println!("twice the same as once: {}", with_retry(&once) == once);
}
// ANCHOR_END: main
