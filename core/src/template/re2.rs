//! Go's `regexp` (RE2) patterns for the router template's functions, on the core's own engine
//! (`crate::regex`, Go flavour): Go's syntax, ASCII Perl classes, `.` and classes over UTF-8
//! characters, leftmost-first matching. Case-insensitive patterns (`(?i)`, the HSTS check)
//! fold ASCII letters and Go's two non-ASCII members of their orbits (KELVIN SIGN, LONG S),
//! but no other Unicode letters; `\p{..}` classes do not compile (no Unicode tables).

use std::cell::RefCell;
use std::rc::Rc;

use crate::regex::Regex;

/// Compiled patterns by source text, as the router's `cachedRegexpCompile` keeps them: a
/// template calls `firstMatch` with the same few patterns for every route, so the lookup is
/// hashed with the template engine's short-key hasher (the patterns are the template's).
#[derive(Default, Clone)]
pub(crate) struct Cache(Rc<RefCell<Patterns>>);

type Patterns = crate::hash::FastMap<String, Result<Regex, String>>;

impl Cache {
    /// Whether `value` matches `pattern` as a whole (`\A(?:pattern)\z`, the router's text);
    /// `Err` with Go's message when the pattern does not compile.
    pub(crate) fn full_match(&self, pattern: &str, value: &str) -> Result<bool, String> {
        let mut map = self.0.borrow_mut();
        let re = match map.get(pattern) {
            Some(re) => re,
            None => map.entry(pattern.to_owned()).or_insert_with(|| compile(&format!(r"\A(?:{pattern})\z"))),
        };
        match re {
            Ok(re) => Ok(re.is_match(value.as_bytes())),
            Err(e) => Err(e.clone()),
        }
    }
}

/// Compiles a Go pattern; `Err` holds Go's message.
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new_go(pattern).map_err(|e| e.to_string())
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
        assert_eq!(
            Cache::default().full_match("(", "x"),
            Err(r"error parsing regexp: missing closing ): `\A(?:()\z`".to_owned())
        );
        assert!(m(r"[^a]", "é"));
        assert!(m("(?i)max-age=1", "Max-Age=1"));
        assert!(m(r#"(?i)(?:(?:includeSubDomains|preload)\s*[;]\s*)*max-age\s*=\s*(?:\d+|"\d+")"#, "MAX-AGE=5"));
    }
}
