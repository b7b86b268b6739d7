//! Fills a message or help text to the report's width behind its indents: words are split at
//! ASCII spaces only (never at hyphens or slashes, which would cut host, service and file
//! names in two), a word wider than a line is broken by columns, and lines are filled first-fit.
//! This is textwrap's `fill` with `WordSeparator::AsciiSpace`, `WordSplitter::NoHyphenation`,
//! `break_words` and `WrapAlgorithm::FirstFit`, the options the reports were drawn with when
//! miette drew them; `core/tests/render_vs_miette.rs` holds the two to the same output.

use unicode_width::UnicodeWidthChar;

/// Display columns of `text`, not counting ANSI escape sequences.
pub(crate) fn width(text: &str) -> usize {
    let mut w = 0;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        match escape_end(text, i) {
            Some(end) => i = end,
            None => {
                w += char_width(c);
                i += c.len_utf8();
            }
        }
    }
    w
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Where the ANSI escape starting at byte `i` ends: a CSI runs to its final byte, an OSC to
/// BEL or the string terminator, and any other escape takes the character after it.
fn escape_end(s: &str, i: usize) -> Option<usize> {
    let rest = s.get(i..)?.strip_prefix('\u{1b}')?;
    let mut chars = rest.char_indices();
    let at = |j: usize| i + 1 + j;
    match chars.next() {
        None => Some(at(0)),
        Some((_, '[')) => {
            Some(chars.find(|(_, c)| ('\u{40}'..='\u{7e}').contains(c)).map_or(s.len(), |(j, c)| at(j) + c.len_utf8()))
        }
        Some((_, ']')) => {
            let mut last = ']';
            for (j, c) in chars {
                if c == '\u{7}' || (c == '\\' && last == '\u{1b}') {
                    return Some(at(j) + c.len_utf8());
                }
                last = c;
            }
            Some(s.len())
        }
        Some((j, c)) => Some(at(j) + c.len_utf8()),
    }
}

/// A word and the spaces after it, as byte lengths into the line, with the word's columns.
struct Word {
    len: usize,
    space: usize,
    width: usize,
}

/// `text` filled to `width` columns: the first output line behind `first`, the others behind
/// `rest`. Lines of the text (split at `\n`) are filled one by one.
pub(crate) fn fill(text: &str, width_: usize, first: &str, rest: &str) -> String {
    let widths = [width_.saturating_sub(width(first)), width_.saturating_sub(width(rest))];
    let mut out = String::with_capacity(text.len() + 16);
    let mut lines = 0usize;
    for line in text.split('\n') {
        // An empty first word, as textwrap puts before the words behind an indent.
        let mut words = vec![Word { len: 0, space: 0, width: 0 }];
        split_words(line, widths[1], &mut words);
        // First fit: a word that does not fit starts the next line.
        let mut start = 0;
        let mut used = 0;
        let mut idx = 0usize;
        let emit = |ws: &[Word], out: &mut String, lines: &mut usize, idx: &mut usize| {
            let Some(last) = ws.last() else { return };
            let len = ws.iter().map(|w| w.len + w.space).sum::<usize>() - last.space;
            if *lines > 0 {
                out.push('\n');
            }
            out.push_str(if *lines == 0 { first } else { rest });
            out.push_str(line.get(*idx..*idx + len).unwrap_or_default());
            *lines += 1;
            *idx += len + last.space;
        };
        for i in 0..words.len() {
            let line_width = if lines == 0 { widths[0] } else { widths[1] };
            if used + words[i].width > line_width && i > start {
                emit(&words[start..i], &mut out, &mut lines, &mut idx);
                start = i;
                used = 0;
            }
            used += words[i].width + words[i].space;
        }
        emit(&words[start..], &mut out, &mut lines, &mut idx);
    }
    out
}

/// The words of `line` at runs of ASCII spaces (a word keeps leading spaces, its trailing ones
/// are its space), a word wider than `max` broken into pieces.
fn split_words(line: &str, max: usize, out: &mut Vec<Word>) {
    let bytes = line.as_bytes();
    let mut start = 0;
    for end in 1..=bytes.len() {
        if end < bytes.len() && !(bytes[end - 1] == b' ' && bytes[end] != b' ') {
            continue;
        }
        let word = line[start..end].trim_end_matches(' ');
        let space = end - start - word.len();
        let w = width(word);
        if w > max {
            break_apart(word, space, max, out);
        } else {
            out.push(Word { len: word.len(), space, width: w });
        }
        start = end;
    }
}

/// Breaks a word wider than a line into pieces of at most `max` columns; the last piece keeps
/// the word's trailing spaces.
fn break_apart(word: &str, space: usize, max: usize, out: &mut Vec<Word>) {
    let (mut from, mut w, mut i) = (0, 0, 0);
    while let Some(c) = word[i..].chars().next() {
        if let Some(end) = escape_end(word, i) {
            i = end;
            continue;
        }
        let cw = char_width(c);
        if w > 0 && w + cw > max {
            out.push(Word { len: i - from, space: 0, width: w });
            from = i;
            w = 0;
        }
        w += cw;
        i += c.len_utf8();
    }
    if from < word.len() {
        out.push(Word { len: word.len() - from, space, width: w });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_ignores_escapes() {
        assert_eq!(width("\u{1b}[31m×\u{1b}[0m x"), 3);
    }

    #[test]
    fn fills_at_spaces_and_breaks_long_words() {
        assert_eq!(fill("aa bb-cc dd", 10, "> ", "  "), "> aa bb-cc\n  dd");
        assert_eq!(fill("abcdefghij", 6, "> ", "  "), "> abcd\n  efgh\n  ij");
        assert_eq!(fill("a\n\nb", 10, "> ", "| "), "> a\n| \n| b");
    }
}
