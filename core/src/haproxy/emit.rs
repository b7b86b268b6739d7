//! Writes a [`Config`] as text, escaping each word for its context.

use super::model::{Config, Line, Section, Word};

/// Renders the config.
pub fn emit(cfg: &Config<'_>) -> String {
    let mut out = String::with_capacity(cfg.sections.len() * 1024);
    for (i, s) in cfg.sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        section(&mut out, s);
    }
    out
}

/// Appends one section, separated from what came before by a blank line.
pub fn append_section(out: &mut String, s: &Section<'_>) {
    if !out.is_empty() {
        out.push('\n');
    }
    section(out, s);
}

fn section(out: &mut String, s: &Section<'_>) {
    for c in &s.preamble {
        out.push_str("# ");
        out.push_str(c);
        out.push('\n');
    }
    words(out, &s.header);
    out.push('\n');
    for l in &s.lines {
        match l {
            Line::Directive(w) => {
                out.push_str("  ");
                words(out, w);
            }
            Line::Comment(c) => {
                out.push_str("  # ");
                out.push_str(c);
            }
            Line::Blank => {}
        }
        out.push('\n');
    }
}

fn words(out: &mut String, ws: &[Word<'_>]) {
    for (i, w) in ws.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match w {
            Word::Lit(t) => out.push_str(t),
            Word::Verbatim(t) => out.push_str(t),
            Word::Bare(t) => bare(out, t),
            Word::Quoted(t) => single_quoted(out, t),
            Word::Gap => {}
        }
    }
}

/// Escapes a value as one bare HAProxy word.
pub fn bare(out: &mut String, t: &str) {
    if t.is_empty() {
        out.push_str("''");
        return;
    }
    if !t.bytes().any(|b| matches!(b, b' ' | b'#' | b'\'' | b'"' | b'\\' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0)) {
        out.push_str(t);
        return;
    }
    for c in t.chars() {
        match c {
            ' ' | '#' | '\'' | '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{b}' | '\u{c}' | '\0' => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            _ => out.push(c),
        }
    }
}

/// The router's single quoting: `'...'` with every `'` as `'\''`.
pub fn single_quoted(out: &mut String, t: &str) {
    out.push('\'');
    for (i, part) in t.split('\'').enumerate() {
        if i > 0 {
            out.push_str("'\\''");
        }
        out.push_str(part);
    }
    out.push('\'');
}
