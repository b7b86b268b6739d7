//! Input files as the core sees them: a name, the text, and a way to turn byte offsets into
//! line/column positions for diagnostics.

use std::ops::Range;
use std::sync::Mutex;

/// One input file handed to the core by the CLI or the wasm bindings.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user gave it; used only for display.
    pub name: String,
    /// The whole file.
    pub text: String,
    /// Byte offset of the first invalid UTF-8 sequence, when the file was read from bytes that
    /// are not UTF-8 (the text then holds U+FFFD in its place).
    pub invalid_utf8_at: Option<usize>,
}

impl SourceFile {
    /// Builds a source file from a name and its text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self { name: name.into(), text: text.into(), invalid_utf8_at: None }
    }

    /// Builds a source file from raw bytes. Bytes that are not UTF-8 are replaced, and the
    /// loader reports where the first one was.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Self::new(name, text),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Self { name: name.into(), text, invalid_utf8_at: Some(at) }
            }
        }
    }
}

/// A byte range in one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Index of the file in the input list.
    pub file: u32,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span covering `range` in `file`.
    pub fn new(file: u32, range: Range<usize>) -> Self {
        let start = u32::try_from(range.start).unwrap_or(u32::MAX);
        let end = u32::try_from(range.end).unwrap_or(u32::MAX);
        Self { file, start, end: end.max(start) }
    }

    /// The byte range.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Line starts of a text, for byte offset to line/column conversion.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last position converted (line, byte offset, 0-based column): labels mostly come in
    /// file order, so the next column is counted on from there rather than from the line start.
    last: Mutex<(usize, usize, usize)>,
}

impl Clone for LineIndex {
    fn clone(&self) -> Self {
        Self { starts: self.starts.clone(), last: Mutex::new((0, 0, 0)) }
    }
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts, last: Mutex::new((0, 0, 0)) }
    }

    /// The 1-based line and 1-based column (in characters) of byte `offset`.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let (last_line, last_off, last_col) = self.last.lock().map_or((usize::MAX, 0, 0), |g| *g);
        let (from, base) = if last_line == line && last_off >= start && last_off <= offset {
            (last_off, last_col)
        } else {
            (start, 0)
        };
        // Counting non-continuation bytes counts chars; minified JSON can put millions of bytes
        // before a label on one line.
        let col = base
            + text
                .get(from..offset)
                .map_or(offset - from, |s| s.as_bytes().iter().filter(|b| (**b & 0xC0) != 0x80).count());
        if let Ok(mut g) = self.last.lock() {
            *g = (line, offset, col);
        }
        (line + 1, col + 1)
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The byte offset where 0-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// The byte offset of 0-based `line` and 0-based character column `col`.
    pub fn offset(&self, text: &str, line: usize, col: usize) -> usize {
        let Some(&start) = self.starts.get(line) else { return text.len() };
        let rest = text.get(start..).unwrap_or("");
        let mut off = start;
        for (i, (b, c)) in rest.char_indices().enumerate() {
            if i == col || c == '\n' {
                return start + b;
            }
            off = start + b + c.len_utf8();
        }
        off
    }
}
