//! What every command line of the chapter shares: `--format`, and a mistake
//! refused in one line with exit status 2 (`--help` still prints the usage).
use ch07_putting_it_together::formats::Format;

pub use one_line_cli::{one_line, parse};

/// `--format`: a format, or `None` to detect it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatArg(pub Option<Format>);

/// `auto` or a format's name.
pub fn format(text: &str) -> Result<FormatArg, String> {
    if text == "auto" {
        return Ok(FormatArg(None));
    }
    Format::ALL
        .into_iter()
        .find(|f| f.name() == text)
        .map(|f| FormatArg(Some(f)))
        .ok_or_else(|| {
            "expected auto, common, combined or vhost_combined".to_owned()
        })
}
