//! Reading the lines around a label: which bytes a snippet shows, and the line and column its
//! header names. The counting, quirks included, is miette's (`context_info` in its
//! `source_impls.rs`), since the drawing in `draw` was laid out against it and reports must read
//! as they did when miette drew them: `column` counts bytes, and `line_count` counts the line
//! breaks from the start of the window, not from the first line shown.

use crate::source::{LineIndex, SourceFile};

/// What a read returns: a slice of the source and where it starts.
#[derive(Clone, Copy)]
pub(crate) struct Contents<'a> {
    /// Bytes, as miette reads them: a read without context can end inside a character.
    pub(crate) data: &'a [u8],
    /// Byte offset of `data` in the file.
    pub(crate) offset: usize,
    /// 0-based line of the first line shown.
    pub(crate) line: usize,
    /// 0-based byte column of the span's start when no lines before it were asked for.
    pub(crate) column: usize,
    pub(crate) line_count: usize,
}

/// One file with its line index, read a window of lines at a time so that a label in a 12 MB
/// file does not scan the whole file.
pub(crate) struct Window<'a> {
    pub(crate) src: &'a SourceFile,
    pub(crate) index: &'a LineIndex,
}

impl<'a> Window<'a> {
    pub(crate) fn name(&self) -> &'a str {
        &self.src.name
    }

    /// The lines holding `start..start + len`, with `before` and `after` lines of context.
    /// `None` when the span is outside the file.
    pub(crate) fn read(&self, start: usize, len: usize, before: usize, after: usize) -> Option<Contents<'a>> {
        let text = self.src.text.as_str();
        let end = start.checked_add(len)?;
        if end > text.len() {
            return None;
        }
        let first = self.index.line_of(start).saturating_sub(before);
        let last = self.index.line_of(end) + after + 1;
        let ws = self.index.line_start(first).unwrap_or(0);
        let we = self.index.line_start(last).unwrap_or(text.len());
        let window = text.get(ws..we)?;
        let inner = context(window.as_bytes(), start - ws, len, before, after)?;
        Some(Contents {
            data: window.as_bytes().get(inner.offset..inner.offset + inner.len)?,
            offset: inner.offset + ws,
            line: inner.line + first,
            column: inner.column,
            line_count: inner.line_count,
        })
    }
}

struct Inner {
    offset: usize,
    len: usize,
    line: usize,
    column: usize,
    line_count: usize,
}

fn context(input: &[u8], span_start: usize, span_len: usize, before: usize, after: usize) -> Option<Inner> {
    let span_last = (span_start + span_len).saturating_sub(1);
    let mut offset = 0usize;
    let mut line_count = 0usize;
    let mut start_line = 0usize;
    let mut start_column = 0usize;
    let mut before_starts = std::collections::VecDeque::new();
    let mut line_start = 0usize;
    let mut end_lines = 0usize;
    let mut post_span = false;
    let mut post_span_newline = false;
    let mut i = 0usize;
    while let Some(&byte) = input.get(i) {
        i += 1;
        if matches!(byte, b'\r' | b'\n') {
            line_count += 1;
            if byte == b'\r' && input.get(i) == Some(&b'\n') {
                i += 1;
                offset += 1;
            }
            if offset < span_start {
                start_column = 0;
                before_starts.push_back(line_start);
                if before_starts.len() > before {
                    start_line += 1;
                    before_starts.pop_front();
                }
            } else if offset >= span_start + span_len.saturating_sub(1) && post_span {
                start_column = 0;
                if post_span_newline {
                    end_lines += 1;
                } else {
                    post_span_newline = true;
                }
                if end_lines >= after {
                    offset += 1;
                    break;
                }
            }
            line_start = offset + 1;
        } else if offset < span_start {
            start_column += 1;
        }
        if offset >= span_last {
            post_span = true;
            if end_lines >= after {
                offset += 1;
                break;
            }
        }
        offset += 1;
    }
    if offset < span_last {
        return None;
    }
    let first = before_starts.front().copied().unwrap_or(if before == 0 { span_start } else { 0 });
    Some(Inner {
        offset: first,
        len: offset.checked_sub(first)?,
        line: start_line,
        column: if before == 0 { start_column } else { 0 },
        line_count,
    })
}
