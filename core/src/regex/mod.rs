//! routec's own regular expressions: a small, linear-time engine for the two dialects the
//! core meets, replacing the `regex` and `regex-automata` crates (issue #15: their code was
//! a third of the wasm module).
//!
//! - **Go** (`Regex::new_go`): Go's `regexp` (RE2) syntax and semantics over UTF-8 text,
//!   for the router template's functions and the IngressController's subject patterns. Errors
//!   carry Go's own text (`error parsing regexp: missing closing ): `(``).
//! - **PCRE** (`Regex::new_pcre`): the subset of PCRE (without UTF mode) HAProxy configs
//!   use, over bytes, for `explain`'s map lookups, ACLs and `regsub`.
//!
//! Matching is leftmost-first (Perl). `is_match` runs a lazily built DFA (`dfa`), the rest
//! the Pike VM (`pike`); both take time linear in the haystack. Patterns are bounded:
//! nesting depth, repetition counts and program size are limits with errors, never panics.
//!
//! Deliberate differences from Go: `(?i)` folds ASCII letters (with Go's `K`/KELVIN SIGN and
//! `S`/LONG S) but no other Unicode letters; `\p{..}`/`\pN` Unicode classes are errors (no
//! tables); groups nest at most 200 deep and programs are at most 30,000 instructions (Go:
//! 1000 and far larger), with Go's "expression nests too deeply" / "expression too large".
//! From PCRE: `$` without `(?m)` is the end of the text only (as the `regex` crate did, PCRE
//! also allows a final `\n`); `\s` includes `\v` (PCRE2).

mod class;
mod compile;
pub mod dfa;
mod parse;
mod pike;

use std::fmt;
use std::sync::Mutex;

use compile::Program;
use parse::Flavor;

/// Memory a regex's cached DFA may use for `is_match` before it starts afresh.
const MATCH_DFA_LIMIT: usize = 256 * 1024;

/// Go's error classes (`regexp/syntax.ErrorCode`), plus `Unsupported`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// `missing closing )`
    MissingParen,
    /// `unexpected )`
    UnexpectedParen,
    /// `missing closing ]`
    MissingBracket,
    /// `invalid character class range`
    InvalidCharRange,
    /// `invalid escape sequence`
    InvalidEscape,
    /// `trailing backslash at end of expression`
    TrailingBackslash,
    /// `invalid named capture`
    InvalidNamedCapture,
    /// `invalid or unsupported Perl syntax`
    InvalidPerlOp,
    /// `invalid nested repetition operator`
    InvalidRepeatOp,
    /// `invalid repeat count`
    InvalidRepeatSize,
    /// `missing argument to repetition operator`
    MissingRepeatArgument,
    /// `expression nests too deeply`
    NestingDepth,
    /// `expression too large`
    Large,
    /// Valid syntax routec does not implement (Unicode classes; PCRE look-around,
    /// back-references, possessive quantifiers and the like).
    Unsupported,
}

impl Code {
    /// Go's text for the code.
    pub fn text(self) -> &'static str {
        match self {
            Code::MissingParen => "missing closing )",
            Code::UnexpectedParen => "unexpected )",
            Code::MissingBracket => "missing closing ]",
            Code::InvalidCharRange => "invalid character class range",
            Code::InvalidEscape => "invalid escape sequence",
            Code::TrailingBackslash => "trailing backslash at end of expression",
            Code::InvalidNamedCapture => "invalid named capture",
            Code::InvalidPerlOp => "invalid or unsupported Perl syntax",
            Code::InvalidRepeatOp => "invalid nested repetition operator",
            Code::InvalidRepeatSize => "invalid repeat count",
            Code::MissingRepeatArgument => "missing argument to repetition operator",
            Code::NestingDepth => "expression nests too deeply",
            Code::Large => "expression too large",
            Code::Unsupported => "construct not supported by routec",
        }
    }
}

/// A pattern that does not compile: Go's code and the part of the pattern it quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What is wrong.
    pub code: Code,
    /// The offending text.
    pub expr: String,
}

impl Error {
    pub(crate) fn new(code: Code, expr: &str) -> Error {
        Error { code, expr: expr.to_owned() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error parsing regexp: {}: `{}`", self.code.text(), self.expr)
    }
}

impl std::error::Error for Error {}

/// A compiled pattern.
pub struct Regex {
    prog: Program,
    dfa: Mutex<Option<dfa::Dfa>>,
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Regex").field("insts", &self.prog.insts.len()).finish()
    }
}

/// Capture groups' spans, group 0 first; `None` for a group that took no part.
pub type Captures = Vec<Option<(usize, usize)>>;

impl Regex {
    /// A Go (RE2) pattern, matched against UTF-8 text.
    pub fn new_go(pattern: &str) -> Result<Regex, Error> {
        let parsed = parse::parse(pattern, Flavor::Go, false)?;
        Ok(Regex::from_program(compile::compile(&parsed, true, pattern)?))
    }

    /// A PCRE pattern without UTF mode (bytes; `nocase` is PCRE's caseless option).
    pub fn new_pcre(pattern: &str, nocase: bool) -> Result<Regex, Error> {
        // One char per byte, so that the parser reads non-ASCII text as PCRE does: bytes.
        let latin: String = pattern.bytes().map(char::from).collect();
        let parsed = parse::parse(&latin, Flavor::Pcre, nocase)?;
        Ok(Regex::from_program(compile::compile(&parsed, false, pattern)?))
    }

    fn from_program(prog: Program) -> Regex {
        Regex { prog, dfa: Mutex::new(None) }
    }

    /// The number of capture groups, group 0 (the whole match) included.
    pub fn groups(&self) -> usize {
        self.prog.slots / 2
    }

    /// Whether the pattern matches somewhere in `hay`.
    pub fn is_match(&self, hay: &[u8]) -> bool {
        if let Ok(mut cache) = self.dfa.try_lock() {
            let dfa = cache.get_or_insert_with(|| dfa::Dfa::new(&self.prog, MATCH_DFA_LIMIT));
            if let Some(found) = dfa::is_match(dfa, &self.prog, hay) {
                return found;
            }
            // Too many states for this haystack: start afresh next time, use the VM now.
            *cache = None;
        }
        pike::search(&self.prog, hay, 0, &mut []).0
    }

    /// The leftmost-first match's span.
    pub fn find(&self, hay: &[u8]) -> Option<(usize, usize)> {
        self.find_at(hay, 0)
    }

    /// The leftmost-first match starting at or after `start` (assertions see the text
    /// before `start`).
    pub fn find_at(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        let mut slots = [None; 2];
        if start > hay.len() || !pike::search(&self.prog, hay, start, &mut slots).0 {
            return None;
        }
        Some((slots[0]?, slots[1]?))
    }

    /// The groups of the leftmost-first match.
    pub fn captures(&self, hay: &[u8]) -> Option<Captures> {
        self.captures_at(hay, 0)
    }

    /// The groups of the leftmost-first match starting at or after `start`.
    pub fn captures_at(&self, hay: &[u8], start: usize) -> Option<Captures> {
        let mut slots = vec![None; self.prog.slots];
        if start > hay.len() || !pike::search(&self.prog, hay, start, &mut slots).0 {
            return None;
        }
        Some(slots.chunks(2).map(|p| Some((p[0]?, p[1]?))).collect())
    }

    /// The VM steps of a `captures` call, for the linearity test.
    #[doc(hidden)]
    pub fn vm_steps(&self, hay: &[u8]) -> u64 {
        let mut slots = vec![None; self.prog.slots];
        pike::search(&self.prog, hay, 0, &mut slots).1
    }

    /// Every match's groups, left to right, without overlaps; an empty match right after
    /// the previous match is skipped (as Go's `FindAll` and the `regex` crate do).
    pub fn captures_iter(&self, hay: &[u8]) -> Vec<Captures> {
        let mut out = Vec::new();
        let mut at = 0;
        let mut last_end: Option<usize> = None;
        while at <= hay.len() {
            let Some(caps) = self.captures_at(hay, at) else { break };
            let Some((s, e)) = caps[0] else { break };
            if s == e && last_end == Some(e) {
                at = self.after(hay, at);
                continue;
            }
            at = if s == e { self.after(hay, e) } else { e };
            last_end = Some(e);
            out.push(caps);
        }
        out
    }

    fn after(&self, hay: &[u8], at: usize) -> usize {
        at + pike::unit_at(hay, at, self.prog.unicode).map_or(1, |(_, w)| w)
    }

    /// `hay` with the first (or every) match replaced by `template`, where `\0`..`\9`
    /// stand for groups (HAProxy's `regsub`) and `\` before anything else is that character.
    pub fn replace(&self, hay: &[u8], template: &[u8], global: bool) -> Vec<u8> {
        let all = if global { self.captures_iter(hay) } else { self.captures(hay).into_iter().collect() };
        let mut out = Vec::with_capacity(hay.len());
        let mut last = 0;
        for caps in all {
            let Some((s, e)) = caps[0] else { continue };
            out.extend_from_slice(&hay[last..s]);
            expand(template, hay, &caps, &mut out);
            last = e;
        }
        out.extend_from_slice(&hay[last..]);
        out
    }

    /// A fresh DFA for this pattern's unanchored search, within `limit` bytes.
    pub fn dfa(&self, limit: usize) -> SearchDfa<'_> {
        SearchDfa { prog: &self.prog, dfa: dfa::Dfa::new(&self.prog, limit) }
    }
}

fn expand(template: &[u8], hay: &[u8], caps: &Captures, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < template.len() {
        match (template[i], template.get(i + 1)) {
            (b'\\', Some(&d)) if d.is_ascii_digit() => {
                if let Some(Some((s, e))) = caps.get(usize::from(d - b'0')) {
                    out.extend_from_slice(&hay[*s..*e]);
                }
                i += 2;
            }
            (b'\\', Some(&c)) => {
                out.push(c);
                i += 2;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
}

/// A regex's DFA, for walking it by hand (`explain::analysis`).
pub struct SearchDfa<'r> {
    prog: &'r Program,
    dfa: dfa::Dfa,
}

impl SearchDfa<'_> {
    /// The start state.
    pub fn start(&self) -> dfa::StateId {
        self.dfa.start()
    }

    /// The class of a byte (or character).
    pub fn class_of(&self, unit: u32) -> usize {
        self.dfa.class_of(unit)
    }

    /// The class that stands for the end of the text.
    pub fn eoi(&self) -> usize {
        self.dfa.eoi()
    }

    /// The next state; `None` past the memory limit.
    pub fn next(&mut self, s: dfa::StateId, class: usize) -> Option<dfa::StateId> {
        self.dfa.next(self.prog, s, class)
    }

    /// A match ended before the last unit.
    pub fn is_match(&self, s: dfa::StateId) -> bool {
        self.dfa.is_match(s)
    }

    /// No match is possible from `s`.
    pub fn is_dead(&self, s: dfa::StateId) -> bool {
        s == dfa::DEAD
    }
}

#[cfg(test)]
mod tests;
