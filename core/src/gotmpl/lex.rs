//! The lexer: template text to items, as Go's `text/template/parse` lexes it (delimiters, trim
//! markers `{{- ` and ` -}}`, comments, strings, raw strings, char constants, Go number syntax).
//! A lexing error becomes an `Error` item that the parser reports.

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Complex,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Kind {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            Kind::Block
                | Kind::Break
                | Kind::Continue
                | Kind::Dot
                | Kind::Define
                | Kind::Else
                | Kind::End
                | Kind::If
                | Kind::Nil
                | Kind::Range
                | Kind::Template
                | Kind::With
        )
    }
}

/// One lexed item: its kind, byte offset, text and line (1-based) of its start.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) kind: Kind,
    pub(crate) pos: usize,
    pub(crate) val: String,
    pub(crate) line: usize,
}

impl Item {
    /// Go's `item.String()`, used in "unexpected X in Y" messages.
    pub(crate) fn describe(&self) -> String {
        match self.kind {
            Kind::Eof => "EOF".into(),
            Kind::Error => self.val.clone(),
            k if k.is_keyword() => format!("<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                format!("{}...", super::fmt::quote(&head))
            }
            _ => super::fmt::quote(&self.val),
        }
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

/// Lexes the whole input. `break_ok`/`continue_ok` are false when a function of that name
/// exists, which makes the word an identifier, as in Go.
pub(crate) fn lex(input: &str, break_ok: bool, continue_ok: bool) -> Vec<Item> {
    let mut l =
        Lexer { input, pos: 0, start: 0, line: 1, start_line: 1, items: Vec::new(), paren: 0, break_ok, continue_ok };
    l.run();
    l.items
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    line: usize,
    start_line: usize,
    items: Vec<Item>,
    paren: i32,
    break_ok: bool,
    continue_ok: bool,
}

enum State {
    Text,
    LeftDelim,
    Inside,
    Done,
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
            if c == '\n' {
                self.line -= 1;
            }
        }
    }

    fn emit(&mut self, kind: Kind) {
        let val = self.input[self.start..self.pos].to_string();
        self.items.push(Item { kind, pos: self.start, val, line: self.start_line });
        self.ignore();
    }

    fn ignore(&mut self) {
        self.start = self.pos;
        self.start_line = self.line;
    }

    /// Moves over `n` bytes that are known to hold no multi-byte character boundary issue.
    fn skip(&mut self, n: usize) {
        let s = &self.input[self.pos..self.pos + n];
        self.line += s.matches('\n').count();
        self.pos += n;
    }

    fn error(&mut self, msg: String) -> State {
        self.items.push(Item { kind: Kind::Error, pos: self.start, val: msg, line: self.start_line });
        State::Done
    }

    fn run(&mut self) {
        let mut st = State::Text;
        loop {
            st = match st {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Inside => self.lex_inside(),
                State::Done => return,
            };
        }
    }

    fn lex_text(&mut self) -> State {
        if let Some(x) = self.rest().find(LEFT) {
            if x > 0 {
                let delim = self.pos + x;
                let delim_end = delim + LEFT.len();
                let mut trim = 0;
                if has_left_trim(&self.input[delim_end..]) {
                    let text = &self.input[self.start..delim];
                    trim = text.len() - text.trim_end_matches(is_space).len();
                }
                self.skip(x - trim);
                if self.pos > self.start {
                    self.emit(Kind::Text);
                }
                self.skip(trim);
                self.ignore();
            }
            return State::LeftDelim;
        }
        let n = self.rest().len();
        self.skip(n);
        if self.pos > self.start {
            self.emit(Kind::Text);
        }
        self.emit(Kind::Eof);
        State::Done
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest();
        if has_right_trim(r) && r[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (r.starts_with(RIGHT), false)
    }

    fn lex_left_delim(&mut self) -> State {
        self.skip(LEFT.len());
        let trim = has_left_trim(self.rest());
        let after = if trim { 2 } else { 0 };
        if self.rest()[after..].starts_with("/*") {
            self.skip(after);
            self.ignore();
            return self.lex_comment();
        }
        self.emit(Kind::LeftDelim);
        self.skip(after);
        self.ignore();
        self.paren = 0;
        State::Inside
    }

    fn lex_comment(&mut self) -> State {
        self.skip(2);
        let Some(x) = self.rest().find("*/") else {
            return self.error("unclosed comment".into());
        };
        self.skip(x + 2);
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.skip(2);
        }
        self.skip(RIGHT.len());
        if trim {
            let n = self.rest().len() - self.rest().trim_start_matches(is_space).len();
            self.skip(n);
        }
        self.ignore();
        State::Text
    }

    fn lex_right_delim(&mut self) -> State {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.skip(2);
            self.ignore();
        }
        self.skip(RIGHT.len());
        self.emit(Kind::RightDelim);
        if trim {
            let n = self.rest().len() - self.rest().trim_start_matches(is_space).len();
            self.skip(n);
            self.ignore();
        }
        State::Text
    }

    fn lex_inside(&mut self) -> State {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren == 0 {
                return self.lex_right_delim();
            }
            return self.error("unclosed left paren".into());
        }
        let Some(r) = self.next() else {
            return self.error("unclosed action".into());
        };
        match r {
            c if is_space(c) => {
                self.backup(Some(c));
                return self.lex_space();
            }
            '=' => self.emit(Kind::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.emit(Kind::Declare);
            }
            '|' => self.emit(Kind::Pipe),
            '"' => return self.lex_quote(),
            '`' => return self.lex_raw(),
            '$' => return self.lex_field_or_var(Kind::Variable),
            '\'' => return self.lex_char(),
            // Go looks one byte ahead for a field; at the end of input '.' lexes as a number.
            '.' if self.peek().is_some_and(|c| !c.is_ascii_digit()) => return self.lex_field_or_var(Kind::Field),
            '.' | '+' | '-' | '0'..='9' => {
                self.backup(Some(r));
                return self.lex_number();
            }
            c if is_alnum(c) => {
                self.backup(Some(c));
                return self.lex_identifier();
            }
            '(' => {
                self.emit(Kind::LeftParen);
                self.paren += 1;
            }
            ')' => {
                self.paren -= 1;
                if self.paren < 0 {
                    return self.error("unexpected right paren".into());
                }
                self.emit(Kind::RightParen);
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.emit(Kind::Char),
            c => return self.error(format!("unrecognized character in action: {}", super::fmt::unicode_u(c))),
        }
        State::Inside
    }

    fn lex_space(&mut self) -> State {
        let mut n = 0;
        while self.peek().is_some_and(is_space) {
            self.next();
            n += 1;
        }
        let before = &self.input[self.pos - 1..];
        if has_right_trim(before) && before[2..].starts_with(RIGHT) {
            self.backup(Some(' '));
            if n == 1 {
                return self.lex_right_delim();
            }
        }
        self.emit(Kind::Space);
        State::Inside
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.rest().starts_with(RIGHT),
        }
    }

    fn lex_identifier(&mut self) -> State {
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            let c = self.next();
            return self.error(format!("bad character {}", super::fmt::unicode_u(c.unwrap_or('\0'))));
        }
        let word = &self.input[self.start..self.pos];
        let kind = match word {
            "block" => Kind::Block,
            "break" if self.break_ok => Kind::Break,
            "continue" if self.continue_ok => Kind::Continue,
            "define" => Kind::Define,
            "else" => Kind::Else,
            "end" => Kind::End,
            "if" => Kind::If,
            "range" => Kind::Range,
            "nil" => Kind::Nil,
            "template" => Kind::Template,
            "with" => Kind::With,
            "true" | "false" => Kind::Bool,
            _ => Kind::Identifier,
        };
        self.emit(kind);
        State::Inside
    }

    fn lex_field_or_var(&mut self, kind: Kind) -> State {
        if self.at_terminator() {
            self.emit(if kind == Kind::Variable { Kind::Variable } else { Kind::Dot });
            return State::Inside;
        }
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            let c = self.next();
            return self.error(format!("bad character {}", super::fmt::unicode_u(c.unwrap_or('\0'))));
        }
        self.emit(kind);
        State::Inside
    }

    fn lex_char(&mut self) -> State {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => return self.error("unterminated character constant".into()),
                    _ => {}
                },
                None | Some('\n') => return self.error("unterminated character constant".into()),
                Some('\'') => break,
                _ => {}
            }
        }
        self.emit(Kind::CharConstant);
        State::Inside
    }

    fn lex_quote(&mut self) -> State {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => return self.error("unterminated quoted string".into()),
                    _ => {}
                },
                None | Some('\n') => return self.error("unterminated quoted string".into()),
                Some('"') => break,
                _ => {}
            }
        }
        self.emit(Kind::String);
        State::Inside
    }

    fn lex_raw(&mut self) -> State {
        loop {
            match self.next() {
                None => return self.error("unterminated raw quoted string".into()),
                Some('`') => break,
                _ => {}
            }
        }
        self.emit(Kind::RawString);
        State::Inside
    }

    fn accept(&mut self, set: &str) -> bool {
        if self.peek().is_some_and(|c| set.contains(c)) {
            self.next();
            return true;
        }
        false
    }

    fn accept_run(&mut self, set: &str) {
        while self.accept(set) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.next();
            return false;
        }
        true
    }

    fn lex_number(&mut self) -> State {
        if !self.scan_number() {
            let t = super::fmt::quote(&self.input[self.start..self.pos]);
            return self.error(format!("bad number syntax: {t}"));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let t = super::fmt::quote(&self.input[self.start..self.pos]);
                return self.error(format!("bad number syntax: {t}"));
            }
            self.emit(Kind::Complex);
        } else {
            self.emit(Kind::Number);
        }
        State::Inside
    }
}
