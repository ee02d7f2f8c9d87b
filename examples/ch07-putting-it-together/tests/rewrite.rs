//! `with_retry` adds exactly one `retry=true` and keeps everything else byte for
//! byte.
use ch07_putting_it_together::rewrite::{RETRY_PARAM, with_retry};
use proptest::prelude::*;

/// Splits a target into (path, query, fragment) the way the rewrite defines them.
fn parts(target: &str) -> (&str, Option<&str>, Option<&str>) {
    let (before, fragment) = match target.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (target, None),
    };
    match before.split_once('?') {
        Some((p, q)) => (p, Some(q), fragment),
        None => (before, None, fragment),
    }
}

fn params(query: &str) -> Vec<&str> {
    query.split('&').filter(|p| !p.is_empty()).collect()
}

/// Targets like a log holds: a path, maybe a query of percent-encoded parameters
/// (some of them `retry=…`, some empty), maybe a fragment that may itself hold `?`,
/// `&` and `=`.
fn target() -> impl Strategy<Value = String> {
    let piece = "[a-zA-Z0-9._~-]{0,6}(%[0-9A-F]{2})?[a-z0-9]{0,3}";
    let param = prop_oneof![
        (piece, piece).prop_map(|(k, v)| format!("{k}={v}")),
        Just("retry=false".to_owned()),
        Just("retry%3Dtrue".to_owned()),
        Just(String::new()),
        piece.prop_map(|k| k.to_owned()),
    ];
    (
        "(/[a-z0-9%]{1,8}){1,3}",
        proptest::option::of(proptest::collection::vec(param, 0..6)),
        proptest::option::of("[a-z0-9?&=/]{0,10}"),
    )
        .prop_map(|(path, query, fragment)| {
            let mut target = path;
            if let Some(query) = query {
                target.push('?');
                target.push_str(&query.join("&"));
            }
            if let Some(fragment) = fragment {
                target.push('#');
                target.push_str(&fragment);
            }
            target
        })
}

proptest! {
    #[test]
    fn original_parameters_survive_in_order_and_one_retry_true_is_added(target in target()) {
        prop_assume!(!params(parts(&target).1.unwrap_or("")).contains(&RETRY_PARAM));
        let out = with_retry(&target);
        let (path, query, fragment) = parts(&target);
        let (out_path, out_query, out_fragment) = parts(&out);
        // The path and the fragment are untouched, and the fragment is still last.
        prop_assert_eq!(out_path, path);
        prop_assert_eq!(out_fragment, fragment);
        // The original query is a prefix of the new one, byte for byte...
        let out_query = out_query.expect("a query after the rewrite");
        prop_assert!(out_query.starts_with(query.unwrap_or("")));
        // ...so the original parameters come first, in their order, and then
        // exactly one more: `retry=true`.
        let before = params(query.unwrap_or(""));
        let after = params(out_query);
        prop_assert_eq!(&after[..before.len()], &before[..]);
        prop_assert_eq!(&after[before.len()..], &[RETRY_PARAM][..]);
        prop_assert_eq!(after.iter().filter(|p| **p == RETRY_PARAM).count(), 1);
        // Nothing but the parameter and at most one separator was added.
        prop_assert!(out.len() <= target.len() + RETRY_PARAM.len() + 1);
    }

    #[test]
    fn rewriting_is_idempotent(target in target()) {
        let once = with_retry(&target);
        prop_assert_eq!(with_retry(&once), once);
    }

    #[test]
    fn a_target_that_has_retry_true_already_is_unchanged(target in target()) {
        let (path, query, fragment) = parts(&target);
        let mut with = format!("{path}?{}", query.map_or(String::new(), |q| format!("{q}&")));
        with.push_str(RETRY_PARAM);
        if let Some(fragment) = fragment {
            with.push('#');
            with.push_str(fragment);
        }
        prop_assert_eq!(with_retry(&with), with);
    }
}

#[test]
fn examples() {
    for (target, expected) in [
        ("/a", "/a?retry=true"),
        ("/a?", "/a?retry=true"),
        ("/a?x=1", "/a?x=1&retry=true"),
        ("/a?x=1&", "/a?x=1&retry=true"),
        ("/a?x=%2F&y", "/a?x=%2F&y&retry=true"),
        ("/a#f", "/a?retry=true#f"),
        ("/a?x=1#f?g=2", "/a?x=1&retry=true#f?g=2"),
        ("/a?retry=true", "/a?retry=true"),
        ("/a?retry=trueish", "/a?retry=trueish&retry=true"),
    ] {
        assert_eq!(with_retry(target), expected, "{target}");
    }
}
