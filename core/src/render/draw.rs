//! Draws one report: the code, the message behind its severity mark, the source snippets with
//! their labels, and the help. The layout is miette's graphical report with its Unicode theme
//! (links off, one line of context, tabs at 4 columns), ported so that the wasm module does not
//! carry miette's renderer; `core/tests/render_vs_miette.rs` holds every report of the fixtures,
//! and generated ones, to miette's output byte for byte.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

use super::span::{Contents, Window};
use super::wrap::fill;
use crate::diag::Severity;

/// Everything a report shows.
pub(crate) struct Report<'a> {
    pub(crate) code: &'a str,
    pub(crate) severity: Severity,
    pub(crate) message: &'a str,
    pub(crate) help: Option<&'a str>,
    /// Labels as (text, byte offset, byte length); drawn only with a source.
    pub(crate) labels: Vec<(Option<&'a str>, usize, usize)>,
    pub(crate) source: Option<Window<'a>>,
}

/// Whether to colour: with ANSI SGR codes (the constants below) in a terminal, plain otherwise.
#[derive(Clone, Copy)]
pub(crate) struct Theme {
    pub(crate) color: bool,
}

const ERROR: &str = "31";
const WARNING: &str = "33";
const ADVICE: &str = "36";
const HELP: &str = "36";
const LINK: &str = "1;4;36";
const LINUM: &str = "2";
const HIGHLIGHTS: [&str; 3] = ["1;35", "1;33", "1;32"];

/// The report could not be drawn (a label outside its file); the caller writes a plain line.
pub(crate) struct Failed;

impl Theme {
    fn paint(self, out: &mut String, text: &str, style: &str) {
        if self.color && !style.is_empty() && !text.is_empty() {
            let _ = write!(out, "\u{1b}[{style}m{text}\u{1b}[0m");
        } else {
            out.push_str(text);
        }
    }

    fn painted(self, text: &str, style: &str) -> String {
        let mut s = String::new();
        self.paint(&mut s, text, style);
        s
    }
}

struct Label<'a> {
    parts: Option<Vec<&'a str>>,
    offset: usize,
    len: usize,
    style: &'static str,
}

impl Label<'_> {
    fn end(&self) -> usize {
        self.offset + self.len
    }
}

struct Line {
    number: usize,
    offset: usize,
    length: usize,
    text: String,
}

impl Line {
    fn end(&self) -> usize {
        self.offset + self.length
    }
    fn only(&self, l: &Label<'_>) -> bool {
        l.offset >= self.offset && l.end() <= self.end()
    }
    fn applies(&self, l: &Label<'_>) -> bool {
        let end = l.offset + l.len.max(1);
        (l.offset >= self.offset && l.offset < self.end())
            || (l.offset < self.offset && end > self.end())
            || (end > self.offset && end <= self.end())
    }
    fn applies_gutter(&self, l: &Label<'_>) -> bool {
        let end = l.offset + l.len.max(1);
        self.applies(l)
            && !((l.offset >= self.offset && l.offset < self.end()) && (end > self.offset && end <= self.end()))
    }
    fn flyby(&self, l: &Label<'_>) -> bool {
        l.offset < self.offset && l.end() > self.end()
    }
    fn starts(&self, l: &Label<'_>) -> bool {
        l.offset >= self.offset
    }
    fn ends(&self, l: &Label<'_>) -> bool {
        l.end() >= self.offset && l.end() <= self.end()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Single,
    First,
    Rest,
}

/// The width reports are filled to, less the two columns miette keeps free.
pub(crate) fn draw(r: &Report<'_>, term_width: usize, theme: Theme) -> Result<String, Failed> {
    let mut out = String::new();
    let width_ = term_width.saturating_sub(2);
    let (style, icon) = match r.severity {
        Severity::Error => (ERROR, "×"),
        Severity::Warning => (WARNING, "⚠"),
        Severity::Advice => (ADVICE, "☞"),
    };
    theme.paint(&mut out, r.code, style);
    out.push_str("\n\n");
    let first = format!("  {} ", theme.painted(icon, style));
    let rest = format!("  {} ", theme.painted("│", style));
    out.push_str(&fill(r.message, width_, &first, &rest));
    out.push('\n');
    if let Some(src) = &r.source {
        snippets(&mut out, r, src, theme)?;
    }
    if let Some(help) = r.help {
        let first = theme.painted("  help: ", HELP);
        out.push_str(&fill(help, width_, &first, "        "));
        out.push('\n');
    }
    Ok(out)
}

fn snippets(out: &mut String, r: &Report<'_>, src: &Window<'_>, theme: Theme) -> Result<(), Failed> {
    if r.labels.is_empty() {
        return Ok(());
    }
    let mut labels = r.labels.clone();
    crate::sort::sort_by_key(&mut labels, |l| l.1);
    let mut contexts: Vec<((usize, usize), Contents<'_>)> = Vec::with_capacity(labels.len());
    for &(text, offset, len) in &labels {
        let Some(conts) = src.read(offset, len, 1, 1) else {
            let _ = writeln!(
                out,
                "  [{} `{}` (offset: {}, length: {}): {}]",
                theme.painted("Failed to read contents for label", ERROR),
                theme.painted(text.unwrap_or("<none>"), LINK),
                theme.painted(&offset.to_string(), LINK),
                theme.painted(&len.to_string(), LINK),
                theme.painted("OutOfBounds", WARNING),
            );
            return Ok(());
        };
        if let Some(((lo, ll), lc)) = contexts.last() {
            if lc.line + lc.line_count >= conts.line {
                let new_end = (lo + ll).max(offset + len);
                if let Some(merged) = src.read(*lo, new_end - lo, 1, 1) {
                    let lo = *lo;
                    contexts.pop();
                    contexts.push(((lo, new_end - lo), merged));
                    continue;
                }
            }
        }
        contexts.push(((offset, len), conts));
    }
    let all: Vec<Label<'_>> = labels
        .iter()
        .enumerate()
        .map(|(i, &(text, offset, len))| Label {
            parts: text.map(|t| t.split('\n').collect()),
            offset,
            len,
            style: HIGHLIGHTS[i % HIGHLIGHTS.len()],
        })
        .collect();
    for ((offset, len), contents) in contexts {
        context(out, src, offset, len, contents, &all, theme)?;
    }
    Ok(())
}

fn lines_of(c: &Contents<'_>) -> Vec<Line> {
    let mut line = c.line;
    let mut column = c.column;
    let mut offset = c.offset;
    let mut line_offset = offset;
    let mut text = String::new();
    let mut lines = Vec::with_capacity(1);
    let data = String::from_utf8_lossy(c.data);
    let mut iter = data.chars().peekable();
    while let Some(ch) = iter.next() {
        offset += ch.len_utf8();
        let mut at_eof = false;
        match ch {
            '\r' => {
                if iter.next_if_eq(&'\n').is_some() {
                    offset += 1;
                    line += 1;
                    column = 0;
                } else {
                    text.push(ch);
                    column += 1;
                }
                at_eof = iter.peek().is_none();
            }
            '\n' => {
                at_eof = iter.peek().is_none();
                line += 1;
                column = 0;
            }
            _ => {
                text.push(ch);
                column += 1;
            }
        }
        if iter.peek().is_none() && !at_eof {
            line += 1;
        }
        if column == 0 || iter.peek().is_none() {
            lines.push(Line {
                number: line,
                offset: line_offset,
                length: offset - line_offset,
                text: std::mem::take(&mut text),
            });
            line_offset = offset;
        }
    }
    lines
}

fn context(
    out: &mut String,
    src: &Window<'_>,
    offset: usize,
    len: usize,
    contents: Contents<'_>,
    labels: &[Label<'_>],
    theme: Theme,
) -> Result<(), Failed> {
    let lines = lines_of(&contents);
    let primary = labels.iter().find(|l| offset <= l.offset && l.end() <= offset + len);
    let max_gutter = lines
        .iter()
        .map(|line| labels.iter().filter(|l| !line.only(l) && line.applies_gutter(l)).count())
        .max()
        .unwrap_or(0);
    let linum_width = lines.last().map_or(0, |l| l.number).to_string().len();
    out.push_str(&" ".repeat(linum_width + 2));
    out.push_str("╭─");
    let head = match primary {
        Some(l) => src.read(l.offset, l.len, 0, 0).ok_or(Failed)?,
        None => contents,
    };
    let at = format!("{}:{}:{}", src.name(), head.line + 1, head.column + 1);
    out.push('[');
    theme.paint(out, &at, LINK);
    out.push_str("]\n");
    for line in &lines {
        linum(out, linum_width, Some(line.number), theme);
        line_gutter(out, max_gutter, line, labels, theme);
        line_text(out, &line.text);
        let single: Vec<&Label<'_>> = labels.iter().filter(|l| line.applies(l) && line.only(l)).collect();
        if !single.is_empty() {
            linum(out, linum_width, None, theme);
            highlight_gutter(out, max_gutter, line, labels, Mode::Single, theme);
            single_line_highlights(out, line, linum_width, max_gutter, &single, labels, theme);
        }
        for l in labels.iter().filter(|l| line.applies(l) && !line.only(l)) {
            // A label without text that ends on this line draws nothing more here.
            if l.parts.is_some() && line.ends(l) && !line.starts(l) {
                multi_line_end(out, labels, max_gutter, linum_width, line, l, theme);
            }
        }
    }
    out.push_str(&" ".repeat(linum_width + 2));
    out.push_str("╰────\n");
    Ok(())
}

fn linum(out: &mut String, width_: usize, n: Option<usize>, theme: Theme) {
    out.push(' ');
    match n {
        Some(n) => {
            theme.paint(out, &format!("{n:>width_$}"), LINUM);
            out.push_str(" │ ");
        }
        None => {
            out.push_str(&" ".repeat(width_));
            out.push_str(" · ");
        }
    }
}

fn line_gutter(out: &mut String, max_gutter: usize, line: &Line, labels: &[Label<'_>], theme: Theme) {
    if max_gutter == 0 {
        return;
    }
    let mut gutter = String::new();
    let mut cols = 0usize;
    let mut arrow = false;
    for (i, l) in labels.iter().filter(|l| line.applies_gutter(l)).enumerate() {
        if line.starts(l) || line.ends(l) {
            let corner = if line.starts(l) {
                "╭"
            } else if l.parts.is_some() {
                "├"
            } else {
                "╰"
            };
            let bar = "─".repeat(max_gutter.saturating_sub(i));
            theme.paint(&mut gutter, corner, l.style);
            theme.paint(&mut gutter, &bar, l.style);
            theme.paint(&mut gutter, "▶", l.style);
            cols += 2 + max_gutter.saturating_sub(i);
            arrow = true;
            break;
        } else if line.flyby(l) {
            theme.paint(&mut gutter, "│", l.style);
        } else {
            gutter.push(' ');
        }
        cols += 1;
    }
    out.push_str(&gutter);
    out.push_str(&" ".repeat(if arrow { 1 } else { 3 } + max_gutter.saturating_sub(cols)));
}

fn highlight_gutter(out: &mut String, max_gutter: usize, line: &Line, labels: &[Label<'_>], mode: Mode, theme: Theme) {
    if max_gutter == 0 {
        return;
    }
    let mut cols = 0usize;
    for (i, l) in labels.iter().filter(|l| line.applies_gutter(l)).enumerate() {
        if !line.only(l) && line.ends(l) {
            if mode == Mode::Rest {
                let space = max_gutter.saturating_sub(i) + 2;
                out.push_str(&" ".repeat(space));
                cols += space + 1;
            } else {
                let n = max_gutter.saturating_sub(i) + 2;
                theme.paint(out, "╰", l.style);
                theme.paint(out, &"─".repeat(n - usize::from(mode == Mode::First)), l.style);
                cols += n + 1;
            }
            break;
        }
        theme.paint(out, "│", l.style);
        cols += 1;
    }
    out.push_str(&" ".repeat((max_gutter + 3).saturating_sub(cols)));
}

fn line_text(out: &mut String, text: &str) {
    for (c, w) in text.chars().zip(Columns::new(text)) {
        if c == '\t' {
            out.push_str(&" ".repeat(w));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
}

/// The columns each char of a source line takes, as miette counts them: tabs to the next
/// multiple of 4, nothing inside an escape sequence up to its `m`.
struct Columns<'a> {
    chars: std::str::Chars<'a>,
    column: usize,
    escaped: bool,
}

impl<'a> Columns<'a> {
    fn new(text: &'a str) -> Self {
        Self { chars: text.chars(), column: 0, escaped: false }
    }
}

impl Iterator for Columns<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        let c = self.chars.next()?;
        let w = match (self.escaped, c) {
            (false, '\t') => 4 - self.column % 4,
            (false, '\u{1b}') => {
                self.escaped = true;
                0
            }
            (false, c) => c.width().unwrap_or(0),
            (true, 'm') => {
                self.escaped = false;
                0
            }
            (true, _) => 0,
        };
        self.column += w;
        Some(w)
    }
}

fn visual_offset(line: &Line, offset: usize, start: bool) -> usize {
    let mut i = offset.saturating_sub(line.offset);
    while i <= line.text.len() && !line.text.is_char_boundary(i) {
        if start {
            i -= 1;
        } else {
            i += 1;
        }
    }
    let w: usize = Columns::new(&line.text[..i.min(line.text.len())]).sum();
    if i > line.text.len() {
        w + 1
    } else {
        w
    }
}

fn single_line_highlights(
    out: &mut String,
    line: &Line,
    linum_width: usize,
    max_gutter: usize,
    single: &[&Label<'_>],
    all: &[Label<'_>],
    theme: Theme,
) {
    let mut underlines = String::new();
    let mut highest = 0;
    let mut bars: Vec<(usize, usize)> = Vec::with_capacity(single.len());
    for (k, l) in single.iter().enumerate() {
        let start = visual_offset(line, l.offset, true).max(highest);
        let end = if l.len == 0 { start + 1 } else { visual_offset(line, l.end(), false).max(start + 1) };
        let bar = (start + end) / 2;
        let mid = if l.len == 0 {
            "▲"
        } else if l.parts.is_some() {
            "┬"
        } else {
            "─"
        };
        let seg = format!(
            "{}{}{}{}",
            " ".repeat(start.saturating_sub(highest)),
            "─".repeat(bar - start),
            mid,
            "─".repeat(end - bar - 1)
        );
        theme.paint(&mut underlines, &seg, l.style);
        highest = highest.max(end);
        bars.push((k, bar));
    }
    out.push_str(&underlines);
    out.push('\n');
    for l in single.iter().rev() {
        let Some(parts) = &l.parts else { continue };
        for (j, part) in parts.iter().enumerate() {
            let mode = if parts.len() == 1 {
                Mode::Single
            } else if j == 0 {
                Mode::First
            } else {
                Mode::Rest
            };
            linum(out, linum_width, None, theme);
            highlight_gutter(out, max_gutter, line, all, Mode::Single, theme);
            let mut cur = 1usize;
            for &(other, bar) in &bars {
                while cur < bar + 1 {
                    out.push(' ');
                    cur += 1;
                }
                if !same(single[other], l) {
                    theme.paint(out, "│", single[other].style);
                    cur += 1;
                } else {
                    let text = match mode {
                        Mode::Single => format!("╰── {part}"),
                        Mode::First => format!("╰─┤ {part}"),
                        Mode::Rest => format!("  │ {part}"),
                    };
                    theme.paint(out, &text, l.style);
                    out.push('\n');
                    break;
                }
            }
        }
    }
}

/// miette compares labels by text and span, not by identity.
fn same(a: &Label<'_>, b: &Label<'_>) -> bool {
    a.parts == b.parts && a.offset == b.offset && a.len == b.len
}

fn multi_line_end(
    out: &mut String,
    labels: &[Label<'_>],
    max_gutter: usize,
    linum_width: usize,
    line: &Line,
    l: &Label<'_>,
    theme: Theme,
) {
    linum(out, linum_width, None, theme);
    let Some(parts) = &l.parts else { return };
    let (first, rest) = parts.split_first().map_or((&"", &[][..]), |(f, r)| (f, r));
    if rest.is_empty() {
        highlight_gutter(out, max_gutter, line, labels, Mode::Single, theme);
        theme.paint(out, "─", l.style);
        out.push(' ');
        theme.paint(out, first, l.style);
        out.push('\n');
        return;
    }
    highlight_gutter(out, max_gutter, line, labels, Mode::First, theme);
    theme.paint(out, "┤", l.style);
    out.push(' ');
    theme.paint(out, first, l.style);
    out.push('\n');
    for part in rest {
        linum(out, linum_width, None, theme);
        highlight_gutter(out, max_gutter, line, labels, Mode::Rest, theme);
        theme.paint(out, "│", l.style);
        out.push(' ');
        theme.paint(out, part, l.style);
        out.push('\n');
    }
}
