//! The part of Go's `fmt` that templates reach through `print`, `printf`, `println` and plain
//! `{{.}}` output: `%v %s %d %q %x %X %o %O %b %c %U %t %e %f %g %T %%`, flags `+ - # 0 space`,
//! width, precision, `*` and `[n]` argument indexes, and Go's `%!v(...)` error forms.

use std::fmt::Write as _;

use super::value::Value;

/// What stands for a pointer or func address, which Go prints and routec has none of.
pub(crate) const ADDRESS: &str = "0xc000010000";

/// `{{.}}` output: Go's `printableValue` prints what a pointer points to.
pub(crate) fn sprint_action(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(o) if o.is_pointer() && !o.is_nil() => {
            let mut s = String::new();
            s.push('{');
            for (i, (_, fv)) in o.all_fields().iter().enumerate() {
                if i > 0 {
                    s.push(' ');
                }
                print_value(&mut s, fv, 'v', &Flags::default(), false, 1);
            }
            s.push('}');
            return s;
        }
        v => print_arg(&mut out, v, 'v', &Flags::default()),
    }
    out
}

/// Go's `strconv.Quote`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        escape_char(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune`.
pub(crate) fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    escape_char(&mut out, c, '\'');
    out.push('\'');
    out
}

fn escape_char(out: &mut String, c: char, q: char) {
    match c {
        _ if c == q => {
            out.push('\\');
            out.push(c);
        }
        '\\' => out.push_str("\\\\"),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if is_print(c) => out.push(c),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// An approximation of Go's `unicode.IsPrint` (exact for ASCII).
pub(crate) fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !c.is_control()
        && !c.is_whitespace()
        && !matches!(c as u32, 0xad | 0x200b..=0x200f | 0x2028..=0x202e | 0xfeff | 0xfff9..=0xfffb)
}

/// Go's `%#U`: `U+0041 'A'`.
pub(crate) fn unicode_u(c: char) -> String {
    if is_print(c) {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

/// `fmt.Sprint`: spaces between operands when neither is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, Value::Str(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        print_arg(&mut out, a, 'v', &Flags::default());
        prev_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: spaces always, and a newline.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        print_arg(&mut out, a, 'v', &Flags::default());
    }
    out.push('\n');
    out
}

#[derive(Default, Clone)]
struct Flags {
    plus: bool,
    minus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    wid: Option<usize>,
    prec: Option<usize>,
}

impl Flags {
    /// Go's `pad`: zeros on the left with the `0` flag (strings too), else spaces.
    fn pad(&self, out: &mut String, s: &str) {
        self.pad_with(out, s, self.zero);
    }

    fn pad_with(&self, out: &mut String, s: &str, zero: bool) {
        let n = s.chars().count();
        let w = self.wid.unwrap_or(0);
        if w <= n {
            out.push_str(s);
            return;
        }
        let fill = if zero && !self.minus { '0' } else { ' ' };
        if self.minus {
            out.push_str(s);
            out.extend(std::iter::repeat_n(' ', w - n));
        } else {
            out.extend(std::iter::repeat_n(fill, w - n));
            out.push_str(s);
        }
    }
}

/// The most one `printf` produces before it stops.
const MAX_SPRINTF: usize = 64 << 20;

/// `fmt.Sprintf`.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut argn = 0usize;
    let mut reordered = false;
    let b = format.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if out.len() > MAX_SPRINTF {
            // Widths can multiply a short format; the executor bounds output, this bounds memory.
            break;
        }
        let start = i;
        while i < b.len() && b[i] != b'%' {
            i += 1;
        }
        out.push_str(&format[start..i]);
        if i >= b.len() {
            break;
        }
        i += 1; // skip '%'
        let mut f = Flags::default();
        while i < b.len() {
            match b[i] {
                b'#' => f.sharp = true,
                b'0' => f.zero = !f.minus,
                b'+' => f.plus = true,
                b'-' => {
                    f.minus = true;
                    f.zero = false;
                }
                b' ' => f.space = true,
                _ => break,
            }
            i += 1;
        }
        // Argument index, width.
        let mut good_arg = true;
        arg_index(b, &mut i, &mut argn, &mut reordered, &mut good_arg, args.len());
        if i < b.len() && b[i] == b'*' {
            i += 1;
            match args.get(argn) {
                Some(Value::Int(n)) => {
                    let n = *n;
                    if n < 0 {
                        f.minus = true;
                        f.zero = false;
                    }
                    if n.unsigned_abs() > 1_000_000 {
                        out.push_str("%!(BADWIDTH)");
                    } else {
                        f.wid = Some(n.unsigned_abs() as usize);
                    }
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            argn += 1;
        } else {
            let (n, ni) = parse_num(b, i);
            if ni > i {
                f.wid = Some(n);
            }
            i = ni;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            arg_index(b, &mut i, &mut argn, &mut reordered, &mut good_arg, args.len());
            if i < b.len() && b[i] == b'*' {
                i += 1;
                match args.get(argn) {
                    Some(Value::Int(n)) if *n >= 0 && *n <= 1_000_000 => f.prec = Some(*n as usize),
                    _ => out.push_str("%!(BADPREC)"),
                }
                argn += 1;
            } else {
                let (n, ni) = parse_num(b, i);
                f.prec = Some(n);
                i = ni;
            }
        }
        if !reordered || good_arg {
            arg_index(b, &mut i, &mut argn, &mut reordered, &mut good_arg, args.len());
        }
        if i >= b.len() {
            out.push_str("%!(NOVERB)");
            break;
        }
        let verb = format[i..].chars().next().unwrap_or('?');
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
            continue;
        }
        if !good_arg {
            let _ = write!(out, "%!{verb}(BADINDEX)");
            continue;
        }
        let Some(arg) = args.get(argn) else {
            let _ = write!(out, "%!{verb}(MISSING)");
            continue;
        };
        argn += 1;
        if f.plus && verb == 'v' {
            // %+v: field names in structs.
            print_arg_plus(&mut out, arg, &f);
            continue;
        }
        print_arg(&mut out, arg, verb, &f);
    }
    if !reordered && argn < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, a) in args[argn..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            match a {
                Value::Nil => out.push_str("<nil>"),
                a => {
                    let _ = write!(out, "{}=", a.type_name());
                    print_arg(&mut out, a, 'v', &Flags::default());
                }
            }
        }
        out.push(')');
    }
    out
}

fn parse_num(b: &[u8], mut i: usize) -> (usize, usize) {
    let mut n = 0usize;
    while i < b.len() && b[i].is_ascii_digit() {
        n = n.saturating_mul(10).saturating_add(usize::from(b[i] - b'0')).min(1_000_001);
        i += 1;
    }
    (n, i)
}

fn arg_index(b: &[u8], i: &mut usize, argn: &mut usize, reordered: &mut bool, good: &mut bool, nargs: usize) {
    if *i >= b.len() || b[*i] != b'[' {
        return;
    }
    *reordered = true;
    let Some(close) = b[*i + 1..].iter().position(|&c| c == b']') else {
        *good = false;
        *i += 1;
        return;
    };
    let digits = &b[*i + 1..*i + 1 + close];
    let ok = !digits.is_empty() && digits.iter().all(u8::is_ascii_digit);
    let (n, _) = parse_num(digits, 0);
    if ok && n >= 1 && n <= nargs {
        *argn = n - 1;
    } else {
        *good = false;
    }
    *i += close + 2;
}

fn bad_verb(out: &mut String, v: &Value, verb: char, f: &Flags) {
    match v {
        Value::Nil => {
            let _ = write!(out, "%!{verb}(<nil>)");
        }
        v => {
            // Go prints the value with the flags of the failed verb.
            let _ = write!(out, "%!{verb}({}=", v.type_name());
            print_value(out, v, 'v', f, false, 0);
            out.push(')');
        }
    }
}

fn print_arg_plus(out: &mut String, v: &Value, f: &Flags) {
    // %+v: the plus flag means field names, not signs.
    let f = Flags { plus: false, ..f.clone() };
    if let Value::Nil = v {
        f.pad(out, "<nil>");
        return;
    }
    print_value(out, v, 'v', &f, true, 0);
}

fn print_arg(out: &mut String, v: &Value, verb: char, f: &Flags) {
    if verb == 'T' {
        f.pad(out, &v.type_name());
        return;
    }
    if let Value::Nil = v {
        match verb {
            'v' => f.pad(out, "<nil>"),
            _ => bad_verb(out, v, verb, f),
        }
        return;
    }
    print_value(out, v, verb, f, false, 0);
}

fn print_value(out: &mut String, v: &Value, verb: char, f: &Flags, plus_v: bool, depth: usize) {
    match v {
        // A nil inside a container is written as is, without padding.
        Value::Nil if depth > 0 => out.push_str("<nil>"),
        Value::Nil => f.pad(out, "<nil>"),
        Value::Bool(b) => match verb {
            'v' | 't' => f.pad(out, if *b { "true" } else { "false" }),
            _ => bad_verb(out, v, verb, f),
        },
        Value::Int(i) => fmt_int(out, i.unsigned_abs(), *i < 0, verb, f, v),
        Value::Uint(u) => fmt_int(out, *u, false, verb, f, v),
        Value::Float(x) => fmt_float(out, *x, verb, f, v),
        Value::Str(s) => fmt_str(out, s, verb, f, v),
        Value::List(l) => {
            out.push('[');
            for (i, e) in l.items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                print_value(out, e, verb, f, plus_v, depth + 1);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push_str("map[");
            for (i, (k, e)) in m.entries.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                print_value(out, &k.to_value(), verb, f, plus_v, depth + 1);
                out.push(':');
                print_value(out, e, verb, f, plus_v, depth + 1);
            }
            out.push(']');
        }
        Value::Object(o) => {
            if o.is_nil() {
                // Go's fmtPointer: a nil pointer is `<nil>` for %v, zero for integer verbs.
                match verb {
                    'v' => f.pad(out, "<nil>"),
                    'd' | 'o' | 'x' | 'X' | 'b' => fmt_int(out, 0, false, verb, f, v),
                    _ => bad_verb(out, v, verb, f),
                }
                return;
            }
            if o.is_pointer() {
                if depth > 0 {
                    // Go prints the address here; there is none to print.
                    out.push_str(ADDRESS);
                    return;
                }
                out.push('&');
            }
            out.push('{');
            for (i, (name, fv)) in o.all_fields().iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if plus_v {
                    out.push_str(name);
                    out.push(':');
                }
                print_value(out, fv, verb, f, plus_v, depth + 1);
            }
            out.push('}');
        }
        Value::Func(_) => match verb {
            'v' | 'p' => f.pad(out, ADDRESS),
            _ => {
                let _ = write!(out, "%!{verb}({}={ADDRESS})", v.type_name());
            }
        },
    }
}

fn fmt_int(out: &mut String, u: u64, negative: bool, verb: char, f: &Flags, v: &Value) {
    let (base, upper) = match verb {
        'v' | 'd' => (10, false),
        'b' => (2, false),
        'o' | 'O' => (8, false),
        'x' => (16, false),
        'X' => (16, true),
        'c' => {
            let c = char::from_u32(u as u32).filter(|_| !negative && u <= 0x10ffff).unwrap_or('\u{FFFD}');
            f.pad(out, &c.to_string());
            return;
        }
        'q' => {
            let c = char::from_u32(u as u32).filter(|_| !negative && u <= 0x10ffff).unwrap_or('\u{FFFD}');
            f.pad(out, &quote_rune(c));
            return;
        }
        'U' => {
            // Go prints the value as a uint64.
            let bits = if negative { u.wrapping_neg() } else { u };
            let s = format!("U+{bits:04X}");
            let s = match char::from_u32(u as u32) {
                Some(c) if f.sharp && is_print(c) => format!("{s} '{c}'"),
                _ => s,
            };
            f.pad(out, &s);
            return;
        }
        _ => {
            bad_verb(out, v, verb, f);
            return;
        }
    };
    let mut digits = match base {
        2 => format!("{u:b}"),
        8 => format!("{u:o}"),
        16 if upper => format!("{u:X}"),
        16 => format!("{u:x}"),
        _ => u.to_string(),
    };
    let mut prec = 0;
    if let Some(p) = f.prec {
        prec = p;
        if p == 0 && u == 0 {
            let w = f.wid.unwrap_or(0);
            out.extend(std::iter::repeat_n(' ', w));
            return;
        }
    } else if f.zero && !f.minus && f.wid.is_some() {
        prec = f.wid.unwrap_or(0);
        if negative || f.plus || f.space {
            prec = prec.saturating_sub(1);
        }
    }
    if digits.len() < prec {
        digits = "0".repeat(prec - digits.len()) + &digits;
    }
    let mut prefix = String::new();
    if f.sharp {
        match base {
            2 => prefix.push_str("0b"),
            8 if !digits.starts_with('0') => prefix.push('0'),
            16 => prefix.push_str(if upper { "0X" } else { "0x" }),
            _ => {}
        }
    }
    if verb == 'O' {
        prefix.insert_str(0, "0o");
    }
    let sign = if negative {
        "-"
    } else if f.plus {
        "+"
    } else if f.space {
        " "
    } else {
        ""
    };
    // Zero padding was done above as precision, as Go does.
    f.pad_with(out, &format!("{sign}{prefix}{digits}"), false);
}

/// More decimal digits than any f64's exact expansion has (767 significant, 1,074 after the
/// point), and well under the 65,535 Rust's formatter accepts.
const EXACT_DIGITS: usize = 1100;

/// The decimal digits of `x` (no trailing zeros) and the decimal point position, rounded to
/// `sig` significant digits, or shortest round-trip when `sig` is `None`.
fn decimal(x: f64, sig: Option<usize>) -> (Vec<u8>, i32) {
    if x == 0.0 {
        return (Vec::new(), 0);
    }
    let s = match sig {
        None => format!("{:e}", x.abs()),
        // Rust's formatter takes at most 65,535 digits of precision (and panics past it), Go's
        // up to 1,000,000. An f64 has at most 767 significant decimal digits and the rest are
        // zeros, which are trimmed below anyway, so asking for more than that changes nothing.
        Some(n) => format!("{:.*e}", (n.max(1) - 1).min(EXACT_DIGITS), x.abs()),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp + 1)
}

fn fmt_e(digits: &[u8], dp: i32, prec: usize, e: char) -> String {
    let mut s = String::new();
    s.push(digits.first().map_or('0', |&d| d as char));
    if prec > 0 {
        s.push('.');
        for i in 1..=prec {
            s.push(digits.get(i).map_or('0', |&d| d as char));
        }
    }
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    let _ = write!(s, "{e}{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
    s
}

fn fmt_f(digits: &[u8], dp: i32, prec: usize) -> String {
    let mut s = String::new();
    if dp > 0 {
        for i in 0..dp as usize {
            s.push(digits.get(i).map_or('0', |&d| d as char));
        }
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 1..=prec {
            let j = dp + i as i32 - 1;
            s.push(if j >= 0 { digits.get(j as usize).map_or('0', |&d| d as char) } else { '0' });
        }
    }
    s
}

/// Go's `strconv.FormatFloat(x, fmt, prec, 64)` for `e`, `f`, `g` without the sign.
fn format_float(x: f64, verb: char, prec: Option<usize>) -> String {
    let lower = verb.to_ascii_lowercase();
    let e = if verb.is_ascii_uppercase() { 'E' } else { 'e' };
    match (lower, prec) {
        ('f', p) => {
            // As in `decimal`: past 1,074 fractional digits an f64's expansion is all zeros.
            let p = p.unwrap_or(6);
            let mut s = format!("{:.*}", p.min(EXACT_DIGITS), x.abs());
            s.extend(std::iter::repeat_n('0', p.saturating_sub(EXACT_DIGITS)));
            s
        }
        ('e', p) => {
            let p = p.unwrap_or(6);
            let (d, dp) = decimal(x, Some(p + 1));
            fmt_e(&d, dp, p, e)
        }
        (_, None) => {
            let (d, dp) = decimal(x, None);
            let exp = dp - 1;
            if !d.is_empty() && !(-4..6).contains(&exp) {
                fmt_e(&d, dp, d.len().saturating_sub(1), e)
            } else {
                fmt_f(&d, dp, (d.len() as i32 - dp).max(0) as usize)
            }
        }
        (_, Some(p)) => {
            let p = p.max(1);
            let (d, dp) = decimal(x, Some(p));
            let mut eprec = p as i32;
            let nd = d.len() as i32;
            if eprec > nd && nd >= dp {
                eprec = nd;
            }
            let exp = dp - 1;
            if exp < -4 || exp >= eprec {
                let pp = p.min(d.len().max(1));
                fmt_e(&d, dp, pp - 1, e)
            } else {
                let pp = if p as i32 > dp { nd } else { p as i32 };
                fmt_f(&d, dp, (pp - dp).max(0) as usize)
            }
        }
    }
}

/// Go's `%x` of a float: `0x1.8p+01`, shortest, or rounded (half to even) to `prec` hex digits.
fn hex_float(x: f64, prec: Option<usize>, upper: bool) -> String {
    let (mut full, mut exp): (u64, i32) = if x == 0.0 {
        (0, 0)
    } else {
        let bits = x.abs().to_bits();
        let e = ((bits >> 52) & 0x7ff) as i32;
        let mut m = bits & ((1 << 52) - 1);
        if e == 0 {
            // Subnormal: normalise so the leading digit is 1.
            let mut exp = -1022;
            while m & (1 << 52) == 0 {
                m <<= 1;
                exp -= 1;
            }
            (m, exp)
        } else {
            (m | (1 << 52), e - 1023)
        }
    };
    let mut digits = 13usize;
    if let Some(p) = prec.filter(|p| *p < 13) {
        let shift = 4 * (13 - p as u32);
        let rem = full & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        full >>= shift;
        if rem > half || rem == half && full & 1 == 1 {
            full += 1;
        }
        if x != 0.0 && full >> (4 * p) >= 2 {
            full >>= 1;
            exp += 1;
        }
        digits = p;
    }
    let lead = full >> (4 * digits);
    let frac = full & ((1u64 << (4 * digits)) - 1);
    let mut fd = if digits == 0 { String::new() } else { format!("{frac:0width$x}", width = digits) };
    match prec {
        None => {
            while fd.ends_with('0') {
                fd.pop();
            }
        }
        Some(p) if p > 13 => fd.extend(std::iter::repeat_n('0', p - 13)),
        _ => {}
    }
    let dot = if fd.is_empty() { String::new() } else { format!(".{fd}") };
    let s = format!("0x{lead}{dot}p{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
    if upper {
        s.to_ascii_uppercase()
    } else {
        s
    }
}

/// Go's `#` flag on floats: always a decimal point, and for `%g`/`%v`/`%x` trailing zeros up
/// to the precision (6 by default) significant digits.
fn sharp_float(num: String, verb: char, prec: Option<usize>) -> String {
    let mut digits: i64 = match verb {
        'v' | 'g' | 'G' | 'x' | 'X' => prec.map_or(6, |p| p as i64),
        _ => 0,
    };
    let (mut head, tail) =
        match num.find(|c| c == 'p' || c == 'P' || (c == 'e' || c == 'E') && !matches!(verb, 'x' | 'X')) {
            Some(i) => (num[..i].to_string(), num[i..].to_string()),
            None => (num, String::new()),
        };
    let mut has_point = false;
    let mut nonzero = false;
    for c in head.chars() {
        if c == '.' {
            has_point = true;
            continue;
        }
        if c != '0' {
            nonzero = true;
        }
        if nonzero {
            digits -= 1;
        }
    }
    if !has_point {
        if head == "0" {
            digits -= 1;
        }
        head.push('.');
    }
    while digits > 0 {
        head.push('0');
        digits -= 1;
    }
    head + &tail
}

fn fmt_float(out: &mut String, x: f64, verb: char, f: &Flags, v: &Value) {
    let verb = match verb {
        'v' => 'g',
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'x' | 'X' | 'b' => verb,
        _ => {
            bad_verb(out, v, verb, f);
            return;
        }
    };
    let body = if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        "Inf".to_string()
    } else if verb == 'b' {
        // strconv's 'b' format: the integer mantissa and a binary exponent.
        let bits = x.abs().to_bits();
        let e = ((bits >> 52) & 0x7ff) as i64;
        let m = bits & ((1 << 52) - 1);
        let (mant, exp) = if e == 0 { (m, -1074) } else { (m | (1 << 52), e - 1075) };
        format!("{mant}p{}{}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs())
    } else if matches!(verb, 'x' | 'X') {
        hex_float(x, f.prec, verb == 'X')
    } else {
        format_float(x, verb, f.prec)
    };
    let body = if f.sharp && x.is_finite() && verb != 'b' { sharp_float(body, verb, f.prec) } else { body };
    let neg = x.is_sign_negative() && !x.is_nan();
    let sign = if neg {
        "-"
    } else if f.plus || x.is_infinite() {
        "+"
    } else if f.space {
        " "
    } else {
        ""
    };
    let num = format!("{sign}{body}");
    if !sign.is_empty() && (f.plus || neg || f.space) || x.is_infinite() && f.plus {
        if f.zero && !f.minus && f.wid.is_some_and(|w| w > num.len()) && x.is_finite() {
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', f.wid.unwrap_or(0) - num.len()));
            out.push_str(&body);
            return;
        }
        f.pad(out, &num);
        return;
    }
    let num = if x.is_infinite() { body } else { num };
    f.pad_with(out, &num, f.zero && x.is_finite());
}

fn fmt_str(out: &mut String, s: &str, verb: char, f: &Flags, v: &Value) {
    let trunc = |s: &str| -> String {
        match f.prec {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        }
    };
    match verb {
        'v' | 's' => f.pad(out, &trunc(s)),
        'q' => {
            let t = trunc(s);
            if f.sharp && !t.contains('`') && t.chars().all(|c| c == '\t' || is_print(c)) {
                f.pad(out, &format!("`{t}`"));
            } else {
                f.pad(out, &quote(&t));
            }
        }
        'x' | 'X' => {
            let bytes = s.as_bytes();
            let bytes = match f.prec {
                Some(p) if p < bytes.len() => &bytes[..p],
                _ => bytes,
            };
            let mut h = String::new();
            for (i, b) in bytes.iter().enumerate() {
                if f.space && i > 0 {
                    h.push(' ');
                }
                if f.sharp && (f.space || i == 0) {
                    h.push_str(if verb == 'x' { "0x" } else { "0X" });
                }
                if verb == 'x' {
                    let _ = write!(h, "{b:02x}");
                } else {
                    let _ = write!(h, "{b:02X}");
                }
            }
            f.pad(out, &h);
        }
        _ => bad_verb(out, v, verb, f),
    }
}
