//! Adds `retry=true` to a request target's query string, keeping everything else byte for byte.
use ch07_putting_it_together::rewrite::with_retry;

// ANCHOR: main
fn main() {
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
