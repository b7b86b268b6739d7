//! Cooking: a lexed word becomes the bytes HAProxy hands to the keyword parser. Quotes go,
//! escapes are applied, and `$VAR` references inside double quotes expand against an explicit
//! environment (`${X[*]}` may split into several words). Pure: the environment is a value.

use crate::sorted::Map;

use super::lex::{DqPart, Escape, Frag, Word};

/// The environment words are cooked against.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Variables that are set (possibly to "").
    pub vars: Map<String, String>,
    /// `.FILE`.
    pub file: String,
    /// `.LINE`, 1-based.
    pub line: usize,
    /// `.SECTION`.
    pub section: String,
}

impl Env {
    fn get(&self, name: &[u8]) -> Option<String> {
        match name {
            b".FILE" => Some(self.file.clone()),
            b".LINE" => Some(self.line.to_string()),
            b".SECTION" => Some(self.section.clone()),
            _ => std::str::from_utf8(name).ok().and_then(|n| self.vars.get(n).cloned()),
        }
    }
}

/// Appends what an escape stands for to the current word. A backslash before something that is
/// not an escape stays a backslash; the byte after it was lexed on its own.
fn push_escape(words: &mut Vec<Vec<u8>>, e: Escape) {
    match e {
        Escape::Char(c) | Escape::Byte(c) => push(words, &[c]),
        Escape::Kept => push(words, b"\\"),
        Escape::BadHex => push(words, b"\\x"),
    }
}

/// Cooks one word. Usually one result; `${X[*]}` splits on blanks.
pub fn cook(src: &[u8], w: &Word, env: &Env) -> Vec<Vec<u8>> {
    let mut words: Vec<Vec<u8>> = vec![Vec::new()];
    let slice = |r: &std::ops::Range<usize>| src.get(r.clone()).unwrap_or_default();
    for f in &w.frags {
        match f {
            Frag::Bare(r) => push(&mut words, slice(r)),
            Frag::Escape(_, e) => push_escape(&mut words, *e),
            Frag::Sq { inner, .. } => push(&mut words, slice(inner)),
            Frag::Dq { parts, .. } => {
                for p in parts {
                    match p {
                        DqPart::Text(r) => push(&mut words, slice(r)),
                        DqPart::Escape(_, e) => push_escape(&mut words, *e),
                        DqPart::Env(_, r) => {
                            let value = env.get(slice(&r.name));
                            let value = match (value, &r.default) {
                                (Some(v), _) => v.into_bytes(),
                                (None, Some(d)) => slice(d).to_vec(),
                                (None, None) => Vec::new(),
                            };
                            if r.split {
                                let mut parts =
                                    value.split(|b| matches!(b, b' ' | b'\t' | 0x0b | 0x0c)).filter(|s| !s.is_empty());
                                if let Some(first) = parts.next() {
                                    push(&mut words, first);
                                }
                                for rest in parts {
                                    words.push(rest.to_vec());
                                }
                            } else {
                                push(&mut words, &value);
                            }
                        }
                    }
                }
            }
        }
    }
    // HAProxy's C strings end at a NUL made with `\x00`.
    for w in &mut words {
        if let Some(k) = w.iter().position(|b| *b == 0) {
            w.truncate(k);
        }
    }
    words
}

fn push(words: &mut Vec<Vec<u8>>, bytes: &[u8]) {
    match words.last_mut() {
        Some(w) => w.extend_from_slice(bytes),
        None => words.push(bytes.to_vec()),
    }
}

/// Cooks a whole line's words, as text (invalid UTF-8 is replaced).
pub fn cook_line(src: &[u8], words: &[Word], env: &Env) -> Vec<String> {
    words.iter().flat_map(|w| cook(src, w, env)).map(|b| String::from_utf8_lossy(&b).into_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    fn words(line: &str) -> Vec<String> {
        let mut env = Env::default();
        env.vars.insert("HOME".into(), "/root".into());
        env.vars.insert("EMPTY".into(), String::new());
        env.vars.insert("X".into(), "a  b".into());
        let l = lex(line.as_bytes());
        let first = l.lines.first().cloned().unwrap_or_else(|| super::super::lex::Line {
            span: 0..0,
            words: Vec::new(),
            comment: None,
            after_cr: None,
            terminator: super::super::lex::Terminator::Eof,
        });
        cook_line(line.as_bytes(), &first.words, &env)
    }

    #[test]
    fn spec_examples() {
        let cases: &[(&str, &[&str])] = &[
            ("foo\\ bar\n", &["foo bar"]),
            ("a\"b c\"d\n", &["ab cd"]),
            ("'say \"hi\"'\n", &["say \"hi\""]),
            ("\"it's\"\n", &["it's"]),
            ("\"a\\'b\"\n", &["a'b"]),
            ("'a\\\"b'\n", &["a\\\"b"]),
            ("\"a\\tb\"\n", &["a\tb"]),
            ("a\\nb\n", &["a\nb"]),
            ("\\x41\\x4a\n", &["AJ"]),
            ("'\\x41'\n", &["\\x41"]),
            ("a\\\\b\n", &["a\\b"]),
            ("a\\b\n", &["a\\b"]),
            ("\"a\\\\\" b\n", &["a\\", "b"]),
            ("foo\\\\ bar\n", &["foo\\", "bar"]),
            ("a\\\\#b\n", &["a\\"]),
            ("\"foo#bar\"\n", &["foo#bar"]),
            ("foo\\#bar\n", &["foo#bar"]),
            ("'\\#'\n", &["\\#"]),
            ("\"a\"#b\n", &["a"]),
            ("a'b'\"c\"\n", &["abc"]),
            ("log-format %{+Q}o\\ %t\n", &["log-format", "%{+Q}o %t"]),
            ("foo#bar\n", &["foo"]),
            ("foo\\\tbar\n", &["foo\\", "bar"]),
            ("\\$x\n", &["\\$x"]),
            ("$HOME ${HOME}\n", &["$HOME", "${HOME}"]),
            ("\"$HOME\"\n", &["/root"]),
            ("\"$HOME-x\"\n", &["/root-x"]),
            ("\"${UNSET-d e}\"\n", &["d e"]),
            ("\"${EMPTY-d}\"\n", &[""]),
            ("\"${X[*]}\"\n", &["a", "b"]),
            ("'a'\\''b'\n", &["a'b"]),
            ("a\\x00b\n", &["a"]),
            ("\\X41\n", &["\\X41"]),
            ("a\x0bb\n", &["a", "b"]),
            ("max\"conn\" 10\r\n", &["maxconn", "10"]),
            ("global\r.alert \"x\"\r\n", &["global"]),
        ];
        for (input, want) in cases {
            assert_eq!(words(input), want.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(), "{input:?}");
        }
    }

    #[test]
    fn lexer_errors() {
        for (input, code) in [
            ("\"a$\"\n", "bad-env-name"),
            ("\"$5\"\n", "bad-env-name"),
            ("\"${X:-d}\"\n", "unmatched-brace"),
            ("\"unterminated\n", "unmatched-quote"),
            ("'a\\'b'\n", "unmatched-quote"),
            ("\\x4g\n", "bad-hex"),
            ("a\0b\n", "nul-byte"),
            ("global", "missing-final-lf"),
        ] {
            let l = lex(input.as_bytes());
            assert!(l.errors.iter().any(|e| e.code == format!("routec::hap::{code}")), "{input:?}: {:?}", l.errors);
        }
        let many = format!("{}\n", vec!["w"; 65].join(" "));
        assert!(lex(many.as_bytes()).errors.iter().any(|e| e.code == "routec::hap::too-many-words"));
    }
}
