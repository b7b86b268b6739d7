//! Map files and crt-lists (spec: haproxy-config-format.md §3). Maps have no quoting: the key
//! runs to the first blank, the value is the rest of the line with trailing blanks trimmed, and
//! `#` is a comment only in column 0. A crt-list line is a certificate, an optional `[options]`
//! block and SNI filters; `[` and `]` split words, and there are no inline comments.

use super::lex::Range;

/// One map entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEntry {
    /// The key.
    pub key: String,
    /// The value ("" when absent).
    pub value: String,
    /// 1-based line.
    pub line: usize,
    /// The line's byte range.
    pub span: Range,
}

/// Splits `src` into physical lines with their byte ranges (terminator excluded).
fn lines(src: &[u8]) -> impl Iterator<Item = (usize, Range)> + '_ {
    let mut start = 0;
    let mut n = 0;
    std::iter::from_fn(move || {
        if start >= src.len() {
            return None;
        }
        let end = src.get(start..).and_then(|r| r.iter().position(|b| *b == b'\n')).map_or(src.len(), |k| start + k);
        let r = start..end;
        start = end + 1;
        n += 1;
        Some((n, r))
    })
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Parses a map file. Printing a map file back is the identity on its bytes; this is its
/// meaning.
pub fn parse_map(src: &[u8]) -> Vec<MapEntry> {
    let mut out = Vec::new();
    for (n, r) in lines(src) {
        let line = src.get(r.clone()).unwrap_or_default();
        // A CR or NUL ends what is read of the line.
        let line = line.split(|b| *b == b'\r' || *b == 0).next().unwrap_or_default();
        if line.first() == Some(&b'#') {
            continue;
        }
        let rest: &[u8] = &line[line.iter().take_while(|b| is_blank(**b)).count()..];
        if rest.is_empty() {
            continue;
        }
        let k = rest.iter().take_while(|b| !is_blank(**b)).count();
        let (key, tail) = rest.split_at(k);
        let tail = &tail[tail.iter().take_while(|b| is_blank(**b)).count()..];
        let vlen = tail.len() - tail.iter().rev().take_while(|b| is_blank(**b)).count();
        out.push(MapEntry {
            key: String::from_utf8_lossy(key).into_owned(),
            value: String::from_utf8_lossy(tail.get(..vlen).unwrap_or_default()).into_owned(),
            line: n,
            span: r,
        });
    }
    out
}

/// One crt-list line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrtEntry {
    /// The certificate path.
    pub cert: String,
    /// The words inside `[...]`, in order.
    pub options: Vec<String>,
    /// SNI filters, in order.
    pub filters: Vec<String>,
    /// 1-based line.
    pub line: usize,
    /// The line's byte range.
    pub span: Range,
}

/// A problem in a crt-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrtError {
    /// Where.
    pub span: Range,
    /// Message.
    pub message: String,
}

/// Parses a crt-list.
pub fn parse_crt_list(src: &[u8]) -> (Vec<CrtEntry>, Vec<CrtError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, r) in lines(src) {
        let line = src.get(r.clone()).unwrap_or_default();
        if matches!(line.first(), None | Some(b'#' | b'\r')) {
            continue;
        }
        // Words split on blanks, and `[` / `]` are words of their own.
        let mut words: Vec<String> = Vec::new();
        let mut cur = Vec::new();
        for &b in line {
            if b.is_ascii_whitespace() || b == b'[' || b == b']' {
                if !cur.is_empty() {
                    words.push(String::from_utf8_lossy(&cur).into_owned());
                    cur.clear();
                }
                if b == b'[' || b == b']' {
                    words.push(char::from(b).to_string());
                }
            } else {
                cur.push(b);
            }
        }
        if !cur.is_empty() {
            words.push(String::from_utf8_lossy(&cur).into_owned());
        }
        let mut it = words.into_iter();
        let Some(cert) = it.next() else { continue };
        let mut options = Vec::new();
        let mut filters = Vec::new();
        let mut state = 0; // 0: before options, 1: inside, 2: after
        for w in it {
            match (state, w.as_str()) {
                (0, "[") => state = 1,
                (1, "]") => state = 2,
                (1, _) => options.push(w),
                (_, "[" | "]") => errors.push(CrtError { span: r.clone(), message: format!("unexpected `{w}`") }),
                _ => filters.push(w),
            }
        }
        if state == 1 {
            // An unclosed `[` is accepted silently: its words are read as SNI filters.
            filters.splice(0..0, options.drain(..));
        }
        out.push(CrtEntry { cert, options, filters, line: n, span: r });
    }
    if src.last().is_some_and(|b| *b != b'\n') {
        errors
            .push(CrtError { span: src.len().saturating_sub(1)..src.len(), message: "missing LF on last line".into() });
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_rules() {
        let m = parse_map(b"# c\n  # x\n/a value with  spaces   \n/b x#y\n\n   \n/k\n/dup first\r\n/dup second");
        let kv: Vec<(&str, &str)> = m.iter().map(|e| (e.key.as_str(), e.value.as_str())).collect();
        assert_eq!(
            kv,
            vec![
                ("#", "x"),
                ("/a", "value with  spaces"),
                ("/b", "x#y"),
                ("/k", ""),
                ("/dup", "first"),
                ("/dup", "second")
            ]
        );
    }

    #[test]
    fn crt_list_rules() {
        let (e, errs) = parse_crt_list(b"a.pem[alpn h2]x.com\n# c\nb.pem [verify none] *.x !y.x\nc.pem [alpn h2\n");
        assert!(errs.is_empty());
        assert_eq!(e[0].cert, "a.pem");
        assert_eq!(e[0].options, vec!["alpn", "h2"]);
        assert_eq!(e[0].filters, vec!["x.com"]);
        assert_eq!(e[1].filters, vec!["*.x", "!y.x"]);
        assert_eq!(e[2].filters, vec!["alpn", "h2"]);
    }
}
