//! The stand-in vendors (`tests/standins/vendor.py`, Python 3, standard library only): one
//! process per test, on a loopback port, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use extracta_contract::{RunOptions, RunOptionsBuilder};

/// The stand-in's second account.
pub const SECOND_KEY: &str = "standin-second-key";

/// A stand-in process, killed when dropped.
pub struct StandIn {
    child: Child,
    /// Its loopback port.
    pub port: u16,
}

impl StandIn {
    /// Starts the stand-in `variant` with the key `standin-key`.
    pub fn start(variant: &str) -> StandIn {
        StandIn::start_with_key(variant, "standin-key")
    }

    /// Starts the stand-in `variant` with `key` as its first account's key.
    pub fn start_with_key(variant: &str, key: &str) -> StandIn {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/standins/vendor.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args([
                "--variant",
                variant,
                "--key",
                key,
                "--second-key",
                SECOND_KEY,
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("failed to start python3 for the stand-in: {e}"));
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the stand-in printed {line:?}, not its port"));
        StandIn { child, port }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl StandIn {
    /// Options for a run against this stand-in with both of its accounts, with the default
    /// settle time of a remote target.
    pub fn patient_options(&self) -> RunOptionsBuilder {
        RunOptions::builder()
            .base_url(format!("http://127.0.0.1:{}/api/v1", self.port))
            .api_key("standin-key")
            .second_api_key(SECOND_KEY)
            .cases_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
    }

    /// Options for a run against this stand-in with both of its accounts. A short settle: a
    /// stand-in that breaks the contract is judged after a second, not ten.
    pub fn options(&self) -> RunOptionsBuilder {
        self.patient_options().settle(Duration::from_secs(1))
    }
}

/// The options of `builder`, which the tests give right.
pub fn built(builder: RunOptionsBuilder) -> RunOptions {
    builder
        .build()
        .unwrap_or_else(|e| panic!("the options are unusable: {e}"))
}
