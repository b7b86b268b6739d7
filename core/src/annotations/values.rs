//! The value rules of the annotations the router parses itself, reproduced exactly: its
//! `parseIPList`, its HSTS pattern and its rewrite-target sanitising (spec §6).

/// The router's `parseIPList`: the kept tokens, or `None` when nothing is restricted.
pub fn parse_ip_list(raw: &str) -> Option<Vec<String>> {
    if raw.trim().is_empty() || raw.trim() != raw {
        return None;
    }
    let kept: Vec<String> = raw.split_ascii_whitespace().filter(|t| is_ip_or_cidr(t)).map(str::to_owned).collect();
    (!kept.is_empty()).then_some(kept)
}

fn is_ip_or_cidr(t: &str) -> bool {
    match t.split_once('/') {
        None => t.parse::<std::net::IpAddr>().is_ok(),
        Some((ip, bits)) => {
            let Ok(addr) = ip.parse::<std::net::IpAddr>() else { return false };
            let max = if addr.is_ipv4() { 32 } else { 128 };
            !bits.is_empty()
                && bits.len() <= 3
                && bits.bytes().all(|b| b.is_ascii_digit())
                && bits.parse::<u32>().is_ok_and(|b| b <= max)
        }
    }
}

/// Whole-string, case-insensitive match of the router's HSTS pattern.
pub fn is_hsts(v: &str) -> bool {
    let s = v.to_ascii_lowercase();
    let b = s.as_bytes();
    let mut p = 0usize;
    let ws = |p: &mut usize| {
        while b.get(*p).is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')) {
            *p += 1;
        }
    };
    let word = |p: &mut usize, w: &str| -> bool {
        if s.get(*p..).is_some_and(|r| r.starts_with(w)) {
            *p += w.len();
            true
        } else {
            false
        }
    };
    let directive = |p: &mut usize| word(p, "includesubdomains") || word(p, "preload");
    loop {
        let save = p;
        if directive(&mut p) {
            ws(&mut p);
            if b.get(p) == Some(&b';') {
                p += 1;
                ws(&mut p);
                continue;
            }
        }
        p = save;
        break;
    }
    if !word(&mut p, "max-age") {
        return false;
    }
    ws(&mut p);
    if b.get(p) != Some(&b'=') {
        return false;
    }
    p += 1;
    ws(&mut p);
    let quoted = b.get(p) == Some(&b'"');
    if quoted {
        p += 1;
    }
    let n = b.get(p..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
    if n == 0 {
        return false;
    }
    p += n;
    if quoted {
        if b.get(p) != Some(&b'"') {
            return false;
        }
        p += 1;
    }
    while p < b.len() {
        ws(&mut p);
        if b.get(p) != Some(&b';') {
            return false;
        }
        p += 1;
        ws(&mut p);
        if !directive(&mut p) {
            return false;
        }
    }
    true
}

/// The router's rewrite-target sanitising (spec §6.6).
pub fn sanitize_rewrite_target(input: &str) -> String {
    // 1. Cut at the first unescaped '#'.
    let mut s = String::new();
    let mut escaped = false;
    let mut comment = false;
    for c in input.chars() {
        if c == '#' && !escaped {
            comment = true;
            break;
        }
        escaped = c == '\\' && !escaped;
        s.push(c);
    }
    // 2. Drop unescaped '"'.
    let mut t = String::new();
    escaped = false;
    for c in s.chars() {
        if c == '"' && !escaped {
            continue;
        }
        escaped = c == '\\' && !escaped;
        t.push(c);
    }
    // 3. Drop unescaped '\''; escaped ones become '\\''.
    let mut u = String::new();
    escaped = false;
    for c in t.chars() {
        if c == '\'' {
            if escaped {
                u.push_str("'\\\\''");
            }
            escaped = false;
            continue;
        }
        escaped = c == '\\' && !escaped;
        u.push(c);
    }
    // 4. Odd runs of '%' are doubled.
    let u = map_runs(&u, '%', |n| if n % 2 == 1 { 2 * n } else { n });
    // 5. Lone backslashes are deleted.
    let u = map_runs(&u, '\\', |n| if n == 1 { 0 } else { n });
    // 6. Every "\\" becomes "\".
    let mut out = u.replace("\\\\", "\\");
    if !comment {
        out.push_str("\\1");
    }
    out
}

fn map_runs(s: &str, ch: char, f: impl Fn(usize) -> usize) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = 0usize;
    for c in s.chars().chain(std::iter::once('\0')) {
        if c == ch {
            run += 1;
            continue;
        }
        for _ in 0..f(run) {
            out.push(ch);
        }
        run = 0;
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_target_table() {
        let cases = [
            ("%foo", "%%foo\\1"),
            ("%%foo", "%%foo\\1"),
            ("%%%foo", "%%%%%%foo\\1"),
            ("%%%%foo", "%%%%foo\\1"),
            ("'foo'foo\\'", "foofoo'\\''\\1"),
            ("\\foo\\", "foo\\1"),
            ("\\\\foo\\\\", "\\foo\\\\1"),
            ("\\\\\\foo\\\\\\", "\\\\foo\\\\\\1"),
            ("\\\\\\\\foo\\\\\\\\", "\\\\foo\\\\\\1"),
            ("# foo # foo", ""),
            ("\\# foo # foo", "# foo "),
            ("foo # foo", "foo "),
            ("\"foo\"foo\\\"", "foofoo\"\\1"),
            ("\\\\foo\\\"foo\"\\#foo\\foo'foo\\'#foo", "\\foo\"foo#foofoofoo'\\''"),
        ];
        for (i, o) in cases {
            assert_eq!(sanitize_rewrite_target(i), o, "input {i}");
        }
    }

    #[test]
    fn hsts() {
        for ok in [
            "max-age=99999;includeSubDomains;preload",
            "max-age=99999;includeSubDomains",
            "max-age=99999 ;  includesubdomains;  PREload",
            "max-age=\"99999\"",
            "max-age  =  \"99999\"",
            "preload; max-age=1",
        ] {
            assert!(is_hsts(ok), "{ok}");
        }
        for bad in [
            "min-age=99999",
            "max-age=99999;includesubdomains;preload;wrongdirective",
            "max-age=99999;includesubdomain",
            "max-age=",
            "max-age=1;",
        ] {
            assert!(!is_hsts(bad), "{bad}");
        }
    }

    #[test]
    fn ip_lists() {
        assert_eq!(parse_ip_list(" 192.168.10.10  "), None);
        assert_eq!(parse_ip_list("192.168.10.5/64"), None);
        assert_eq!(parse_ip_list("2600:14a0::/256"), None);
        assert_eq!(
            parse_ip_list("192.168.1.0 10.10.0.1 192.168. 10.").map(|v| v.join(" ")),
            Some("192.168.1.0 10.10.0.1".into())
        );
        assert_eq!(parse_ip_list("192.168.010.1"), None);
        assert!(parse_ip_list("64:ff9b::192.168.0.1 2001:0db8:85a3::8a2e:370:10/64 ::ffff:192.168.0.1").is_some());
    }
}
