//! Writing JSON text: string literals, objects and arrays from already-written values. The CLI's
//! `--format json` outputs and the wasm results are written with these, so both give the same
//! bytes and neither needs serde.

use std::fmt::Write as _;

/// Appends `s` as a JSON string literal.
pub fn push_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            // U+2028 and U+2029 end lines in older JavaScript string literals.
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => "",
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push_str(escape);
        }
        run = i + c.len_utf8();
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// `s` as a JSON string literal.
pub fn string(s: &str) -> String {
    let mut out = String::new();
    push_string(&mut out, s);
    out
}

/// `s` as a JSON string literal, or `null`.
pub fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "null".to_owned(), string)
}

/// An object from (key, already-written value) pairs, in that order.
pub fn object(fields: &[(&str, String)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_string(&mut out, k);
        out.push(':');
        out.push_str(v);
    }
    out.push('}');
    out
}

/// An array of items, each written by `f`.
pub fn array<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&f(item));
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_read_back_as_written() {
        for s in ["", "plain", "q\"b\\s", "nl\ncr\rtab\t", "\u{0}\u{1f}\u{7f}", "\u{2028}\u{2029}é😀"] {
            let text = string(s);
            let back: String = serde_json::from_str(&text).unwrap();
            assert_eq!(back, s, "{text}");
            assert!(!text.contains(['\n', '\r', '\u{2028}', '\u{2029}']), "{text}");
        }
    }

    #[test]
    fn objects_and_arrays_are_valid_json() {
        let o = object(&[("a", "1".into()), ("b\"", array(&["x", "y"], |s| string(s))), ("c", opt(None))]);
        assert_eq!(o, r#"{"a":1,"b\"":["x","y"],"c":null}"#);
        let v: serde_json::Value = serde_json::from_str(&o).unwrap();
        assert_eq!(v["b\""][1], "y");
    }
}
