//! The files beside a config, indexed for lookups: map files with each regex compiled on first
//! use and skipped early when its literal prefix cannot match, ACL pattern files, and crt-lists.
//! Lookups follow HAProxy's map semantics: entries in file order, the first match wins.

use crate::sorted::Map;
use std::cell::OnceCell;

use super::sample::{Files, MapHit};
use crate::hap::mapfile::{CrtEntry, MapEntry};
use crate::hap::model::Model;
use crate::regex::Regex;

/// One map entry with its lazily compiled regex.
pub(crate) struct Row<'m> {
    pub(crate) entry: &'m MapEntry,
    /// The literal text every match must start with (for `^`-anchored regexes).
    pub(crate) prefix: String,
    re: OnceCell<Option<Regex>>,
}

impl Row<'_> {
    pub(crate) fn regex(&self) -> Option<&Regex> {
        self.re.get_or_init(|| super::sample::pcre(&self.entry.key, false)).as_ref()
    }

    fn reg_match(&self, input: &str) -> Option<bool> {
        if !input.starts_with(&self.prefix) {
            return Some(false);
        }
        self.regex().map(|r| r.is_match(input.as_bytes()))
    }
}

/// The literal prefix of an anchored regex: escaped punctuation and plain characters up to the
/// first metacharacter; a character made optional by a quantifier is not part of it.
pub(crate) fn literal_prefix(re: &str) -> String {
    let Some(rest) = re.strip_prefix('^') else { return String::new() };
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        let lit = match c {
            '\\' => match chars.next() {
                Some(n) if n.is_ascii_punctuation() => n,
                _ => break,
            },
            '.' | '[' | '(' | '|' | '$' | '^' | ')' | ']' | '{' | '}' => break,
            '?' | '*' | '+' => break,
            c => c,
        };
        out.push(lit);
        if matches!(chars.peek(), Some('?' | '*' | '{')) {
            out.pop();
            break;
        }
    }
    out
}

/// Maps, ACL files and crt-lists by name (sorted by name, as the model holds them).
pub(crate) struct Index<'m> {
    pub(crate) maps: Vec<(&'m str, Vec<Row<'m>>)>,
    pub(crate) crt_lists: Vec<(&'m str, &'m [CrtEntry])>,
    extra: &'m Map<String, Vec<u8>>,
}

fn base(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

impl<'m> Index<'m> {
    pub(crate) fn new(model: &'m Model, extra: &'m Map<String, Vec<u8>>) -> Self {
        let maps = model
            .maps
            .iter()
            .map(|(name, entries)| {
                let rows = entries
                    .iter()
                    .map(|e| Row { entry: e, prefix: literal_prefix(&e.key), re: OnceCell::new() })
                    .collect();
                (name.as_str(), rows)
            })
            .collect();
        let crt_lists = model.crt_lists.iter().map(|(k, v)| (k.as_str(), v.as_slice())).collect();
        Self { maps, crt_lists, extra }
    }

    /// The map a config path names: the same name, or the same file name.
    pub(crate) fn map(&self, path: &str) -> Option<(&'m str, &[Row<'m>])> {
        self.maps
            .binary_search_by(|e| e.0.cmp(path))
            .ok()
            .and_then(|i| self.maps.get(i))
            .or_else(|| self.maps.iter().find(|(k, _)| base(k) == base(path)))
            .map(|(k, v)| (*k, v.as_slice()))
    }

    pub(crate) fn crt_list(&self, path: &str) -> Option<(&'m str, &'m [CrtEntry])> {
        self.crt_lists
            .binary_search_by(|e| e.0.cmp(path))
            .ok()
            .and_then(|i| self.crt_lists.get(i))
            .or_else(|| self.crt_lists.iter().find(|(k, _)| base(k) == base(path)))
            .map(|(k, v)| (*k, *v))
    }
}

impl Files for Index<'_> {
    fn lookup(&self, file: &str, kind: &str, input: &str) -> (Option<MapHit>, Vec<usize>, bool) {
        let Some((name, rows)) = self.map(file) else { return (None, Vec::new(), false) };
        let mut skipped = Vec::new();
        for row in rows {
            let e = row.entry;
            let m = match kind {
                "reg" | "regm" => row.reg_match(input),
                "str" => Some(input == e.key),
                "beg" => Some(input.starts_with(&e.key)),
                "end" => Some(input.ends_with(&e.key)),
                "sub" => Some(input.contains(&e.key)),
                _ => None,
            };
            match m {
                Some(true) => {
                    let hit =
                        MapHit { file: name.to_owned(), line: e.line, key: e.key.clone(), value: e.value.clone() };
                    return (Some(hit), skipped, true);
                }
                Some(false) => {}
                None => skipped.push(e.line),
            }
        }
        (None, skipped, true)
    }

    fn patterns(&self, file: &str) -> Option<Vec<String>> {
        let bytes =
            self.extra.get(file).or_else(|| self.extra.iter().find(|(k, _)| base(k) == base(file)).map(|(_, v)| v))?;
        let text = String::from_utf8_lossy(bytes);
        Some(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::literal_prefix;

    #[test]
    fn prefixes() {
        assert_eq!(literal_prefix(r"^web\.example\.com\.?(:[0-9]+)?(/.*)?$"), "web.example.com");
        assert_eq!(literal_prefix(r"^intranet\.?(:[0-9]+)?"), "intranet");
        assert_eq!(literal_prefix(r"^[^\.]*\.wild\.example\.com"), "");
        assert_eq!(literal_prefix(r"web\.test"), "");
        assert_eq!(literal_prefix(r"^ab?c"), "a");
        assert_eq!(literal_prefix(r"^a\d"), "a");
    }
}
