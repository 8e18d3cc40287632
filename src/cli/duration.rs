//! The one duration syntax of every flag: a number and a unit, `500ms`, `2s`, `1m`; `0` alone
//! is zero. A bare number is refused everywhere: one flag would read it as seconds and
//! another as milliseconds.

use std::time::Duration;

/// Reads `500ms`, `2s`, `1.5s` or `1m`; `0` alone is zero.
///
/// # Errors
/// A sentence naming the text and the syntax.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let at = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(at);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 500ms, 2s or 1m"))?;
    let unit = match unit {
        "" if value == 0.0 => "s",
        "" => {
            return Err(format!(
                "`{text}` needs a unit: {text}ms, {text}s or {text}m"
            ));
        }
        unit => unit,
    };
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use ms, s or m"
            ));
        }
    };
    if !(0.0..=86_400.0).contains(&seconds) {
        return Err(format!("`{text}` is out of range (0 to 24 h)"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unit_reads_and_a_bare_number_needs_one() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse("0"), Ok(Duration::ZERO));
        assert!(parse("5").is_err_and(|e| e.contains("5ms, 5s or 5m")));
        assert!(parse("2h").is_err());
        assert!(parse("-1s").is_err());
        assert!(parse("soon").is_err());
    }
}
