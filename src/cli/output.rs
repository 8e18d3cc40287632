//! Everything a command prints or writes leaves through here: redacted, then guarded in the
//! escapes of where it goes ([`guarded`]), so that no subcommand can put a key, a CI workflow
//! command or a character that acts on the terminal into its output, whatever the target or a
//! file sent.

use std::io::Write;
use std::path::Path;

use extracta_contract::Redactor;
use extracta_contract::redact::{Channel, guarded};
use extracta_contract::report::text::escaped;

/// Where a command's human text goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Out,
    /// Standard error (when a report takes standard output, or for what is not the result).
    Err,
}

/// Text on its way out of the process: every line and every file passes the redactor, then
/// the guard of its channel.
pub struct Output {
    redactor: Redactor,
    text: Stream,
    colour: bool,
}

impl Output {
    /// Output to standard output, in plain text, with `redactor`.
    pub fn new(redactor: Redactor) -> Self {
        Output {
            redactor,
            text: Stream::Out,
            colour: false,
        }
    }

    /// The same, with the human text on `stream`.
    #[must_use]
    pub fn on(mut self, stream: Stream) -> Self {
        self.text = stream;
        self
    }

    /// The same, painting with colour (on a terminal).
    #[must_use]
    pub fn coloured(mut self, colour: bool) -> Self {
        self.colour = colour;
        self
    }

    /// `text` (redacted already) as it may leave as lines: guarded.
    fn shown(text: &str, colour: bool) -> String {
        guarded(text, Channel::Text { colour }).into_owned()
    }

    fn write(stream: Stream, text: &str) {
        let _ = match stream {
            Stream::Out => writeln!(std::io::stdout(), "{text}"),
            Stream::Err => writeln!(std::io::stderr(), "{text}"),
        };
    }

    /// Lines laid out by a report, whose line breaks are ours (its text from the target is
    /// escaped already); coloured where the output is.
    pub fn lines(&self, text: &str) {
        Self::write(
            self.text,
            &Self::shown(&self.redactor.redact(text), self.colour),
        );
    }

    /// One line that may hold anything: a line break in it is shown as `\n`.
    pub fn line(&self, text: &str) {
        self.line_on(self.text, text);
    }

    /// One line on `stream`, whatever the human text's stream.
    pub fn line_on(&self, stream: Stream, text: &str) {
        Self::write(stream, &Self::shown(&self.quoted(text), false));
    }

    /// Writes a document to `path` (`-`: standard output): redacted, then guarded as `channel`.
    ///
    /// # Errors
    /// When the file cannot be written, naming it and `what` it is.
    pub fn file(
        &self,
        path: &Path,
        what: &str,
        channel: Channel,
        contents: &str,
    ) -> anyhow::Result<()> {
        let contents = self.redactor.redact(contents);
        let contents = guarded(&contents, channel);
        if path.as_os_str() == "-" {
            let _ = write!(std::io::stdout(), "{contents}");
            return Ok(());
        }
        std::fs::write(path, contents.as_bytes())
            .map_err(|e| anyhow::anyhow!("write the {what} to {}: {e}", path.display()))
    }

    /// Appends a document to `path` (the step summary of GitHub Actions), redacted and guarded.
    ///
    /// # Errors
    /// When the file cannot be opened or written.
    pub fn append(
        &self,
        path: &Path,
        what: &str,
        channel: Channel,
        contents: &str,
    ) -> anyhow::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| anyhow::anyhow!("open the {what} {}: {e}", path.display()))?;
        let contents = self.redactor.redact(contents);
        file.write_all(guarded(&contents, channel).as_bytes())
            .map_err(|e| anyhow::anyhow!("write the {what} to {}: {e}", path.display()))
    }

    /// `text` for an error message: redacted and escaped whole (it is one line of the error).
    pub fn quoted(&self, text: &str) -> String {
        escaped(&self.redactor.redact(text)).into_owned()
    }
}

/// The error line a failed command ends with, on standard error: `error: failed to ...`. Its
/// line breaks are the error's own layout; everything else in it is guarded.
pub fn error_line(error: &anyhow::Error) {
    let text = format!("error: failed to {error}");
    let _ = writeln!(
        std::io::stderr(),
        "{}",
        guarded(&text, Channel::Text { colour: false })
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use extracta_contract::ApiKey;

    #[test]
    fn a_line_is_redacted_then_escaped_whole() {
        let output = Output::new(Redactor::new([ApiKey::new("sk-123456")]));
        assert_eq!(
            Output::shown(&output.quoted("k sk-123456\n::error::x\u{202e}"), false),
            "k [REDACTED]\\n::error::x\\u{202e}"
        );
        assert_eq!(
            Output::shown(&output.quoted("::error::x"), false),
            "\\u{3a}:error::x"
        );
    }

    #[test]
    fn lines_keep_their_breaks_and_colour_but_no_command_or_control() {
        let text = "\u{1b}[1mPASS\u{1b}[0m x\n  ::error::y\n##vso[task]z\u{1b}[2J";
        assert_eq!(
            Output::shown(text, true),
            "\u{1b}[1mPASS\u{1b}[0m x\n  \\u{3a}:error::y\n\\u{23}#vso[task]z\\x1b[2J"
        );
        assert!(!Output::shown(text, false).contains('\u{1b}'));
    }
}
