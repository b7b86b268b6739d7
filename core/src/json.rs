//! A small, fast JSON reader that keeps the byte span of every node. `oc get -o json` output and
//! big generated `List`s go through here; it never panics and limits nesting depth.

use std::borrow::Cow;

use crate::diag::Diagnostic;
use crate::source::Span;
use crate::tree::{Key, Node, Value};

pub mod write;

/// Nesting limit: the 128th open array or object is refused, as serde_json (whose recursion
/// limit this is) refuses it.
pub const MAX_DEPTH: usize = 128;

/// Parses one JSON document of file `file`.
pub fn parse(file: u32, text: &str) -> Result<Node<'_>, Diagnostic> {
    parse_streaming(file, text, None)
}

/// Parses one JSON document; when the top level is an object with an `items` array (a `List`),
/// each item is handed to `on_item` as soon as it is parsed and left out of the returned tree,
/// so a 50k-object list never has to be held as one tree.
pub fn parse_streaming<'a>(
    file: u32,
    text: &'a str,
    on_item: Option<&mut dyn FnMut(Node<'a>)>,
) -> Result<Node<'a>, Diagnostic> {
    let mut p = Parser { b: text.as_bytes(), text, pos: 0, file, on_item, entries: Vec::new(), items: Vec::new() };
    p.ws();
    let node = p.value(0)?;
    p.ws();
    if p.pos < p.b.len() {
        return Err(p.err("trailing characters after the JSON document"));
    }
    Ok(node)
}

struct Parser<'a, 'f> {
    b: &'a [u8],
    text: &'a str,
    pos: usize,
    file: u32,
    on_item: Option<&'f mut dyn FnMut(Node<'a>)>,
    /// Scratch stacks: children are gathered here and moved into an exactly sized vector when
    /// their container closes, so no container vector ever grows and reallocates.
    entries: Vec<(Key<'a>, Node<'a>)>,
    items: Vec<Node<'a>>,
}

impl<'a> Parser<'a, '_> {
    fn err(&self, msg: &str) -> Diagnostic {
        let end = (self.pos + 1).min(self.b.len()).max(self.pos);
        Diagnostic::error("routec::input::json-syntax", format!("invalid JSON: {msg}"))
            .at(Span::new(self.file, self.pos..end), msg)
    }

    fn ws(&mut self) {
        while let Some(c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, Diagnostic> {
        let start = self.pos;
        if depth + 1 >= MAX_DEPTH && matches!(self.b.get(self.pos), Some(b'{' | b'[')) {
            return Err(self.err("nesting is too deep"));
        }
        let value = match self.b.get(self.pos) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::Scalar { text: self.string()?, quoted: true },
            Some(b't') => self.literal("true")?,
            Some(b'f') => self.literal("false")?,
            Some(b'n') => {
                self.literal("null")?;
                Value::Null
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.err("expected a value")),
            None => return Err(self.err("unexpected end of input")),
        };
        Ok(Node { value, span: Span::new(self.file, start..self.pos) })
    }

    fn literal(&mut self, word: &'static str) -> Result<Value<'a>, Diagnostic> {
        if self.b.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(Value::Scalar { text: Cow::Borrowed(word), quoted: false })
        } else {
            Err(self.err("expected a value"))
        }
    }

    /// A number as RFC 8259 writes it (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), kept
    /// as text: Go's decoder refuses `01`, `1.`, `.5`, `+1` and `1e`, and so does this reader.
    fn number(&mut self) -> Result<Value<'a>, Diagnostic> {
        let start = self.pos;
        if self.b.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.b.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err("invalid number")),
        }
        if self.b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(self.err("invalid number: no digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.b.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(self.err("invalid number: no digit in the exponent"));
            }
            self.digits();
        }
        let text: &'a str = self.text.get(start..self.pos).unwrap_or("");
        Ok(Value::Scalar { text: Cow::Borrowed(text), quoted: false })
    }

    fn digits(&mut self) {
        while self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<Cow<'a, str>, Diagnostic> {
        self.pos += 1;
        let start = self.pos;
        while let Some(&c) = self.b.get(self.pos) {
            if c == b'"' {
                let s: &'a str = self.text.get(start..self.pos).unwrap_or("");
                self.pos += 1;
                return Ok(Cow::Borrowed(s));
            }
            if c == b'\\' || c < 0x20 {
                break;
            }
            self.pos += 1;
        }
        self.pos = start;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&c) = self.b.get(self.pos) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
            match self.b.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(&e) = self.b.get(self.pos) else { return Err(self.err("unterminated string")) };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(self.err("invalid escape")),
                    }
                }
                Some(_) => return Err(self.err("control character in string")),
                None => return Err(self.err("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Diagnostic> {
        // Exactly four hex digits: `from_str_radix` alone would also take a sign (`\u+00e`).
        let digits = self.b.get(self.pos..self.pos + 4).filter(|d| d.iter().all(u8::is_ascii_hexdigit));
        let digits = digits.ok_or_else(|| self.err("invalid \\u escape"))?;
        let v = digits.iter().fold(0, |v, &d| v * 16 + char::from(d).to_digit(16).unwrap_or(0));
        self.pos += 4;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, Diagnostic> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) {
            if self.b.get(self.pos..self.pos + 2) == Some(b"\\u") {
                self.pos += 2;
                let lo = self.hex4()?;
                if (0xDC00..0xE000).contains(&lo) {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
                }
            }
            return Ok('\u{FFFD}');
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, Diagnostic> {
        self.pos += 1;
        let base = self.entries.len();
        self.ws();
        if self.b.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Map(Vec::new()));
        }
        loop {
            self.ws();
            if self.b.get(self.pos) != Some(&b'"') {
                return Err(self.err("expected a string key"));
            }
            let kstart = self.pos;
            let text = self.string()?;
            let key = Key { text, span: Span::new(self.file, kstart..self.pos) };
            self.ws();
            if self.b.get(self.pos) != Some(&b':') {
                return Err(self.err("expected ':'"));
            }
            self.pos += 1;
            self.ws();
            if depth == 0 && key.text == "items" && self.on_item.is_some() && self.b.get(self.pos) == Some(&b'[') {
                let start = self.pos;
                self.stream_items()?;
                self.entries
                    .push((key, Node { value: Value::Seq(Vec::new()), span: Span::new(self.file, start..self.pos) }));
            } else {
                let v = self.value(depth + 1)?;
                self.entries.push((key, v));
            }
            self.ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Map(self.entries.drain(base..).collect()));
                }
                _ => return Err(self.err("expected ',' or '}'")),
            }
        }
    }

    fn stream_items(&mut self) -> Result<(), Diagnostic> {
        self.pos += 1;
        self.ws();
        if self.b.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.ws();
            let item = self.value(1)?;
            if let Some(f) = self.on_item.as_mut() {
                f(item);
            }
            self.ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, Diagnostic> {
        self.pos += 1;
        let base = self.items.len();
        self.ws();
        if self.b.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Seq(Vec::new()));
        }
        loop {
            self.ws();
            let v = self.value(depth + 1)?;
            self.items.push(v);
            self.ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Seq(self.items.drain(base..).collect()));
                }
                _ => return Err(self.err("expected ',' or ']'")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(0, &nested(MAX_DEPTH - 1)).is_ok());
        assert!(parse(0, &nested(MAX_DEPTH)).is_err());
    }

    #[test]
    fn numbers_follow_the_json_grammar() {
        for ok in ["0", "-0", "10", "1.5", "-1.5e+3", "2E-2", "1e400"] {
            assert!(parse(0, ok).is_ok(), "{ok}");
        }
        for bad in ["01", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "1-2", "0x1"] {
            assert!(parse(0, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unicode_escapes_take_exactly_four_hex_digits() {
        for ok in [r#""\u00e9""#, r#""\uABcd""#, r#""\ud83d\ude00""#] {
            assert!(parse(0, ok).is_ok(), "{ok}");
        }
        // `\u+00e` was accepted (the libFuzzer campaign, fuzz/regressions/json_differential).
        for bad in [r#""\u+00e""#, r#""\u-001""#, r#""\u 0a0""#, r#""\u00g0""#, r#""\u00""#] {
            assert!(parse(0, bad).is_err(), "{bad}");
        }
    }
}
