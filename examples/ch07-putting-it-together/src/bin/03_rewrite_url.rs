//! Adds `retry=true` to a request target's query string, keeping everything else
//! byte for byte.

// The listing lives in the library's `rewrite` module, beside the function it
// shows, so the book can run that one file in the browser.
fn main() {
    if std::env::args().len() > 1 {
        eprintln!("usage: 03_rewrite_url (it takes no arguments)");
        std::process::exit(2);
    }
    ch07_putting_it_together::rewrite::main();
}
