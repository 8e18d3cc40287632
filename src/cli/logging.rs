//! Logging through `tracing` to standard error, through the guard every output passes: a log
//! line may hold what a client sent.

use std::io::Write;

use extracta_contract::redact::{Channel, guarded};
use tracing_subscriber::fmt::MakeWriter;

/// Standard error, each write guarded.
struct Guarded {
    colour: bool,
}

impl Write for Guarded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let shown = guarded(
            &text,
            Channel::Text {
                colour: self.colour,
            },
        );
        std::io::stderr().write_all(shown.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Makes a [`Guarded`] writer for each event.
struct GuardedStderr {
    colour: bool,
}

impl<'a> MakeWriter<'a> for GuardedStderr {
    type Writer = Guarded;

    fn make_writer(&'a self) -> Guarded {
        Guarded {
            colour: self.colour,
        }
    }
}

/// Warnings by default, the mock's request log with `--log`, anything else through `RUST_LOG`.
pub fn init(log_requests: bool) {
    let default = if log_requests {
        "warn,extracta_contract::mock=info"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let colour = super::colour::enabled(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(GuardedStderr { colour })
        .with_ansi(colour)
        .try_init();
}
