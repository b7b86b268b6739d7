//! The fast path for the YAML that Kubernetes tools and GitOps repositories write: block
//! mappings and sequences, one-line plain and quoted scalars, literal block scalars, one-line
//! flow collections (`{name: r, namespace: n}`, `[a, 'b']`), comments and `---`. It builds the
//! same tree, with the same spans, as the full reader ([`super::parse_full`], over yaml-rust2)
//! in a fraction of the time, and borrows every scalar it can from the input instead of copying
//! it.
//!
//! Anything outside that subset (multi-line flow collections, anchors and aliases, tags,
//! escapes, multi-line plain or quoted scalars, folded scalars, tabs, CR, complex or very long
//! keys, or anything the full reader might refuse) makes it give up, and the caller reads the
//! whole file with the full reader instead, so errors and rare constructs are read exactly as
//! before. The spans copy yaml-rust2's marks, quirks and all: a block mapping starts at its
//! first key's colon, an indentless sequence right after its first dash, an empty value where
//! the next token is. `core/tests/yaml_fast.rs` and the `yaml_fast` fuzz target hold it to the
//! full reader's trees on every fixture and on mutations of them.

use std::borrow::Cow;

use crate::source::Span;
use crate::tree::{Key, Node, Value};

/// Not in the subset: read the file with the full reader.
struct GiveUp;

type R<T> = Result<T, GiveUp>;

/// Keys at least this long (in bytes) are the full reader's: it refuses implicit keys of more
/// than 1,024 characters.
const MAX_KEY: usize = 1000;

/// Deeper than this, the full reader decides (it refuses nesting past its own limit).
const MAX_DEPTH: usize = 100;

/// The documents of `text`, or `None` when the full reader has to read it.
pub(super) fn parse(file: u32, text: &str) -> Option<Vec<Node<'_>>> {
    let b = text.as_bytes();
    // Tabs and CR change indentation and line rules, NUL ends yaml-rust2's stream, and it
    // treats a BOM (U+FEFF) specially wherever it is.
    if memchr::memchr3(b'\t', b'\r', 0, b).is_some() || memchr::memmem::find(b, "\u{feff}".as_bytes()).is_some() {
        return None;
    }
    let mut p = Parser { text, b, file, depth: 0 };
    p.stream().ok()
}

/// One line: where it starts, where its content starts and where it ends (before the `\n`).
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    content: usize,
    end: usize,
}

impl Line {
    fn indent(&self) -> usize {
        self.content - self.start
    }
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    file: u32,
    depth: usize,
}

/// Where the parser is: at the content of a line, possibly part-way along it (after `- `).
#[derive(Clone, Copy)]
struct At {
    /// The offset of the content.
    pos: usize,
    /// The content's column.
    col: usize,
    /// The end of its line.
    end: usize,
}

impl<'a> Parser<'a> {
    fn span(&self, r: std::ops::Range<usize>) -> Span {
        Span::new(self.file, r)
    }

    fn line_at(&self, start: usize) -> Line {
        let end = memchr::memchr(b'\n', &self.b[start..]).map_or(self.b.len(), |i| start + i);
        let content = start + self.b[start..end].iter().take_while(|&&c| c == b' ').count();
        Line { start, content, end }
    }

    fn next_start(&self, l: &Line) -> usize {
        (l.end + 1).min(self.b.len())
    }

    /// The next line with content (not blank, not only a comment) at or after `from`.
    fn content_line(&self, mut from: usize) -> Option<Line> {
        while from < self.b.len() {
            let l = self.line_at(from);
            if l.content < l.end && self.b[l.content] != b'#' {
                return Some(l);
            }
            if l.end >= self.b.len() {
                return None;
            }
            from = l.end + 1;
        }
        None
    }

    fn is_doc_start(&self, l: &Line) -> bool {
        l.indent() == 0 && self.b[l.start..l.end].starts_with(b"---") && self.rest_is_empty(l.start + 3, l.end)
    }

    /// `---` followed by something, `...`, or a directive: the full reader decides.
    fn is_marker(&self, l: &Line) -> bool {
        let t = &self.b[l.start..l.end];
        l.indent() == 0 && (t.starts_with(b"---") || t.starts_with(b"...") || t.starts_with(b"%"))
    }

    /// True when only spaces, or spaces and then a comment, are left before `end`.
    fn rest_is_empty(&self, from: usize, end: usize) -> bool {
        let mut i = from;
        while i < end && self.b[i] == b' ' {
            i += 1;
        }
        // A comment needs a space before it.
        i == end || (i > from && self.b[i] == b'#')
    }

    fn stream(&mut self) -> R<Vec<Node<'a>>> {
        let mut docs = Vec::new();
        let mut from = 0;
        while let Some(l) = self.content_line(from) {
            if self.is_doc_start(&l) {
                from = self.next_start(&l);
                if l.end >= self.b.len() {
                    break;
                }
                continue;
            }
            if self.is_marker(&l) {
                return Err(GiveUp);
            }
            let (node, next) = self.block(At { pos: l.content, col: l.indent(), end: l.end }, false)?;
            docs.push(node);
            match next {
                None => break,
                Some(n) if self.is_doc_start(&n) => from = n.start,
                Some(_) => return Err(GiveUp),
            }
        }
        Ok(docs)
    }

    /// A block collection at `at` (a mapping or a sequence), and the next content line after it.
    fn block(&mut self, at: At, indentless: bool) -> R<(Node<'a>, Option<Line>)> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        let out = if self.is_dash(at.pos, at.end) {
            self.sequence(at, indentless)
        } else if indentless {
            Err(GiveUp)
        } else {
            self.mapping(at)
        };
        self.depth -= 1;
        out
    }

    /// `-` followed by a space or the end of the line.
    fn is_dash(&self, pos: usize, end: usize) -> bool {
        self.b[pos] == b'-' && (pos + 1 == end || self.b[pos + 1] == b' ')
    }

    fn sequence(&mut self, first: At, indentless: bool) -> R<(Node<'a>, Option<Line>)> {
        let col = first.col;
        let mut at = first;
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let after = self.skip_spaces(at.pos + 1, at.end);
            // yaml-rust2 starts an indentless sequence where its first item's content is.
            start.get_or_insert(if indentless { after } else { at.pos });
            let (item, next) = self.item(after, col, col + (after - at.pos), at.end)?;
            items.push(item);
            match next {
                Some(n) if !self.is_marker(&n) && n.indent() == col && self.is_dash(n.content, n.end) => {
                    at = At { pos: n.content, col, end: n.end };
                }
                // Deeper, or (unless the sequence is a mapping value at its key's column) a key
                // at the dashes' column: an error, or something to read again.
                Some(n) if !self.is_marker(&n) && (n.indent() > col || (n.indent() == col && !indentless)) => {
                    return Err(GiveUp)
                }
                next => {
                    let start = start.unwrap_or(first.pos);
                    let end = items.last().map_or(start, |n: &Node<'_>| n.span.end as usize).max(start);
                    return Ok((Node { value: Value::Seq(items), span: self.span(start..end) }, next));
                }
            }
        }
    }

    /// One sequence item whose content starts at `pos` (column `content`, after `- `), in a
    /// sequence at `col`.
    fn item(&mut self, pos: usize, col: usize, content: usize, end: usize) -> R<(Node<'a>, Option<Line>)> {
        if pos == end {
            return self.below(end, col, false);
        }
        if self.b[pos] == b'#' {
            return Err(GiveUp);
        }
        if self.is_dash(pos, end) || self.key_end(pos, end).is_some() {
            return self.block(At { pos, col: content, end }, false);
        }
        self.inline(pos, end, col)
    }

    fn skip_spaces(&self, mut i: usize, end: usize) -> usize {
        while i < end && self.b[i] == b' ' {
            i += 1;
        }
        i
    }

    /// What follows a key or a dash with nothing after it on its line (`end`): a block nested
    /// deeper than `col`, an indentless sequence (`indentless`, at `col` itself), or an empty
    /// value, which yaml-rust2 places where the next token is.
    fn below(&mut self, end: usize, col: usize, indentless: bool) -> R<(Node<'a>, Option<Line>)> {
        let next = self.content_line((end + 1).min(self.b.len()));
        match next {
            Some(n) if !self.is_marker(&n) && n.indent() > col => {
                self.block(At { pos: n.content, col: n.indent(), end: n.end }, false)
            }
            Some(n) if indentless && n.indent() == col && !self.is_marker(&n) && self.is_dash(n.content, n.end) => {
                self.block(At { pos: n.content, col, end: n.end }, true)
            }
            Some(n) if self.is_marker(&n) && !self.is_doc_start(&n) => Err(GiveUp),
            _ => {
                // The next token's mark: a sibling dash's is after the dash and its spaces (as
                // an indentless sequence's start); a key's, or a dedent's, is where it starts.
                let at = next.map_or(self.b.len(), |n| {
                    if n.indent() == col && self.is_dash(n.content, n.end) {
                        self.skip_spaces(n.content + 1, n.end)
                    } else {
                        n.content
                    }
                });
                Ok((Node { value: Value::Null, span: self.span(at..at) }, next))
            }
        }
    }

    /// The end of a simple key starting at `pos` (the offset of its `:`), when the content there
    /// is `key:` followed by a space or the end of the line.
    fn key_end(&self, pos: usize, end: usize) -> Option<usize> {
        if self.b[pos] == b'-' {
            return None;
        }
        // yaml-rust2 refuses implicit keys longer than 1,024 characters; bytes bound them.
        let end = end.min(pos + MAX_KEY);
        let mut i = pos;
        while i < end {
            match self.b[i] {
                b':' => {
                    return (i > pos && (i + 1 == end || self.b[i + 1] == b' ')).then_some(i);
                }
                c if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'/' | b'-' | b'_') => i += 1,
                _ => return None,
            }
        }
        None
    }

    fn mapping(&mut self, first: At) -> R<(Node<'a>, Option<Line>)> {
        let col = first.col;
        let mut at = first;
        let mut entries = Vec::new();
        let mut start = None;
        loop {
            let colon = self.key_end(at.pos, at.end).ok_or(GiveUp)?;
            // yaml-rust2 starts a block mapping at its first key's colon.
            start.get_or_insert(colon);
            let key = Key { text: key_text(&self.text[at.pos..colon]), span: self.span(at.pos..colon) };
            let after = self.skip_spaces(colon + 1, at.end);
            let (value, next) = if after == at.end {
                self.below(at.end, col, true)?
            } else if self.b[after] == b'#' {
                return Err(GiveUp);
            } else {
                self.inline(after, at.end, col)?
            };
            entries.push((key, value));
            match next {
                Some(n) if !self.is_marker(&n) && n.indent() == col && !self.is_dash(n.content, n.end) => {
                    at = At { pos: n.content, col, end: n.end };
                }
                Some(n) if !self.is_marker(&n) && n.indent() >= col => return Err(GiveUp),
                next => {
                    let start = start.unwrap_or(first.pos);
                    let end =
                        entries.last().map_or(start, |(_, n): &(Key<'_>, Node<'_>)| n.span.end as usize).max(start);
                    return Ok((Node { value: Value::Map(entries), span: self.span(start..end) }, next));
                }
            }
        }
    }

    /// A scalar, `{}` or `[]` at `pos` on a line ending at `end`, in a collection at `col`; then
    /// the next content line, which must not continue it.
    fn inline(&mut self, pos: usize, end: usize, col: usize) -> R<(Node<'a>, Option<Line>)> {
        let (node, last) = match self.b[pos] {
            b'\'' | b'"' => self.quoted(pos, end)?,
            b'{' | b'[' => self.flow(pos, end)?,
            b'|' => return self.literal(pos, end, col),
            _ if self.is_dash(pos, end) => return Err(GiveUp),
            c if is_indicator(c) => return Err(GiveUp),
            _ => {
                let mut stop = end;
                let mut i = pos;
                while i < end {
                    match self.b[i] {
                        b'#' if self.b[i - 1] == b' ' => {
                            stop = i;
                            break;
                        }
                        // `a: b: c` is an error, and `a:b` fine; the full reader decides the rest.
                        b':' if i + 1 == end || self.b[i + 1] == b' ' => return Err(GiveUp),
                        b'-' if self.dash_before_flow(i) => return Err(GiveUp),
                        _ => i += 1,
                    }
                }
                let text = self.text[pos..stop].trim_end_matches(' ');
                // What follows `stop` is a comment, or nothing.
                (self.plain(pos, text), end)
            }
        };
        if !self.rest_is_empty(last, end) {
            return Err(GiveUp);
        }
        let next = self.content_line((end + 1).min(self.b.len()));
        if next.is_some_and(|n| n.indent() > col) {
            // A continuation line: a multi-line scalar, or an error.
            return Err(GiveUp);
        }
        Ok((node, next))
    }

    /// A flow collection on one line, `{a: b, c: [d, 'e']}`, opening at `pos`; and the offset
    /// after it. Empty ones span their opening bracket alone, as yaml-rust2 marks them.
    fn flow(&mut self, pos: usize, end: usize) -> R<(Node<'a>, usize)> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        let map = self.b[pos] == b'{';
        let close = if map { b'}' } else { b']' };
        let mut i = self.skip_spaces(pos + 1, end);
        let (mut items, mut entries) = (Vec::new(), Vec::new());
        if self.b.get(i) != Some(&close) {
            loop {
                if map {
                    let (k, after) = self.flow_plain(i, end)?;
                    if after - i >= MAX_KEY {
                        return Err(GiveUp);
                    }
                    // `key: value`, the colon right after the key; anything else is the full reader's.
                    if self.b.get(after) != Some(&b':') || self.b.get(after + 1) != Some(&b' ') {
                        return Err(GiveUp);
                    }
                    let text = match k.value {
                        Value::Scalar { text, .. } => text,
                        _ => Cow::Borrowed(""),
                    };
                    let (v, next) = self.flow_node(self.skip_spaces(after + 1, end), end)?;
                    entries.push((Key { text, span: k.span }, v));
                    i = next;
                } else {
                    let (v, next) = self.flow_node(i, end)?;
                    items.push(v);
                    i = next;
                }
                i = self.skip_spaces(i, end);
                match self.b.get(i) {
                    Some(b',') if i < end => {
                        i = self.skip_spaces(i + 1, end);
                        if i >= end || self.b[i] == close {
                            return Err(GiveUp);
                        }
                    }
                    Some(&c) if c == close && i < end => break,
                    _ => return Err(GiveUp),
                }
            }
        }
        let last = if map {
            entries.last().map(|(_, v): &(Key<'_>, Node<'_>)| v.span.end)
        } else {
            items.last().map(|v: &Node<'_>| v.span.end)
        };
        let stop = last.map_or(i, |e| e as usize).max(pos);
        let value = if map { Value::Map(entries) } else { Value::Seq(items) };
        self.depth -= 1;
        Ok((Node { value, span: self.span(pos..stop) }, i + 1))
    }

    /// A node inside a flow collection: a nested one, a quoted scalar or a plain one.
    fn flow_node(&mut self, pos: usize, end: usize) -> R<(Node<'a>, usize)> {
        match self.b.get(pos) {
            Some(b'{' | b'[') if pos < end => self.flow(pos, end),
            Some(b'\'' | b'"') if pos < end => self.quoted(pos, end),
            _ => self.flow_plain(pos, end),
        }
    }

    /// A plain scalar inside a flow collection, ending before `,`, a bracket or the line's end.
    fn flow_plain(&self, pos: usize, end: usize) -> R<(Node<'a>, usize)> {
        if pos >= end || is_indicator(self.b[pos]) || self.is_dash(pos, end) {
            return Err(GiveUp);
        }
        let mut i = pos;
        while i < end && !matches!(self.b[i], b',' | b'[' | b']' | b'{' | b'}') {
            if self.b[i] == b'-' && self.dash_before_flow(i) {
                return Err(GiveUp);
            }
            // Colons and comments inside flow scalars are the full reader's to read.
            if matches!(self.b[i], b':' | b'#' | b'\'' | b'"') {
                if self.b[i] == b':' && self.b.get(i + 1) == Some(&b' ') {
                    break;
                }
                return Err(GiveUp);
            }
            i += 1;
        }
        let text = self.text[pos..i].trim_end_matches(' ');
        Ok((self.plain(pos, text), pos + text.len()))
    }

    /// A `-` right before `,`, a bracket or a brace, which yaml-rust2 refuses to start a plain
    /// scalar with ("plain scalar cannot start with '-' followed by ,[]{}").
    fn dash_before_flow(&self, i: usize) -> bool {
        matches!(self.b.get(i + 1), Some(b',' | b'[' | b']' | b'{' | b'}'))
    }

    fn plain(&self, pos: usize, text: &'a str) -> Node<'a> {
        let value = if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
            Value::Null
        } else {
            Value::Scalar { text: Cow::Borrowed(text), quoted: false }
        };
        Node { value, span: self.span(pos..pos + text.len()) }
    }

    /// A quoted scalar on one line, without escapes, opening at `pos`; and the offset after it.
    fn quoted(&self, pos: usize, end: usize) -> R<(Node<'a>, usize)> {
        let q = self.b[pos];
        let close = memchr::memchr(q, &self.b[pos + 1..end]).map(|i| pos + 1 + i).ok_or(GiveUp)?;
        let inner = &self.text[pos + 1..close];
        // `''` in single quotes, and every backslash escape, are the full reader's.
        if (q == b'\'' && self.b.get(close + 1) == Some(&b'\'')) || (q == b'"' && inner.contains('\\')) {
            return Err(GiveUp);
        }
        let node =
            Node { value: Value::Scalar { text: Cow::Borrowed(inner), quoted: true }, span: self.span(pos..close + 1) };
        Ok((node, close + 1))
    }

    /// A literal block scalar (`|`, `|-`, `|+`) whose indicator is at `pos`, in a collection at
    /// `col`.
    fn literal(&mut self, pos: usize, end: usize, col: usize) -> R<(Node<'a>, Option<Line>)> {
        let chomp = match self.b.get(pos + 1) {
            Some(b'-') => Some(false),
            Some(b'+') => Some(true),
            _ => None,
        };
        // Without a final newline, the full reader's end-of-file rule for block scalars
        // (`super::clip_final_break`) decides.
        if !self.text.ends_with('\n') {
            return Err(GiveUp);
        }
        let header = pos + 1 + usize::from(chomp.is_some());
        if header < end && self.b[header] != b' ' || !self.rest_is_empty(header, end) || end >= self.b.len() {
            return Err(GiveUp);
        }
        let first = self.line_at(end + 1);
        let indent = first.indent();
        if first.content == first.end || indent <= col {
            // Leading blank lines, or an empty scalar: the full reader's.
            return Err(GiveUp);
        }
        let mut value = String::new();
        let mut blank = 0usize;
        let mut l = first;
        let next = loop {
            if l.content == l.end {
                if l.end - l.start > indent {
                    return Err(GiveUp);
                }
                blank += 1;
            } else if l.indent() >= indent {
                if !value.is_empty() || blank > 0 {
                    value.push('\n');
                }
                for _ in 0..blank {
                    value.push('\n');
                }
                blank = 0;
                value.push_str(&self.text[l.start + indent..l.end]);
            } else {
                break Some(l);
            };
            // The file ends with a newline (checked above), so every line has one.
            l = self.line_at(l.end + 1);
            if l.start >= self.b.len() {
                break None;
            }
        };
        let next = match next {
            // A comment or a blank line ending the file is not content.
            Some(n) if n.indent() > col => return Err(GiveUp),
            Some(n) => self.content_line(n.start),
            None => None,
        };
        match chomp {
            None => value.push('\n'),
            Some(false) => {}
            Some(true) => {
                value.push('\n');
                for _ in 0..blank {
                    value.push('\n');
                }
            }
        }
        let at = first.start + indent;
        let node = Node { value: Value::Scalar { text: Cow::Owned(value), quoted: true }, span: self.span(at..at + 1) };
        Ok((node, next))
    }
}

/// Bytes that cannot start a plain scalar here (or start one the full reader must judge).
fn is_indicator(c: u8) -> bool {
    matches!(
        c,
        b'?' | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'%'
            | b'@'
            | b'`'
            | b'\''
            | b'"'
    )
}

/// A key's text as the full reader keeps it: a null key (`~: x`, `null: x`) is the empty string.
fn key_text(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(if matches!(text, "~" | "null" | "Null" | "NULL") { "" } else { text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(text: &str) -> bool {
        parse(0, text).is_some()
    }

    #[test]
    fn what_it_reads_and_what_it_leaves() {
        for ok in [
            "a: 1\n",
            "a:\n  b: c\n",
            "a:\n- x\n- y: 2\n  z: 'q'\n",
            "a: |\n  l1\n\n  l2\nb: 1\n",
            "a: |-\n  k\nb: []\n",
            "- a\n- - b\n-\n  k: v\n",
            "a: v w  # c\n---\nb: {}\n",
            "x:\n- a: \n  b: 1\n",
            "a: 'quoted # not a comment'\n",
            "a: [1]\nb: {x: y, z: [p, 'q r', {s: ~}]}\n",
            "null: 1\n",
        ] {
            assert!(reads(ok), "{ok:?}");
        }
        for leave in [
            "a: &x 1\n",
            "a: *x\n",
            "a: !t 1\n",
            "a: \"e\\n\"\n",
            "a: 'it''s'\n",
            "a: b\n  c\n",
            "a: >\n  f\n",
            "a:\tb\n",
            "a: 1\r\n",
            "a: [1,]\n",
            "a: {b}\n",
            "a: [b: c]\n",
            "a: [1\n",
            "a: {b: c#d}\n",
            "? a\n",
            "a: b: c\n",
            "--- a\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: |\n  x",
            "\"k\": v\n",
            "a: 1\n b: 2\n",
            "a: 'x'#c\n",
            &format!("{}: v\n", "k".repeat(1000)),
        ] {
            assert!(!reads(leave), "{leave:?}");
        }
    }
}
