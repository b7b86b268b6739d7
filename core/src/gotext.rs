//! The router's Go helpers, reproduced exactly: `strconv.ParseBool`, `strconv.Atoi`, HAProxy time
//! values and their clipping, `regexp.QuoteMeta`, and MD5 hex digests.

/// Go `strconv.ParseBool` succeeding with true.
pub fn is_true(v: &str) -> bool {
    matches!(v, "1" | "t" | "T" | "TRUE" | "true" | "True")
}

/// Go `strconv.ParseBool` accepts the value (true or false).
pub fn is_bool(v: &str) -> bool {
    is_true(v) || matches!(v, "0" | "f" | "F" | "FALSE" | "false" | "False")
}

/// Go `strconv.Atoi` succeeds: optional sign, ASCII digits, fits in an i64.
pub fn is_integer(v: &str) -> bool {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && v.parse::<i64>().is_ok()
}

/// Whole-string match of `[1-9][0-9]*(us|ms|s|m|h|d)?`.
pub fn is_timespec(v: &str) -> bool {
    let n = v.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, unit) = v.split_at(n);
    digits.as_bytes().first().is_some_and(|b| *b != b'0') && matches!(unit, "" | "us" | "ms" | "s" | "m" | "h" | "d")
}

/// The first value that is a valid time value, or "".
pub fn first_timespec<'a>(values: &[&'a str]) -> &'a str {
    values.iter().copied().find(|v| is_timespec(v)).unwrap_or("")
}

const MAX_MS: u128 = 2_147_483_647;

/// The router's `clipHAProxyTimeoutValue`: values above HAProxy's maximum become
/// `2147483647ms`; invalid values become "".
pub fn clip(v: &str) -> String {
    if v.is_empty() || !is_timespec(v) {
        return String::new();
    }
    let n = v.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, unit) = v.split_at(n);
    let Ok(num) = digits.parse::<i64>() else { return format!("{MAX_MS}ms") };
    let ns_per: u128 = match unit {
        "us" => 1_000,
        "" | "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 86_400_000_000_000,
    };
    let ns = u128::try_from(num).unwrap_or(0) * ns_per;
    if ns > i64::MAX as u128 || ns / 1_000_000 > MAX_MS {
        return format!("{MAX_MS}ms");
    }
    v.to_owned()
}

/// Go `regexp.QuoteMeta`: a backslash before each of `\.+*?()|[]{}^$`.
pub fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Lower-case hex MD5 of `s`.
pub fn md5_hex(s: &str) -> String {
    let digest = crate::digest::md5(s.as_bytes());
    let mut out = String::with_capacity(32);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whole-string match of `[a-zA-Z0-9_-]+`.
pub fn is_cookie_name(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// RFC 2616 token characters (HTTP header names).
pub fn is_header_name(v: &str) -> bool {
    !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-!#$%&'*+.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_matches_router_table() {
        for v in ["", "s", "0", "01s", "1.5.8.9", "1.5s", "+-+", "24d1", "1d12h", "foo", "2562047.99h"] {
            assert_eq!(clip(v), "", "{v}");
        }
        for v in ["10", "10s", "10d", "24d", "2147483647ms"] {
            assert_eq!(clip(v), v);
        }
        for v in [
            "100d",
            "1000h",
            "2147483648",
            "9223372036855ms",
            "9223372036854776us",
            "100000000000s",
            "922337203685477581ms",
            "9223372036854775807",
            "9999999999999999",
        ] {
            assert_eq!(clip(v), "2147483647ms", "{v}");
        }
    }

    #[test]
    fn quote_meta_escapes_exactly_go_set() {
        assert_eq!(quote_meta(r"a.b-c/d#e~f&g h\+*?()|[]{}^$"), r"a\.b-c/d#e~f&g h\\\+\*\?\(\)\|\[\]\{\}\^\$");
    }

    #[test]
    fn go_bool_and_int() {
        assert!(is_true("True") && !is_true("yes") && !is_true("on"));
        assert!(is_integer("+5") && is_integer("-3") && !is_integer("5 ") && !is_integer("0x10"));
        assert_eq!(md5_hex("pod:pod-a:svc1:http:10.128.0.10:8080"), "08c041c2e8f5b2b60a2b8d8649c5deae");
        assert_eq!(md5_hex(" ns1:plain"), "93e7b2b447b1e4262f3ceab034ef62c9");
    }
}
