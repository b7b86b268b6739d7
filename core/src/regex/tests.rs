//! The engine's own checks: matching basics in both flavours, limits, and linearity (VM
//! steps, not wall time). The differential tests against the `regex` crate are in
//! `core/tests/regex_differential.rs`; Go's error texts in `core/tests/regex_errors.rs`.

use super::Regex;

fn go(p: &str) -> Regex {
    Regex::new_go(p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn go_basics() {
    assert!(go(r"\A(?:[1-9][0-9]*(us|ms|s|m|h|d)?)\z").is_match(b"30s"));
    assert!(!go(r"\A(?:[1-9][0-9]*(us|ms|s|m|h|d)?)\z").is_match(b"30s "));
    assert_eq!(go("a+").find(b"baaa"), Some((1, 4)));
    assert_eq!(go("a|ab").find(b"ab"), Some((0, 1)));
    assert_eq!(go("(a)(b)?").captures(b"a"), Some(vec![Some((0, 1)), Some((0, 1)), None]));
    assert!(go(r"^.$").is_match("é".as_bytes()));
    assert!(!go(r"^\w$").is_match("é".as_bytes()));
    assert!(go(r"(?i)\Akelvin\z").is_match("\u{212A}ELVIN".as_bytes()));
    assert!(go(r"\bfoo\b").is_match(b"a foo."));
    assert!(!go(r"\bfoo\b").is_match(b"afoo"));
    assert!(go(r"(?m)^b$").is_match(b"a\nb\nc"));
    assert!(!go(r"^b$").is_match(b"a\nb\nc"));
}

#[test]
fn pcre_basics_and_replace() {
    let re = Regex::new_pcre(r"^/api/(.*)", false).unwrap();
    assert_eq!(re.replace(b"/api/v1", br"/v2/\1", false), b"/v2/v1");
    let re = Regex::new_pcre(":[0-9]+$", false).unwrap();
    assert_eq!(re.replace(b"web:8080", b"", false), b"web");
    let re = Regex::new_pcre("a*", false).unwrap();
    assert_eq!(re.replace(b"baaac", b"-", true), b"-b-c-");
    assert!(Regex::new_pcre("HOST", true).unwrap().is_match(b"a host"));
    assert!(!Regex::new_pcre(r"\xe9", false).unwrap().is_match("é".as_bytes()));
    assert!(Regex::new_pcre(r"\xc3", false).unwrap().is_match("é".as_bytes()));
    assert!(Regex::new_pcre("é", false).unwrap().is_match("é".as_bytes()));
    for p in [r"(?=a)", r"(a)\1", "a*+", "(?>a)", r"\Z", r"\pL"] {
        assert!(Regex::new_pcre(p, false).is_err(), "{p}");
    }
}

#[test]
fn hostile_patterns_are_bounded() {
    assert!(Regex::new_pcre("((a{1000}){1000}){1000}", false).is_err());
    assert!(Regex::new_go("((a{1000}){1000}){1000}").is_err());
    assert!(Regex::new_pcre("((?:){65535}){65535}", false).is_err());
    assert!(Regex::new_go(&"(".repeat(10_000)).is_err());
    assert!(Regex::new_go(&format!("a{}", "(?i)*".repeat(10_000))).is_err());
    let re = go("(x+x+)+y");
    assert!(!re.is_match(&[b'x'; 5000]));
}

#[test]
fn vm_steps_grow_linearly() {
    for p in ["(x+x+)+y", "(a|aa)*b", r"(\w+\s*)*$", "((a*)*|b)*c", "[a-q][^u-z]{13}x"] {
        let re = go(p);
        // Runs of one letter are what makes backtracking engines exponential.
        for unit in ["ab xa", "x", "a"] {
            let hay = |n: usize| unit.repeat(n).into_bytes();
            let (s1, s2) = (re.vm_steps(&hay(200)), re.vm_steps(&hay(400)));
            // Doubling the haystack at most doubles the steps (5% for the pattern's own length).
            assert!(s1 > 0 && s2 * 100 <= s1 * 205, "{p} on {unit:?}: {s1} steps for 200 units, {s2} for 400");
        }
    }
}
