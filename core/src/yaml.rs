//! YAML reader: multi-document YAML into [`Node`] trees with byte spans. Every use of the YAML
//! library is behind this module so it can be swapped, and `fast` reads the common block subset
//! without it. Aliases are expanded with a budget and nesting is limited, so hostile input cannot
//! blow up memory or the stack.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diag::Diagnostic;
use crate::source::{LineIndex, Span};
use crate::tree::{Key, Node, Value};

/// Deepest nesting accepted (serde_yaml's limit too); deeper input is `routec::input::yaml-syntax`
/// ("nesting is too deep"), so a hostile file cannot overflow the stack.
pub const MAX_DEPTH: usize = 128;
/// Most nodes that alias expansion may copy in one file; past it the file is
/// `routec::input::yaml-syntax` ("alias expansion is too large"), so a "billion laughs" file
/// cannot exhaust memory.
pub const ALIAS_BUDGET: usize = 1_000_000;

mod fast;

/// Parses every document of a YAML stream. Empty documents are dropped. The block YAML that
/// tools write takes the fast path, which borrows its scalars from `text`; the rest, errors
/// included, is read by [`parse_full`].
pub fn parse(file: u32, text: &str) -> Result<Vec<Node<'_>>, Diagnostic> {
    match fast::parse(file, text) {
        Some(docs) => Ok(docs),
        None => parse_full(file, text),
    }
}

/// The fast path alone: the documents, or `None` where it leaves the file to [`parse_full`].
/// For the differential tests that hold the two to the same trees.
pub fn parse_fast(file: u32, text: &str) -> Option<Vec<Node<'_>>> {
    fast::parse(file, text)
}

/// Parses every document of a YAML stream with yaml-rust2, whatever it holds: the reader the
/// fast path must agree with.
pub fn parse_full(file: u32, text: &str) -> Result<Vec<Node<'static>>, Diagnostic> {
    let mut b = Builder {
        file,
        text,
        ascii: text.is_ascii(),
        lines: None,
        stack: Vec::new(),
        anchors: Vec::new(),
        docs: Vec::new(),
        budget: ALIAS_BUDGET,
        last_block: false,
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) => break,
            Ok((ev, mark)) => b.event(ev, mark)?,
            Err(e) => {
                let off = b.offset(e.marker());
                let msg = e.info().to_owned();
                return Err(Diagnostic::error("routec::input::yaml-syntax", format!("invalid YAML: {msg}"))
                    .at(Span::new(file, off..(off + 1).min(text.len()).max(off)), msg));
            }
        }
    }
    if b.last_block {
        clip_final_break(text, &mut b.docs);
    }
    Ok(b.docs)
}

/// yaml-rust2 gives a block scalar that ends the file without a final newline a line break
/// anyway; YAML's clip and keep chomping keep only a break that is there, as libyaml and Go's
/// readers do. So when the last node of the stream is such a scalar and the file's last line
/// is its text, that break is dropped.
fn clip_final_break(text: &str, docs: &mut [Node<'static>]) {
    let last_line = text.rsplit('\n').next().unwrap_or("");
    if text.ends_with('\n') || last_line.trim().is_empty() || matches!(last_line.trim(), "..." | "---") {
        return;
    }
    let mut node = match docs.last_mut() {
        Some(n) => n,
        None => return,
    };
    loop {
        node = match &mut node.value {
            Value::Map(entries) => match entries.last_mut() {
                Some((_, v)) => v,
                None => return,
            },
            Value::Seq(items) => match items.last_mut() {
                Some(v) => v,
                None => return,
            },
            Value::Scalar { text: value, quoted: true } => {
                if value.ends_with('\n') && value.trim_end_matches('\n').ends_with(last_line.trim()) {
                    value.to_mut().pop();
                }
                return;
            }
            _ => return,
        };
    }
}

enum Frame {
    Seq { start: usize, anchor: usize, items: Vec<Node<'static>> },
    Map { start: usize, anchor: usize, entries: Vec<(Key<'static>, Node<'static>)>, key: Option<Key<'static>> },
}

struct Builder<'a> {
    file: u32,
    text: &'a str,
    ascii: bool,
    lines: Option<LineIndex>,
    stack: Vec<Frame>,
    anchors: Vec<(usize, Node<'static>)>,
    docs: Vec<Node<'static>>,
    budget: usize,
    /// True while the last scalar or alias event was a block scalar.
    last_block: bool,
}

impl Builder<'_> {
    fn offset(&mut self, m: &Marker) -> usize {
        if self.ascii {
            return m.index().min(self.text.len());
        }
        let lines = self.lines.get_or_insert_with(|| LineIndex::new(self.text));
        lines.offset(self.text, m.line().saturating_sub(1), m.col())
    }

    fn err(&self, off: usize, msg: &str) -> Diagnostic {
        Diagnostic::error("routec::input::yaml-syntax", format!("invalid YAML: {msg}"))
            .at(Span::new(self.file, off..(off + 1).min(self.text.len()).max(off)), msg)
    }

    fn event(&mut self, ev: Event, mark: Marker) -> Result<(), Diagnostic> {
        let off = self.offset(&mark);
        match ev {
            Event::SequenceStart(anchor, _) => {
                self.last_block = false;
                self.open(off)?;
                self.stack.push(Frame::Seq { start: off, anchor, items: Vec::new() });
            }
            Event::MappingStart(anchor, _) => {
                self.last_block = false;
                self.open(off)?;
                self.stack.push(Frame::Map { start: off, anchor, entries: Vec::new(), key: None });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let end = off.max(1);
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { start, anchor, items }) => {
                        let end = items.last().map_or(end, |n| n.span.end as usize).max(start);
                        (Node { value: Value::Seq(items), span: Span::new(self.file, start..end) }, anchor)
                    }
                    Some(Frame::Map { start, anchor, entries, .. }) => {
                        let end = entries.last().map_or(end, |(_, n)| n.span.end as usize).max(start);
                        (Node { value: Value::Map(entries), span: Span::new(self.file, start..end) }, anchor)
                    }
                    None => return Err(self.err(off, "unbalanced collection end")),
                };
                self.finish(node, anchor, off)?;
            }
            Event::Scalar(text, style, anchor, _) => {
                self.last_block = matches!(style, TScalarStyle::Literal | TScalarStyle::Folded);
                let quoted = !matches!(style, TScalarStyle::Plain);
                let len = match style {
                    TScalarStyle::Plain => text.len(),
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => text.len() + 2,
                    _ => 1,
                };
                let end = (off + len).min(self.text.len()).max(off);
                let value = if !quoted && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
                    Value::Null
                } else {
                    Value::Scalar { text: text.into(), quoted }
                };
                let node = Node { value, span: Span::new(self.file, off..end) };
                self.finish(node, anchor, off)?;
            }
            Event::Alias(id) => {
                self.last_block = false;
                let node = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone())
                    .ok_or_else(|| self.err(off, "unknown alias"))?;
                let cost = count(&node);
                if cost > self.budget {
                    return Err(self.err(off, "alias expansion is too large"));
                }
                self.budget -= cost;
                self.finish(node, 0, off)?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn open(&self, off: usize) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.err(off, "nesting is too deep"));
        }
        Ok(())
    }

    fn finish(&mut self, node: Node<'static>, anchor: usize, off: usize) -> Result<(), Diagnostic> {
        if anchor > 0 {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => {
                if !node.is_null() {
                    self.docs.push(node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    let text = match node.value {
                        Value::Scalar { text, .. } => text,
                        Value::Null => String::new().into(),
                        _ => return Err(self.err(off, "complex mapping keys are not supported")),
                    };
                    *key = Some(Key { text, span: node.span });
                }
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }
}

fn count(n: &Node<'_>) -> usize {
    match &n.value {
        Value::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + count(v)).sum::<usize>(),
        _ => 1,
    }
}
