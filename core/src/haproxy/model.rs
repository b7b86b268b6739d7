//! A typed model of the `haproxy.config` routec writes. Nothing is spliced as text: every word
//! carries its kind, and the emitter escapes each kind for its context, so user text can never
//! become a new directive, comment or argument.

use std::borrow::Cow;

/// One word of a directive. Values borrow from the compiled objects where they can, so a large
/// config does not copy every server name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word<'a> {
    /// Trusted text from routec's own template (keywords, fixed expressions).
    Lit(&'static str),
    /// A value emitted as a bare word; HAProxy's special characters are backslash-escaped.
    Bare(Cow<'a, str>),
    /// A value emitted in single quotes, with `'` written as `'\''` (the router's quoting).
    Quoted(Cow<'a, str>),
    /// An operator setting emitted verbatim, as the router does (checked free of CR, LF, NUL
    /// before it gets here).
    Verbatim(Cow<'a, str>),
    /// An extra space, to keep the router's double-spaced directives byte for byte.
    Gap,
}

impl<'a> Word<'a> {
    /// A bare value.
    pub fn bare(v: impl Into<Cow<'a, str>>) -> Self {
        Word::Bare(v.into())
    }

    /// A single-quoted value.
    pub fn quoted(v: impl Into<Cow<'a, str>>) -> Self {
        Word::Quoted(v.into())
    }

    /// A verbatim operator value.
    pub fn verbatim(v: impl Into<Cow<'a, str>>) -> Self {
        Word::Verbatim(v.into())
    }
}

/// A line inside a section, or a section header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    /// A directive.
    Directive(Vec<Word<'a>>),
    /// A fixed comment from routec's template; never user text.
    Comment(&'static str),
    /// An empty line.
    Blank,
}

/// A section: `global`, `defaults`, `frontend x`, `backend y`, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'a> {
    /// Comments printed before the header.
    pub preamble: Vec<&'static str>,
    /// The header words, e.g. `backend`, `be_http:ns:name`.
    pub header: Vec<Word<'a>>,
    /// The body.
    pub lines: Vec<Line<'a>>,
}

impl<'a> Section<'a> {
    /// The words HAProxy must read for each statement (the header first), as meant rather than
    /// as written: a `Bare` or `Quoted` value is exactly one word holding the value, and trusted
    /// text (`Lit`, `Verbatim`) is cooked the way HAProxy reads it. The round-trip tests compare
    /// this with what the emitted text parses back to, so no value can add or split a word.
    pub fn intended_words(&self) -> Vec<Vec<String>> {
        let mut out = vec![intended(&self.header)];
        for l in &self.lines {
            if let Line::Directive(w) = l {
                out.push(intended(w));
            }
        }
        out
    }

    /// A section with a keyword and an optional name.
    pub fn new(keyword: &'static str, name: Option<Word<'a>>) -> Self {
        let mut header = vec![Word::Lit(keyword)];
        header.extend(name);
        Self { preamble: Vec::new(), header, lines: Vec::new() }
    }

    /// Appends a directive.
    pub fn push(&mut self, words: Vec<Word<'a>>) {
        self.lines.push(Line::Directive(words));
    }

    /// Appends a directive made only of template text, split on spaces.
    pub fn lit(&mut self, text: &'static str) {
        self.lines.push(Line::Directive(lit_words(text)));
    }

    /// Appends a comment.
    pub fn comment(&mut self, text: &'static str) {
        self.lines.push(Line::Comment(text));
    }

    /// Appends a blank line.
    pub fn blank(&mut self) {
        self.lines.push(Line::Blank);
    }
}

/// Splits template text into literal words.
pub fn lit_words(text: &'static str) -> Vec<Word<'static>> {
    text.split(' ').filter(|w| !w.is_empty()).map(Word::Lit).collect()
}

/// A whole config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config<'a> {
    /// Sections in order.
    pub sections: Vec<Section<'a>>,
}

fn intended(ws: &[Word<'_>]) -> Vec<String> {
    let mut out = Vec::new();
    for w in ws {
        match w {
            Word::Lit(t) => out.extend(cooked(t)),
            Word::Verbatim(t) => out.extend(cooked(t)),
            Word::Bare(t) | Word::Quoted(t) => out.push(t.to_string()),
            Word::Gap => {}
        }
    }
    out
}

/// Trusted text as HAProxy splits and cooks it.
fn cooked(t: &str) -> Vec<String> {
    let mut line = t.as_bytes().to_vec();
    line.push(b'\n');
    let lexed = crate::hap::lex::lex(&line);
    lexed
        .lines
        .first()
        .map(|l| crate::hap::cook::cook_line(&line, &l.words, &crate::hap::cook::Env::default()))
        .unwrap_or_default()
}
