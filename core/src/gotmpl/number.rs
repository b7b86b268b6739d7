//! Number and character constants as Go's template parser reads them: `strconv`'s rules for
//! base prefixes (`0x`, `0o`, `0b`, leading-zero octal), underscores, hex floats, and a constant
//! being int, uint and float at once when it fits each.

/// A parsed number constant with every interpretation that succeeded.
#[derive(Debug, Clone)]
pub(crate) struct Number {
    pub(crate) text: String,
    pub(crate) is_int: bool,
    pub(crate) is_uint: bool,
    pub(crate) is_float: bool,
    pub(crate) is_char: bool,
    pub(crate) int: i64,
    pub(crate) uint: u64,
    pub(crate) float: f64,
}

/// 2^63, the bound of `int64` as a float.
const TWO_63: f64 = 9_223_372_036_854_775_808.0;

enum NumErr {
    Syntax,
    Range,
}

fn lower(c: u8) -> u8 {
    c | 0x20
}

/// Go's `underscoreOK`: underscores only between digits (a base prefix counts as a digit).
fn underscore_ok(s: &str) -> bool {
    let mut s = s.as_bytes();
    if let Some((b'+' | b'-', rest)) = s.split_first() {
        s = rest;
    }
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(lower(s[1]), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = lower(s[1]) == b'x';
    }
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c.is_ascii_digit() || hex && (b'a'..=b'f').contains(&lower(c)) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, 0, 64)`.
fn parse_uint0(s0: &str) -> Result<u64, NumErr> {
    if s0.is_empty() {
        return Err(NumErr::Syntax);
    }
    let b = s0.as_bytes();
    let (base, digits): (u64, &[u8]) = if b[0] == b'0' {
        if b.len() >= 3 && lower(b[1]) == b'b' {
            (2, &b[2..])
        } else if b.len() >= 3 && lower(b[1]) == b'o' {
            (8, &b[2..])
        } else if b.len() >= 3 && lower(b[1]) == b'x' {
            (16, &b[2..])
        } else {
            (8, &b[1..])
        }
    } else {
        (10, b)
    };
    let mut n: u64 = 0;
    let mut underscores = false;
    let mut overflow = false;
    for &c in digits {
        let d = match c {
            b'_' => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'z' => u64::from(c - b'a') + 10,
            b'A'..=b'Z' => u64::from(c - b'A') + 10,
            _ => return Err(NumErr::Syntax),
        };
        if d >= base {
            return Err(NumErr::Syntax);
        }
        match n.checked_mul(base).and_then(|m| m.checked_add(d)) {
            Some(m) => n = m,
            None => overflow = true,
        }
    }
    if underscores && !underscore_ok(s0) {
        return Err(NumErr::Syntax);
    }
    if overflow {
        return Err(NumErr::Range);
    }
    Ok(n)
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_int0(s: &str) -> Result<i64, NumErr> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint0(body)?;
    if neg {
        if u > 1 << 63 {
            return Err(NumErr::Range);
        }
        Ok((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).map_err(|_| NumErr::Range)
    }
}

/// `strconv.ParseFloat(s, 64)` for the forms the lexer lets through.
fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let t: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'+') => (false, &t[1..]),
        Some(b'-') => (true, &t[1..]),
        _ => (false, &t[..]),
    };
    let v = if body.len() > 2 && body.as_bytes()[0] == b'0' && lower(body.as_bytes()[1]) == b'x' {
        parse_hex_float(&body[2..])?
    } else {
        if !body.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
            return None;
        }
        let v: f64 = body.parse().ok()?;
        if v.is_infinite() {
            // Go reports a range error; the template parser then rejects the number.
            return None;
        }
        v
    };
    Some(if neg { -v } else { v })
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let p = s.find(['p', 'P'])?;
    let (mant, exp) = (&s[..p], &s[p + 1..]);
    let exp: i32 = exp.parse().ok()?;
    let mut m: f64 = 0.0;
    let mut frac_digits: i32 = 0;
    let mut seen_dot = false;
    let mut any = false;
    for c in mant.chars() {
        if c == '.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
            continue;
        }
        let d = c.to_digit(16)?;
        any = true;
        m = m * 16.0 + f64::from(d);
        if seen_dot {
            frac_digits = frac_digits.saturating_add(1);
        }
    }
    if !any {
        return None;
    }
    let v = m * 2f64.powi(exp.saturating_sub(frac_digits.saturating_mul(4)));
    v.is_finite().then_some(v)
}

/// Parses a number token (`char` for `'x'` constants). Complex constants are refused: routec
/// templates have no use for them.
pub(crate) fn parse_number(text: &str, char: bool, complex: bool) -> Result<Number, String> {
    let mut n = Number {
        text: text.into(),
        is_int: false,
        is_uint: false,
        is_float: false,
        is_char: char,
        int: 0,
        uint: 0,
        float: 0.0,
    };
    if char {
        let inner = &text[1..];
        let (c, tail) = unquote_char(inner, '\'').ok_or_else(|| "invalid syntax".to_string())?;
        if tail != "'" {
            return Err(format!("malformed character constant: {text}"));
        }
        let r = c.chars().next().map_or(0, |c| c as u32);
        n.is_int = true;
        n.is_uint = true;
        n.is_float = true;
        n.int = i64::from(r);
        n.uint = u64::from(r);
        n.float = f64::from(r);
        return Ok(n);
    }
    if complex || text.ends_with('i') {
        return Err(format!("complex constant {text} is not supported"));
    }
    let u = parse_uint0(text);
    if let Ok(u) = u {
        n.is_uint = true;
        n.uint = u;
    }
    if let Ok(i) = parse_int0(text) {
        n.is_int = true;
        n.int = i;
        if i == 0 {
            n.is_uint = true;
            n.uint = 0;
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", super::fmt::quote(text)));
        }
        n.is_float = true;
        n.float = f;
        // Go converts with int64(f) and compares back; only values in range round-trip.
        if (-TWO_63..TWO_63).contains(&f) && (f as i64) as f64 == f {
            n.is_int = true;
            n.int = f as i64;
        }
        if (0.0..2.0 * TWO_63).contains(&f) && (f as u64) as f64 == f {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", super::fmt::quote(text)));
    }
    Ok(n)
}

/// Go's `strconv.UnquoteChar`: one (possibly escaped) character from the front of `s`, and the
/// rest. Bytes above 0x7f from `\x`/octal escapes become U+FFFD (Rust strings are UTF-8).
pub(crate) fn unquote_char(s: &str, quote: char) -> Option<(String, &str)> {
    let c = s.chars().next()?;
    if c == quote && (quote == '\'' || quote == '"') {
        return None;
    }
    if c != '\\' {
        return Some((c.to_string(), &s[c.len_utf8()..]));
    }
    let rest = &s[1..];
    let e = rest.chars().next()?;
    let after = &rest[e.len_utf8()..];
    let simple = match e {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        '\\' => Some('\\'),
        '\'' | '"' => {
            if e != quote {
                return None;
            }
            Some(e)
        }
        _ => None,
    };
    if let Some(c) = simple {
        return Some((c.to_string(), after));
    }
    let hex = |n: usize| -> Option<(u32, &str)> {
        if after.len() < n || !after.is_char_boundary(n) {
            return None;
        }
        let v = u32::from_str_radix(&after[..n], 16).ok()?;
        after[..n].bytes().all(|b| b.is_ascii_hexdigit()).then_some((v, &after[n..]))
    };
    match e {
        'x' => {
            let (v, tail) = hex(2)?;
            let c = if v < 0x80 { char::from_u32(v)? } else { '\u{FFFD}' };
            Some((c.to_string(), tail))
        }
        'u' | 'U' => {
            let (v, tail) = hex(if e == 'u' { 4 } else { 8 })?;
            Some((char::from_u32(v)?.to_string(), tail))
        }
        '0'..='7' => {
            let digits = rest.get(..3)?;
            if !digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
                return None;
            }
            let v = u32::from_str_radix(digits, 8).ok()?;
            if v > 255 {
                return None;
            }
            let c = if v < 0x80 { char::from_u32(v)? } else { '\u{FFFD}' };
            Some((c.to_string(), &rest[3..]))
        }
        _ => None,
    }
}
