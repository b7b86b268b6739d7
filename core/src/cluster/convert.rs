//! The value conversions the ingress operator applies when it turns IngressController fields
//! into router environment variables: Go durations to HAProxy time specs, label selectors to
//! their string form, and Go's query escaping and `%q` quoting. Written from the operator's
//! behaviour as its tests pin it down, so that routec's values match the Deployment's byte for
//! byte.

use std::fmt::Write as _;

/// Nanoseconds in common units.
pub(crate) const NS_PER_MS: i128 = 1_000_000;
const NS_PER_S: i128 = 1_000_000_000;

/// The largest timeout HAProxy accepts, in nanoseconds (2147483647 ms).
const HAPROXY_MAX_NS: i128 = 2_147_483_647 * NS_PER_MS;

/// Parses a Go `time.Duration` string (`1h30m`, `1.5s`, `-2ms`, `0`) into nanoseconds, with
/// Go's error text (`time: invalid duration "x"`, `time: missing unit in duration "1"`,
/// `time: unknown unit "d" in duration "1d"`).
pub(crate) fn parse_go_duration(orig: &str) -> Result<i128, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(rest) = s.strip_prefix('-') {
        neg = true;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !s.is_empty() {
        let first = s.as_bytes()[0];
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = &s[..int_len];
        s = &s[int_len..];
        let mut frac_part = "";
        if let Some(rest) = s.strip_prefix('.') {
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = &rest[..n];
            s = &rest[n..];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = s.bytes().take_while(|b| *b != b'.' && !b.is_ascii_digit()).count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let unit = &s[..unit_len];
        s = &s[unit_len..];
        let scale: i128 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => NS_PER_MS,
            "s" => NS_PER_S,
            "m" => 60 * NS_PER_S,
            "h" => 3600 * NS_PER_S,
            _ => return Err(format!("time: unknown unit {} in duration {}", go_quote(unit), go_quote(orig))),
        };
        let whole: i128 = if int_part.is_empty() {
            0
        } else {
            // More than 19 digits overflows Go's int64 accumulator.
            if int_part.len() > 19 {
                return Err(invalid());
            }
            int_part.parse().map_err(|_| invalid())?
        };
        let mut value = whole.checked_mul(scale).ok_or_else(invalid)?;
        if !frac_part.is_empty() {
            // Go accumulates at most 19 fraction digits and scales by the unit.
            let digits = &frac_part[..frac_part.len().min(18)];
            let f: i128 = digits.parse().map_err(|_| invalid())?;
            let denom = 10i128.pow(u32::try_from(digits.len()).unwrap_or(0));
            value += f * scale / denom;
        }
        total += value;
        if total > i128::from(i64::MAX) + i128::from(neg) {
            return Err(invalid());
        }
    }
    Ok(if neg { -total } else { total })
}

/// The operator's `durationToHAProxyTimespec`: the simplest unit that loses nothing, up to
/// hours; `0s` for values at or below zero; HAProxy's maximum for values above it.
pub(crate) fn haproxy_timespec(ns: i128) -> String {
    if ns <= 0 {
        return "0s".to_owned();
    }
    if ns > HAPROXY_MAX_NS {
        return "2147483647ms".to_owned();
    }
    let us = ns / 1_000;
    if us % 1_000 != 0 {
        return format!("{us}us");
    }
    let ms = ns / NS_PER_MS;
    if ms % 1_000 != 0 {
        return format!("{ms}ms");
    }
    let round = |unit: i128| (ns + unit / 2) / unit;
    if ms % 60_000 != 0 {
        format!("{}s", round(NS_PER_S))
    } else if ms % 3_600_000 != 0 {
        format!("{}m", round(60 * NS_PER_S))
    } else {
        format!("{}h", round(3600 * NS_PER_S))
    }
}

/// The operator's `clipHAProxyTimeoutValue` for the hard-stop-after annotation: a value in
/// days (`2d`) or a Go duration, kept as written unless it exceeds HAProxy's maximum.
pub(crate) fn clip_haproxy_timeout(val: &str) -> Result<String, String> {
    if let Some(days) = val.strip_suffix('d') {
        let d: i64 = days.parse().map_err(|_| format!("strconv.Atoi: parsing {}: invalid syntax", go_quote(days)))?;
        if i128::from(d) * 24 * 3600 * NS_PER_S > HAPROXY_MAX_NS {
            return Ok("2147483647ms".to_owned());
        }
        return Ok(val.to_owned());
    }
    let ns = parse_go_duration(val)?;
    if ns / NS_PER_MS > HAPROXY_MAX_NS / NS_PER_MS {
        return Ok("2147483647ms".to_owned());
    }
    Ok(val.to_owned())
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// Go's `strconv.Quote` (`%q`) for the text the operator quotes (log and unique-id formats,
/// MIME types with spaces): the template engine's, one implementation for both.
pub(crate) use crate::gotmpl::go_quote;

/// One requirement of a label selector.
#[derive(Debug, Clone)]
pub(crate) struct Requirement {
    pub(crate) key: String,
    pub(crate) op: String,
    pub(crate) values: Vec<String>,
}

/// A `metav1.LabelSelector` as `LabelSelectorAsSelector(...).String()` prints it: requirements
/// sorted by key, values sorted, `=` for matchLabels, `in (…)`, `notin (…)`, `key`, `!key`.
/// An empty selector prints as the empty string (everything).
pub(crate) fn selector_string(match_labels: &[(String, String)], exprs: &[Requirement]) -> Result<String, String> {
    let mut parts: Vec<(String, String)> = Vec::new();
    for (k, v) in match_labels {
        parts.push((k.clone(), format!("{k}={v}")));
    }
    for r in exprs {
        let mut values = r.values.clone();
        crate::sort::sort(&mut values);
        let text = match r.op.as_str() {
            "In" | "NotIn" => {
                if values.is_empty() {
                    return Err(format!(
                        "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty (key {})",
                        go_quote(&r.key)
                    ));
                }
                let op = if r.op == "In" { "in" } else { "notin" };
                format!("{} {op} ({})", r.key, values.join(","))
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    return Err(format!(
                        "values: Invalid value: {}: values set must be empty for exists and does not exist",
                        go_quote(&values.join(","))
                    ));
                }
                if r.op == "Exists" {
                    r.key.clone()
                } else {
                    format!("!{}", r.key)
                }
            }
            other => return Err(format!("{} is not a valid label selector operator", go_quote(other))),
        };
        parts.push((r.key.clone(), text));
    }
    crate::sort::sort_by(&mut parts, |a, b| a.0.cmp(&b.0));
    Ok(parts.into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(","))
}

/// The operator's `GetMIMETypes`: a MIME type with a space, backslash or double quote is Go
/// quoted, and single quotes are backslash-escaped, so HAProxy reads one word per type.
pub(crate) fn mime_word(m: &str) -> String {
    let mut w = if m.contains([' ', '\\', '"']) { go_quote(m) } else { m.to_owned() };
    if w.contains('\'') {
        w = w.replace('\'', "\\'");
    }
    w
}

/// Go's `net.JoinHostPort`.
pub(crate) fn join_host_port(host: &str, port: i64) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_the_operators_table() {
        // Cases from the operator's Test_durationToHAProxyTimespec.
        let cases = [
            ("0s", "0s"),
            ("-1s", "0s"),
            ("1us", "1us"),
            ("1500us", "1500us"),
            ("1ms", "1ms"),
            ("1500ms", "1500ms"),
            ("1s", "1s"),
            ("90s", "90s"),
            ("1m", "1m"),
            ("90m", "90m"),
            ("1h", "1h"),
            ("2147483647ms", "2147483647ms"),
            ("2147483648ms", "2147483647ms"),
            ("45s", "45s"),
            ("60s", "1m"),
            ("30m", "30m"),
        ];
        for (input, want) in cases {
            let ns = parse_go_duration(input).expect(input);
            assert_eq!(haproxy_timespec(ns), want, "{input}");
        }
    }

    #[test]
    fn go_duration_errors_use_gos_words() {
        assert_eq!(parse_go_duration("abc").unwrap_err(), "time: invalid duration \"abc\"");
        assert_eq!(parse_go_duration("10").unwrap_err(), "time: missing unit in duration \"10\"");
        assert_eq!(parse_go_duration("1d").unwrap_err(), "time: unknown unit \"d\" in duration \"1d\"");
        assert_eq!(parse_go_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_go_duration("1h2m3s"), Ok(3_723_000_000_000));
    }

    #[test]
    fn query_escape_matches_the_operator_test() {
        assert_eq!(query_escape("1;mode=block"), "1%3Bmode%3Dblock");
        assert_eq!(query_escape("text/plain, text/html"), "text%2Fplain%2C+text%2Fhtml");
        assert_eq!(query_escape("%{+Q}[ssl_c_der,base64]"), "%25%7B%2BQ%7D%5Bssl_c_der%2Cbase64%5D");
    }

    #[test]
    fn selectors_print_sorted() {
        let exprs = vec![
            Requirement { key: "env".into(), op: "In".into(), values: vec!["prod".into(), "dev".into()] },
            Requirement { key: "alpha".into(), op: "DoesNotExist".into(), values: vec![] },
        ];
        let s = selector_string(&[("type".into(), "sharded".into())], &exprs).unwrap();
        assert_eq!(s, "!alpha,env in (dev,prod),type=sharded");
        assert!(selector_string(&[], &[Requirement { key: "a".into(), op: "In".into(), values: vec![] }]).is_err());
    }

    #[test]
    fn mime_words_are_quoted_for_haproxy() {
        assert_eq!(mime_word("text/html"), "text/html");
        assert_eq!(mime_word("text/html; charset=\"utf-8\""), "\"text/html; charset=\\\"utf-8\\\"\"");
        assert_eq!(mime_word("x-a/it's"), "x-a/it\\'s");
    }
}
