//! The values flags take: durations, timeouts, sizes, shares and an endpoint's pace, each
//! refused with a sentence that says what was expected.

use std::time::Duration;

use crate::cli::duration;

/// Reads `ENDPOINT=DURATION`, e.g. `getResults=2s`, `deleteFiles=500ms` or `getResults=0`.
pub(super) fn parse_pace(text: &str) -> Result<(String, Duration), String> {
    let (endpoint, duration) = text
        .split_once('=')
        .ok_or_else(|| format!("expected ENDPOINT=DURATION (e.g. getResults=2s), got `{text}`"))?;
    Ok((endpoint.trim().to_owned(), duration::parse(duration)?))
}

/// A timeout: a duration of at least 1 ms.
pub(super) fn parse_timeout(text: &str) -> Result<Duration, String> {
    let timeout = duration::parse(text)?;
    if timeout.is_zero() {
        return Err("a timeout of 0 would fail every request; give at least 1ms".to_owned());
    }
    Ok(timeout)
}

/// Reads a duration: `500ms`, `2s`, `1m`, or `0`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    duration::parse(text)
}

/// Reads a duration longer than zero.
pub(super) fn parse_positive_duration(text: &str) -> Result<Duration, String> {
    match parse_duration(text)? {
        d if d.is_zero() => Err(format!("`{text}` must be longer than zero")),
        d => Ok(d),
    }
}

/// Reads a size in bytes: `65536`, `64KiB`, `1MiB`, `2GiB` (or KB, MB, GB in powers of 1000).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(at);
    let value: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 65536, 64KiB or 1MiB"))?;
    let factor: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        "KB" | "kB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use KiB, MiB or GiB"
            ));
        }
    };
    match value.checked_mul(factor) {
        Some(0) => Err(format!("`{text}` must be at least 1 byte")),
        Some(bytes) => Ok(bytes),
        None => Err(format!("`{text}` is too large")),
    }
}

/// Reads a share from 0 to 1.
pub(super) fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!(
            "expected a share from 0 to 1 (e.g. 0.1), got `{text}`"
        )),
    }
}
