//! The one duration syntax of every flag: a number and a unit, `500ms`, `2s`, `1m`.

use std::time::Duration;

/// Reads `500ms`, `2s`, `1.5s` or `1m`; `0` alone is zero. `bare` is the unit a number
/// without one is read in, for flags that took bare numbers before (`None`: a unit is needed).
///
/// # Errors
/// A sentence naming the text and the syntax.
pub fn parse(text: &str, bare: Option<&str>) -> Result<Duration, String> {
    let text = text.trim();
    let at = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(at);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 500ms, 2s or 1m"))?;
    let unit = match (unit, bare) {
        ("", _) if value == 0.0 => "s",
        ("", Some(bare)) => bare,
        ("", None) => {
            return Err(format!(
                "`{text}` needs a unit: {text}ms, {text}s or {text}m"
            ));
        }
        (unit, _) => unit,
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
    fn every_unit_reads_and_a_bare_number_needs_one_unless_the_flag_gives_it() {
        assert_eq!(parse("500ms", None), Ok(Duration::from_millis(500)));
        assert_eq!(parse("2s", None), Ok(Duration::from_secs(2)));
        assert_eq!(parse("1.5s", None), Ok(Duration::from_millis(1500)));
        assert_eq!(parse("1m", None), Ok(Duration::from_secs(60)));
        assert_eq!(parse("0", None), Ok(Duration::ZERO));
        assert!(parse("5", None).is_err_and(|e| e.contains("5s")));
        assert_eq!(parse("5", Some("s")), Ok(Duration::from_secs(5)));
        assert!(parse("2h", None).is_err());
        assert!(parse("-1s", None).is_err());
        assert!(parse("soon", None).is_err());
    }
}
