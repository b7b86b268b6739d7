//! A typed model of the `haproxy.config` routec writes. Nothing is spliced as text: every word
//! carries its kind, and the emitter escapes each kind for its context, so user text can never
//! become a new directive, comment or argument.

/// One word of a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    /// Trusted text from routec's own template (keywords, fixed expressions).
    Lit(&'static str),
    /// A value emitted as a bare word; HAProxy's special characters are backslash-escaped.
    Bare(String),
    /// A value emitted in single quotes, with `'` written as `'\''` (the router's quoting).
    Quoted(String),
    /// An operator setting emitted verbatim, as the router does (checked free of CR, LF, NUL
    /// before it gets here).
    Verbatim(String),
    /// An extra space, to keep the router's double-spaced directives byte for byte.
    Gap,
}

/// A line inside a section, or a section header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A directive.
    Directive(Vec<Word>),
    /// A fixed comment from routec's template; never user text.
    Comment(&'static str),
    /// An empty line.
    Blank,
}

/// A section: `global`, `defaults`, `frontend x`, `backend y`, ...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Comments printed before the header.
    pub preamble: Vec<&'static str>,
    /// The header words, e.g. `backend`, `be_http:ns:name`.
    pub header: Vec<Word>,
    /// The body.
    pub lines: Vec<Line>,
}

impl Section {
    /// A section with a keyword and an optional name.
    pub fn new(keyword: &'static str, name: Option<Word>) -> Self {
        let mut header = vec![Word::Lit(keyword)];
        header.extend(name);
        Self { preamble: Vec::new(), header, lines: Vec::new() }
    }

    /// Appends a directive.
    pub fn push(&mut self, words: Vec<Word>) {
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
pub fn lit_words(text: &'static str) -> Vec<Word> {
    text.split(' ').filter(|w| !w.is_empty()).map(Word::Lit).collect()
}

/// A whole config file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Sections in order.
    pub sections: Vec<Section>,
}
