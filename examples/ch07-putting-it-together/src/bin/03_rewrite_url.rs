//! Adds `retry=true` to a request target's query string, keeping everything else
//! byte for byte.

// The listing lives in the library's `rewrite` module, beside the function it
// shows, so the book can run that one file in the browser.
fn main() {
    ch07_putting_it_together::rewrite::main();
}
