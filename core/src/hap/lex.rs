//! The lossless lexer of HAProxy configuration files (spec: haproxy-config-format.md §1.3): the
//! file is a flat list of physical lines, each holding its words as raw fragments (bare text,
//! escapes, double- and single-quoted strings), its comment, and whatever HAProxy ignores after a
//! lone CR. Nothing is cooked here; printing concatenates the spans, so any bytes round-trip.

/// A byte range in the file.
pub type Range = std::ops::Range<usize>;

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminator {
    /// `\n`.
    Lf,
    /// `\r\n`.
    CrLf,
    /// End of file without a newline.
    Eof,
}

/// An escape sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// `\ `, `\\`, `\#`, `\'`, `\"` (and `\$` in double quotes): the byte itself.
    Char(u8),
    /// `\t`, `\n`, `\r`, `\xHH`: the byte they stand for.
    Byte(u8),
    /// A backslash before anything else: kept as a backslash.
    Kept,
    /// `\x` without two hex digits: fatal in HAProxy.
    BadHex,
}

/// A `$NAME` / `${NAME[*]-default}` reference inside double quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRef {
    /// The name.
    pub name: Range,
    /// `${...}` form.
    pub braces: bool,
    /// `[*]`: the value splits into several words.
    pub split: bool,
    /// The default after `-`.
    pub default: Option<Range>,
    /// False when the reference is malformed (bad first character, unmatched brace).
    pub valid: bool,
    /// `[` after the name that does not start `[*]`.
    pub bad_split: bool,
}

/// A piece of a double-quoted string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DqPart {
    /// Literal bytes.
    Text(Range),
    /// An escape.
    Escape(Range, Escape),
    /// An environment reference.
    Env(Range, EnvRef),
}

/// A fragment of a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frag {
    /// Unquoted bytes.
    Bare(Range),
    /// An unquoted escape.
    Escape(Range, Escape),
    /// `"..."`.
    Dq {
        /// Quotes included.
        span: Range,
        /// What is between the quotes.
        parts: Vec<DqPart>,
        /// False when the line ended first.
        closed: bool,
    },
    /// `'...'`.
    Sq {
        /// Quotes included.
        span: Range,
        /// The bytes between the quotes.
        inner: Range,
        /// False when the line ended first.
        closed: bool,
    },
}

impl Frag {
    /// The raw bytes it covers.
    pub fn span(&self) -> Range {
        match self {
            Frag::Bare(r) | Frag::Escape(r, _) => r.clone(),
            Frag::Dq { span, .. } | Frag::Sq { span, .. } => span.clone(),
        }
    }
}

/// One word: fragments with no blank between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The raw bytes.
    pub span: Range,
    /// Its fragments, in order.
    pub frags: Vec<Frag>,
}

/// One physical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line without its terminator.
    pub span: Range,
    /// Its words.
    pub words: Vec<Word>,
    /// From an unprotected `#` to the end of the line (or a lone CR).
    pub comment: Option<Range>,
    /// A lone CR and what follows it up to the LF: HAProxy ignores it.
    pub after_cr: Option<Range>,
    /// How it ends.
    pub terminator: Terminator,
}

/// What the lexer found wrong on a line (the line is still complete in the tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Where.
    pub span: Range,
    /// Stable code suffix, e.g. `unmatched-quote`.
    pub code: &'static str,
    /// Message.
    pub message: String,
}

/// A lexed file.
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    /// Every physical line, in order.
    pub lines: Vec<Line>,
    /// Lexical problems.
    pub errors: Vec<LexError>,
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x0b | 0x0c)
}

fn is_line_end(b: u8) -> bool {
    matches!(b, b'\n' | b'\r' | 0)
}

/// The length of the run of blanks at the start of `i` (0 when it starts with none).
fn blanks(i: &[u8]) -> usize {
    i.iter().position(|b| !is_blank(*b)).unwrap_or(i.len())
}

/// The length of the run of plain word bytes at the start of `i`.
fn bare(i: &[u8]) -> usize {
    i.iter().position(|&b| is_blank(b) || is_line_end(b) || matches!(b, b'#' | b'"' | b'\'' | b'\\')).unwrap_or(i.len())
}

fn hex(b: u8) -> Option<u8> {
    char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Lexes an escape at `i` (which starts with `\`); returns its length and kind.
fn escape(i: &[u8], in_dq: bool) -> (usize, Escape) {
    match i.get(1).copied() {
        Some(c @ (b' ' | b'\\' | b'#' | b'\'' | b'"')) => (2, Escape::Char(c)),
        Some(b'$') if in_dq => (2, Escape::Char(b'$')),
        Some(b't') => (2, Escape::Byte(b'\t')),
        Some(b'n') => (2, Escape::Byte(b'\n')),
        Some(b'r') => (2, Escape::Byte(b'\r')),
        Some(b'x') => match (i.get(2).copied().and_then(hex), i.get(3).copied().and_then(hex)) {
            (Some(h), Some(l)) => (4, Escape::Byte(h * 16 + l)),
            _ => (2, Escape::BadHex),
        },
        _ => (1, Escape::Kept),
    }
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The pseudo-variables HAProxy defines; any other name starting with `.` is refused.
const PSEUDO_VARS: &[&[u8]] = &[b".LINE", b".FILE", b".SECTION"];

/// Lexes `$...` at `i` inside double quotes (`i` starts with `$`). Returns the length.
fn env_ref(i: &[u8], base: usize) -> (usize, EnvRef) {
    let name_len = |s: &[u8]| -> usize {
        if s.first() == Some(&b'.') {
            let n = 1 + s.get(1..).map_or(0, |r| r.iter().take_while(|b| is_name(**b)).count());
            if PSEUDO_VARS.contains(&s.get(..n).unwrap_or_default()) {
                n
            } else {
                0
            }
        } else if s.first().copied().is_some_and(is_name_start) {
            s.iter().take_while(|b| is_name(**b)).count()
        } else {
            0
        }
    };
    let bad = |len: usize, braces: bool| {
        (len, EnvRef { name: base + 1..base + 1, braces, split: false, default: None, valid: false, bad_split: false })
    };
    if i.get(1) != Some(&b'{') {
        let n = name_len(i.get(1..).unwrap_or_default());
        if n == 0 {
            return bad(1, false);
        }
        return (
            1 + n,
            EnvRef {
                name: base + 1..base + 1 + n,
                braces: false,
                split: false,
                default: None,
                valid: true,
                bad_split: false,
            },
        );
    }
    let rest = i.get(2..).unwrap_or_default();
    let n = name_len(rest);
    if n == 0 {
        return bad(2, true);
    }
    let name = base + 2..base + 2 + n;
    let mut p = 2 + n;
    let mut split = false;
    if i.get(p) == Some(&b'[') {
        // HAProxy accepts only `[*]` after a braced name.
        if i.get(p..p + 3) != Some(b"[*]") {
            return (p + 1, EnvRef { name, braces: true, split, default: None, valid: false, bad_split: true });
        }
        split = true;
        p += 3;
    }
    let mut default = None;
    if i.get(p) == Some(&b'-') {
        let d0 = p + 1;
        let dl = i.get(d0..).unwrap_or_default().iter().take_while(|b| **b != b'}' && !is_line_end(**b)).count();
        default = Some(base + d0..base + d0 + dl);
        p = d0 + dl;
    }
    if i.get(p) != Some(&b'}') {
        return (p, EnvRef { name, braces: true, split, default, valid: false, bad_split: false });
    }
    (p + 1, EnvRef { name, braces: true, split, default, valid: true, bad_split: false })
}

struct LineLexer<'a> {
    src: &'a [u8],
    errors: &'a mut Vec<LexError>,
}

impl LineLexer<'_> {
    fn err(&mut self, span: Range, code: &'static str, message: impl Into<String>) {
        self.errors.push(LexError { span, code, message: message.into() });
    }

    /// Lexes a double-quoted string starting at `p` (the opening quote); stops at `end`.
    fn dq(&mut self, p: usize, end: usize) -> Frag {
        let mut parts = Vec::new();
        let mut q = p + 1;
        let mut text = q;
        let flush = |parts: &mut Vec<DqPart>, from: usize, to: usize| {
            if to > from {
                parts.push(DqPart::Text(from..to));
            }
        };
        while q < end {
            let b = self.src.get(q).copied().unwrap_or(0);
            match b {
                b'"' => {
                    flush(&mut parts, text, q);
                    return Frag::Dq { span: p..q + 1, parts, closed: true };
                }
                b'\\' => {
                    flush(&mut parts, text, q);
                    let (n, e) = escape(self.src.get(q..end).unwrap_or_default(), true);
                    if e == Escape::BadHex {
                        self.err(q..q + n, "routec::hap::bad-hex", "`\\x` must be followed by two hexadecimal digits");
                    }
                    parts.push(DqPart::Escape(q..q + n, e));
                    q += n;
                    text = q;
                }
                b'$' => {
                    flush(&mut parts, text, q);
                    let (n, r) = env_ref(self.src.get(q..end).unwrap_or_default(), q);
                    if !r.valid {
                        let (code, msg) = if r.bad_split {
                            ("routec::hap::bad-expansion", "`[` after a variable name must be `[*]`")
                        } else if r.braces && r.name.end > r.name.start {
                            ("routec::hap::unmatched-brace", "unmatched brace in environment variable name")
                        } else {
                            (
                                "routec::hap::bad-env-name",
                                "forbidden first char in environment variable name; write `\\$` for a literal dollar",
                            )
                        };
                        self.err(q..q + n.max(1), code, msg);
                    }
                    parts.push(DqPart::Env(q..q + n.max(1), r));
                    q += n.max(1);
                    text = q;
                }
                _ => q += 1,
            }
        }
        flush(&mut parts, text, end);
        self.err(p..end, "routec::hap::unmatched-quote", "unmatched quote");
        Frag::Dq { span: p..end, parts, closed: false }
    }

    fn sq(&mut self, p: usize, end: usize) -> Frag {
        let inner = self.src.get(p + 1..end).unwrap_or_default();
        match inner.iter().position(|b| *b == b'\'') {
            Some(k) => Frag::Sq { span: p..p + 2 + k, inner: p + 1..p + 1 + k, closed: true },
            None => {
                self.err(p..end, "routec::hap::unmatched-quote", "unmatched quote");
                Frag::Sq { span: p..end, inner: p + 1..end, closed: false }
            }
        }
    }

    /// Lexes one line's content `[start, end)` (without terminator and after-CR part).
    fn line(&mut self, start: usize, end: usize) -> (Vec<Word>, Option<Range>) {
        let mut words = Vec::new();
        let mut p = start;
        let mut frags: Vec<Frag> = Vec::new();
        let mut word_start = p;
        let finish = |words: &mut Vec<Word>, frags: &mut Vec<Frag>, ws: usize, we: usize| {
            if !frags.is_empty() {
                words.push(Word { span: ws..we, frags: std::mem::take(frags) });
            }
        };
        while p < end {
            let rest = self.src.get(p..end).unwrap_or_default();
            let nb = blanks(rest);
            if nb > 0 {
                finish(&mut words, &mut frags, word_start, p);
                p += nb;
                word_start = p;
                continue;
            }
            if frags.is_empty() {
                word_start = p;
            }
            match rest.first().copied().unwrap_or(0) {
                b'#' => {
                    finish(&mut words, &mut frags, word_start, p);
                    return (words, Some(p..end));
                }
                b'"' => {
                    let f = self.dq(p, end);
                    p = f.span().end;
                    frags.push(f);
                }
                b'\'' => {
                    let f = self.sq(p, end);
                    p = f.span().end;
                    frags.push(f);
                }
                b'\\' => {
                    let (n, e) = escape(rest, false);
                    if e == Escape::BadHex {
                        self.err(p..p + n, "routec::hap::bad-hex", "`\\x` must be followed by two hexadecimal digits");
                    }
                    frags.push(Frag::Escape(p..p + n, e));
                    p += n;
                }
                _ => {
                    let n = bare(rest).max(1);
                    frags.push(Frag::Bare(p..p + n));
                    p += n;
                }
            }
        }
        finish(&mut words, &mut frags, word_start, p);
        (words, None)
    }
}

/// Lexes the physical line starting at byte `start`; returns it and where the next line
/// starts. Lexical problems are appended to `errors`.
pub fn lex_line(src: &[u8], start: usize, errors: &mut Vec<LexError>) -> (Line, usize) {
    let nl = src.get(start..).and_then(|r| memchr(b'\n', r)).map(|k| start + k);
    let (content_end, terminator, next) = match nl {
        Some(n) if n > start && src.get(n - 1) == Some(&b'\r') => (n - 1, Terminator::CrLf, n + 1),
        Some(n) => (n, Terminator::Lf, n + 1),
        None => (src.len(), Terminator::Eof, src.len()),
    };
    let raw = src.get(start..content_end).unwrap_or_default();
    let nul = memchr(0, raw);
    if let Some(k) = nul {
        errors.push(LexError {
            span: start + k..start + k + 1,
            code: "routec::hap::nul-byte",
            message: format!("stray NUL character at position {}", k + 1),
        });
    }
    // A lone CR ends what HAProxy reads of the line.
    let cr = memchr(b'\r', raw).map(|k| start + k);
    let lex_end = cr.unwrap_or(content_end);
    let nul_end = nul.map_or(lex_end, |k| (start + k).min(lex_end));
    let mut lx = LineLexer { src, errors };
    let (words, comment) = lx.line(start, nul_end);
    let after_cr = cr.map(|c| c..content_end);
    // Bytes after a NUL (before any CR) are kept in the comment slot so nothing is lost.
    let comment = match comment {
        Some(c) => Some(c.start..lex_end),
        None if nul_end < lex_end => Some(nul_end..lex_end),
        None => None,
    };
    if words.len() > 64 {
        let w = words.get(64).map_or(start..content_end, |w| w.span.clone());
        errors.push(LexError {
            span: w,
            code: "routec::hap::too-many-words",
            message: "too many words: HAProxy reads at most 64 per line".into(),
        });
    }
    if terminator == Terminator::Eof {
        errors.push(LexError {
            span: start..content_end,
            code: "routec::hap::missing-final-lf",
            message: "missing LF on last line; HAProxy 2.3+ refuses the file".into(),
        });
    }
    (Line { span: start..content_end, words, comment, after_cr, terminator }, next)
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|b| *b == needle)
}

/// Lexes a whole configuration file. Total: every byte ends up in some line.
pub fn lex(src: &[u8]) -> Lexed {
    let mut out = Lexed::default();
    let mut start = 0;
    while start < src.len() {
        let (line, next) = lex_line(src, start, &mut out.errors);
        out.lines.push(line);
        start = next;
    }
    out
}

/// Prints a lexed file back from its pieces: indentation, words, gaps, comment, ignored bytes
/// and terminators. `print(src, &lex(src)) == src` for every input.
pub fn print(src: &[u8], lexed: &Lexed) -> Vec<u8> {
    print_counted(src, lexed).0
}

/// [`print`] with its work: one unit per piece copied (every step of every loop copies one),
/// so a test can check that the work grows linearly with the input, not with its square.
fn print_counted(src: &[u8], lexed: &Lexed) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(src.len());
    let mut work = 0usize;
    let mut piece = |out: &mut Vec<u8>, r: &Range| {
        work += 1;
        out.extend_from_slice(src.get(r.clone()).unwrap_or_default());
    };
    for line in &lexed.lines {
        let mut at = line.span.start;
        // One pass over the words, then the comment and what follows a lone CR: linear in the
        // line's length (matching pieces against every word was quadratic).
        for w in &line.words {
            piece(&mut out, &(at..w.span.start));
            for f in &w.frags {
                piece(&mut out, &f.span());
            }
            at = w.span.end;
        }
        for p in line.comment.iter().chain(line.after_cr.iter()) {
            piece(&mut out, &(at..p.start));
            piece(&mut out, p);
            at = p.end;
        }
        piece(&mut out, &(at..line.span.end));
        out.extend_from_slice(match line.terminator {
            Terminator::Lf => b"\n",
            Terminator::CrLf => b"\r\n",
            Terminator::Eof => b"",
        });
    }
    (out, work)
}

#[cfg(test)]
mod work_tests {
    use super::*;

    /// Issue #18: printing one line of `a a a …` took 4.2 s at 64 KiB and 12 s at 128 KiB.
    /// Doubling the line at most about doubles the work (counted, not timed).
    #[test]
    fn printing_a_long_line_is_linear() {
        let work = |n: usize| {
            let mut line = "a ".repeat(n).into_bytes();
            line.extend_from_slice(b"x \"q\\ \" 'y' # c\n");
            let (out, work) = print_counted(&line, &lex(&line));
            assert_eq!(out, line);
            work
        };
        let (w1, w2) = (work(32 * 1024), work(64 * 1024));
        assert!(w2 <= 2 * w1 + 8, "work {w1} at 64 KiB, {w2} at 128 KiB");
        assert!(w1 >= 32 * 1024, "the count misses the words: {w1}");
    }
}
