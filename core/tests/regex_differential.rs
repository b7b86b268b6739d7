//! `core::regex` against the `regex` crate (the engine it replaced, a dev-dependency here):
//! thousands of random patterns from a small grammar (fixed seeds), each run on random
//! haystacks, comparing `is_match`, the leftmost-first match span, every capture span and
//! (PCRE) global replacement. Both engines are RE2-style and leftmost-first, so they agree:
//!
//! - Go flavour on UTF-8 text; the reference is the crate in Unicode mode with the Perl
//!   classes rewritten to Go's ASCII sets (what `template::re2` did before), haystacks drawn
//!   from ASCII, `é`, `中`, KELVIN SIGN and LONG S (Unicode case folding beyond ASCII is a
//!   documented difference, so no other cased letters appear);
//! - PCRE flavour on bytes; the reference is the crate with `unicode(false)`, optionally
//!   case-insensitive, haystacks with arbitrary bytes.
//!
//! Patterns the crate refuses are skipped (counted); routec must accept every pattern the
//! crate accepts. `includes` (explain's DFA inclusion check) is compared with brute force
//! over every string up to length 5 on a small alphabet.

#[expect(clippy::print_stdout, reason = "the agreement count is part of the report")]
fn report(line: &str) {
    println!("{line}");
}

mod common;

use common::rng::Rng;
use routec_core::explain::analysis::includes;
use routec_core::regex::Regex;

#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    Go,
    Pcre,
}

const ATOMS: &[&str] = &[
    "a",
    "b",
    "c",
    "x",
    "0",
    "1",
    "-",
    r"\.",
    "/",
    " ",
    ".",
    "[abc]",
    "[^ab]",
    "[a-c]",
    "[0-9]",
    r"\d",
    r"\w",
    r"\s",
    r"\D",
    r"\W",
    r"\S",
    "[[:alpha:]]",
    "[[:^digit:]]",
    r"[\d_]",
    r"[^\w.]",
    "[]a]",
    "[a-]",
    r"\x41",
    r"\n",
    "A",
    "_",
];
const GO_ATOMS: &[&str] = &["é", "中", "[é-中]", "[^é]", "\u{212A}", "k", "s", r"\x{212A}", "[k-t]"];
const LOOKS: &[&str] = &["^", "$", r"\b", r"\B", r"\A", r"\z"];
const QUANTS: &[&str] = &["*", "+", "?", "{2}", "{1,3}", "{0,}", "{2,}", "*?", "+?", "??", "{1,2}?"];

fn pattern(rng: &mut Rng, flavor: Flavor, depth: u32) -> String {
    let n = 1 + rng.below(4);
    let mut out = String::new();
    for _ in 0..n {
        let mut item = match rng.below(if depth > 2 { 6 } else { 10 }) {
            0..=3 => rng.pick(ATOMS).to_owned(),
            4 if flavor == Flavor::Go => rng.pick(GO_ATOMS).to_owned(),
            4 | 5 => rng.pick(LOOKS).to_owned(),
            6 => format!("({})", pattern(rng, flavor, depth + 1)),
            7 => format!("(?:{}|{})", pattern(rng, flavor, depth + 1), pattern(rng, flavor, depth + 1)),
            8 => format!("({}|{})", pattern(rng, flavor, depth + 1), pattern(rng, flavor, depth + 1)),
            _ => format!("(?{}:{})", rng.pick(&["i", "s", "m", "-i", "U"]), pattern(rng, flavor, depth + 1)),
        };
        let is_look = LOOKS.contains(&item.as_str());
        if !is_look && rng.below(3) == 0 {
            item.push_str(rng.pick(QUANTS));
        }
        out.push_str(&item);
    }
    if depth == 0 && rng.below(4) == 0 {
        out = format!("{}|{}", out, pattern(rng, flavor, 1));
    }
    if depth == 0 && rng.below(6) == 0 {
        out = format!("(?i){out}");
    }
    out
}

fn haystack(rng: &mut Rng, flavor: Flavor) -> Vec<u8> {
    let n = rng.below(12);
    let mut out = Vec::new();
    for _ in 0..n {
        match flavor {
            Flavor::Go => {
                let c = rng.pick(&[
                    "a", "b", "c", "x", "0", "1", "-", ".", "/", " ", "\n", "A", "_", "é", "中", "\u{212A}", "k", "K",
                    "s", "ſ", "t",
                ]);
                out.extend_from_slice(c.as_bytes());
            }
            Flavor::Pcre => {
                let b = match rng.below(8) {
                    0 => (rng.next() & 0xFF) as u8,
                    _ => b"abcx01-./ \nA_"[rng.below(13)],
                };
                out.push(b);
            }
        }
    }
    out
}

/// The Perl classes as Go's ASCII sets, for the crate's Unicode mode.
fn ascii_classes(p: &str) -> String {
    let mut out = String::new();
    let mut chars = p.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') => out.push_str("[0-9]"),
                Some('D') => out.push_str("[^0-9]"),
                Some('s') => out.push_str(r"[\t\n\x0C\r ]"),
                Some('S') => out.push_str(r"[^\t\n\x0C\r ]"),
                Some('w') => out.push_str("[0-9A-Za-z_]"),
                Some('W') => out.push_str("[^0-9A-Za-z_]"),
                Some('b') if !in_class => out.push_str(r"(?-u:\b)"),
                Some('B') if !in_class => out.push_str(r"(?-u:\B)"),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str(r"\]");
                    chars.next();
                }
            }
            '[' if chars.peek() == Some(&':') => {
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
            c => out.push(c),
        }
    }
    out
}

fn reference(p: &str, flavor: Flavor, nocase: bool) -> Option<regex::bytes::Regex> {
    match flavor {
        // Unicode mode on bytes, so that `(?-u:\b)` is allowed.
        Flavor::Go => regex::bytes::RegexBuilder::new(&ascii_classes(p)).build().ok(),
        Flavor::Pcre => regex::bytes::RegexBuilder::new(p).unicode(false).case_insensitive(nocase).build().ok(),
    }
}

fn spans(c: &regex::bytes::Captures<'_>) -> Vec<Option<(usize, usize)>> {
    c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
}

/// Runs `cases` random patterns of a flavour; returns (compared, skipped) counts.
fn differential(flavor: Flavor, seed: u64, cases: usize) -> (usize, usize) {
    let mut rng = Rng(seed);
    let (mut compared, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for _ in 0..cases {
        let p = pattern(&mut rng, flavor, 0);
        let nocase = flavor == Flavor::Pcre && rng.below(4) == 0;
        let Some(theirs) = reference(&p, flavor, nocase) else {
            skipped += 1;
            continue;
        };
        let ours = match flavor {
            Flavor::Go => Regex::new_go(&p),
            Flavor::Pcre => Regex::new_pcre(&p, nocase),
        };
        let ours = match ours {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{p:?}: routec refuses what the crate accepts: {e}"));
                continue;
            }
        };
        compared += 1;
        for _ in 0..12 {
            let h = haystack(&mut rng, flavor);
            let want = theirs.captures(&h).map(|c| spans(&c));
            // The crate on bytes may find an empty match inside a character (`\B` between
            // two bytes of `é`); Go steps by characters and cannot, so such cases say nothing.
            let text = std::str::from_utf8(&h).unwrap_or("");
            let splits = |x: &(usize, usize)| !text.is_char_boundary(x.0) || !text.is_char_boundary(x.1);
            if flavor == Flavor::Go && want.iter().flatten().flatten().any(splits) {
                continue;
            }
            let got = ours.captures(&h);
            let matched = ours.is_match(&h);
            if got != want || matched != want.is_some() || ours.find(&h) != want.as_ref().and_then(|w| w[0]) {
                failures.push(format!(
                    "{p:?} (nocase {nocase}) on {:?}: routec {got:?} (is_match {matched}), crate {want:?}",
                    String::from_utf8_lossy(&h)
                ));
            }
            if flavor == Flavor::Pcre {
                let a = ours.replace(&h, br"<\1>", true);
                let b = theirs.replace_all(&h, &b"<${1}>"[..]).into_owned();
                if a != b {
                    failures.push(format!("{p:?} replace-all on {h:?}: routec {a:?}, crate {b:?}"));
                }
            }
        }
        if failures.len() > 20 {
            break;
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    (compared, skipped)
}

#[test]
fn go_flavour_agrees_with_the_regex_crate() {
    let (compared, skipped) = differential(Flavor::Go, 0x9E37_79B9_7F4A_7C15, 4000);
    report(&format!(
        "regex differential go: {compared} patterns x 12 haystacks agree ({skipped} refused by the crate)"
    ));
    assert!(compared > 3000);
}

#[test]
fn pcre_flavour_agrees_with_the_regex_crate() {
    let (compared, skipped) = differential(Flavor::Pcre, 0xD1B5_4A32_D192_ED03, 4000);
    report(&format!(
        "regex differential pcre: {compared} patterns x 12 haystacks agree ({skipped} refused by the crate)"
    ));
    assert!(compared > 3000);
}

fn small_pattern(rng: &mut Rng, depth: u32) -> String {
    let n = 1 + rng.below(3);
    let mut out = String::new();
    for _ in 0..n {
        let mut item = match rng.below(if depth > 1 { 4 } else { 6 }) {
            0 | 1 => rng.pick(&["a", "b", "/", ".", "[ab]", "[^a]", r"\w"]).to_owned(),
            2 => rng.pick(&["^", "$", r"\b"]).to_owned(),
            3 => rng.pick(&["a", "b"]).to_owned(),
            4 => format!("({}|{})", small_pattern(rng, depth + 1), small_pattern(rng, depth + 1)),
            _ => format!("(?:{})", small_pattern(rng, depth + 1)),
        };
        if !matches!(item.as_str(), "^" | "$" | r"\b") && rng.below(3) == 0 {
            item.push_str(rng.pick(&["*", "+", "?", "{2}"]));
        }
        out.push_str(&item);
    }
    out
}

#[test]
fn dfa_inclusion_agrees_with_brute_force() {
    let mut strings: Vec<Vec<u8>> = vec![Vec::new()];
    let mut frontier = strings.clone();
    for _ in 0..5 {
        frontier = frontier.iter().flat_map(|s| b"ab/".iter().map(move |&c| [s.as_slice(), &[c]].concat())).collect();
        strings.extend(frontier.iter().cloned());
    }
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let (mut yes, mut no) = (0, 0);
    for _ in 0..1500 {
        let (a, b) = (small_pattern(&mut rng, 0), small_pattern(&mut rng, 0));
        let (Some(ra), Some(rb)) = (reference(&a, Flavor::Pcre, false), reference(&b, Flavor::Pcre, false)) else {
            continue;
        };
        let counterexample = strings.iter().find(|s| rb.is_match(s) && !ra.is_match(s));
        match includes(&a, &b) {
            Some(true) => {
                assert!(counterexample.is_none(), "includes({a:?}, {b:?}) but {counterexample:?} is a counterexample");
                yes += 1;
            }
            Some(false) => no += 1,
            None => panic!("includes({a:?}, {b:?}) gave up on a small pair"),
        }
        // A short counterexample must be found.
        if counterexample.is_some() {
            assert_eq!(includes(&a, &b), Some(false), "includes({a:?}, {b:?}) misses {counterexample:?}");
        }
    }
    report(&format!("regex dfa inclusion: {yes} included, {no} not, checked on {} strings each", strings.len()));
    assert!(yes > 100 && no > 100);
}
