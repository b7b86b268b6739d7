//! Go's `regexp` (RE2) patterns on the `regex` crate. The syntax is the same; the differences
//! that matter: Go's Perl classes (`\d`, `\s`, `\w`, `\b`) are ASCII-only while the crate's
//! are Unicode-aware, so they are rewritten to their ASCII sets; and the core is built without
//! the crate's Unicode tables, so a case-insensitive pattern (`(?i)`, the HSTS check) is
//! compiled in ASCII mode, where it folds ASCII letters only (Go also folds `K`/`ſ` with the
//! Kelvin sign and long s) and classes match bytes rather than characters beyond ASCII.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

use regex::Regex;

use crate::gotmpl::exec::ShortKeyHasher;

/// A compiled pattern: in Unicode mode when the crate can build it, in ASCII mode otherwise.
pub(crate) enum Re {
    /// Characters, as Go matches them.
    Unicode(Regex),
    /// Bytes with ASCII case folding (needs no Unicode tables).
    Ascii(regex::bytes::Regex),
}

impl Re {
    /// Whether the pattern matches somewhere in `s`.
    pub(crate) fn is_match(&self, s: &str) -> bool {
        match self {
            Re::Unicode(r) => r.is_match(s),
            Re::Ascii(r) => r.is_match(s.as_bytes()),
        }
    }
}

/// Compiled patterns by source text, as the router's `cachedRegexpCompile` keeps them: a
/// template calls `firstMatch` with the same few patterns for every route, so the lookup is
/// hashed with the template engine's short-key hasher (the patterns are the template's).
#[derive(Default, Clone)]
pub(crate) struct Cache(Rc<RefCell<Patterns>>);

type Patterns = HashMap<String, Option<Re>, BuildHasherDefault<ShortKeyHasher>>;

impl Cache {
    /// Whether `value` matches `pattern` as a whole (`\A(?:pattern)\z`); `Err` with Go-like
    /// text when the pattern does not compile.
    pub(crate) fn full_match(&self, pattern: &str, value: &str) -> Result<bool, String> {
        let mut map = self.0.borrow_mut();
        let re = match map.get(pattern) {
            Some(re) => re,
            None => map.entry(pattern.to_owned()).or_insert_with(|| compile(&format!(r"\A(?:{pattern})\z"))),
        };
        match re {
            Some(re) => Ok(re.is_match(value)),
            None => Err(format!("error parsing regexp: `{pattern}`")),
        }
    }
}

/// Compiles a Go pattern, `None` when it is not valid.
pub(crate) fn compile(pattern: &str) -> Option<Re> {
    let p = ascii_classes(pattern);
    match Regex::new(&p) {
        Ok(r) => Some(Re::Unicode(r)),
        Err(_) => regex::bytes::RegexBuilder::new(&p).unicode(false).build().ok().map(Re::Ascii),
    }
}

/// Rewrites the Perl classes to Go's ASCII sets; nested classes are valid inside `[...]` for
/// the `regex` crate, so one rewrite serves inside and outside brackets.
fn ascii_classes(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                match n {
                    'd' => out.push_str("[0-9]"),
                    'D' => out.push_str("[^0-9]"),
                    's' => out.push_str(r"[\t\n\x0C\r ]"),
                    'S' => out.push_str(r"[^\t\n\x0C\r ]"),
                    'w' => out.push_str("[0-9A-Za-z_]"),
                    'W' => out.push_str("[^0-9A-Za-z_]"),
                    'b' if !in_class => out.push_str(r"(?-u:\b)"),
                    'B' if !in_class => out.push_str(r"(?-u:\B)"),
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                // A `]` or `^]` right after the opening bracket is a literal.
                let rest = chars.as_str();
                let lit = if rest.starts_with("^]") { 2 } else { usize::from(rest.starts_with(']')) };
                for _ in 0..lit {
                    if let Some(x) = chars.next() {
                        out.push(x);
                    }
                }
            }
            '[' if chars.as_str().starts_with(':') => {
                // A POSIX class inside brackets: copy it whole.
                out.push('[');
                for x in chars.by_ref() {
                    out.push(x);
                    if x == ']' {
                        break;
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, v: &str) -> bool {
        Cache::default().full_match(p, v).unwrap_or(false)
    }

    #[test]
    fn perl_classes_are_ascii_as_in_go() {
        assert!(m(r"\d+", "123"));
        assert!(!m(r"\d+", "١٢٣"));
        assert!(m(r"[\d_]+", "1_2"));
        assert!(!m(r"\w+", "é"));
        assert!(m(r"[^\s]+", "a\u{a0}b"));
        assert!(m(r"a\sb", "a\tb"));
        assert!(m(r"[]a]+", "]a"));
        assert!(m(r"[[:alpha:]\d]+", "a1"));
        assert!(m(r"\\d", r"\d"));
    }

    #[test]
    fn anchors_whole_value_and_reports_bad_patterns() {
        assert!(m("[1-9][0-9]*(us|ms|s|m|h|d)?", "30s"));
        assert!(!m("[1-9][0-9]*(us|ms|s|m|h|d)?", "30s "));
        assert!(m("a|b", "b"));
        assert!(Cache::default().full_match("(", "x").is_err());
        assert!(m(r"[^a]", "é"));
        assert!(m("(?i)max-age=1", "Max-Age=1"));
        assert!(m(r#"(?i)(?:(?:includeSubDomains|preload)\s*[;]\s*)*max-age\s*=\s*(?:\d+|"\d+")"#, "MAX-AGE=5"));
    }
}
