//! The diagnostic reference, docs/diagnostics.md, compiled into the binary: one source of truth
//! for the text SARIF rules carry (`fullDescription`) and the anchor they link to (`helpUri`).
//! Each table row reads `| <a id="ANCHOR"></a>`CODE` | … | MEANING |`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Where the published reference lives; rules link to `DOCS_URL#anchor`.
pub(crate) const DOCS_URL: &str = "https://github.com/routec/routec/blob/main/docs/diagnostics.md";

const DIAGNOSTICS_MD: &str = include_str!("../../docs/diagnostics.md");

/// One documented code.
pub(crate) struct Rule {
    /// The row's anchor id.
    pub(crate) anchor: String,
    /// The Meaning column, as written (Markdown).
    pub(crate) meaning: String,
}

impl Rule {
    /// The rule's documentation link.
    pub(crate) fn help_uri(&self) -> String {
        format!("{DOCS_URL}#{}", self.anchor)
    }
}

/// The documented rule of `code`.
pub(crate) fn rule(code: &str) -> Option<&'static Rule> {
    rules().get(code)
}

/// Every documented code.
pub(crate) fn rules() -> &'static BTreeMap<String, Rule> {
    static RULES: OnceLock<BTreeMap<String, Rule>> = OnceLock::new();
    RULES.get_or_init(|| parse(DIAGNOSTICS_MD))
}

fn parse(md: &str) -> BTreeMap<String, Rule> {
    let mut out = BTreeMap::new();
    for line in md.lines() {
        let Some(rest) = line.strip_prefix("| <a id=\"") else { continue };
        let Some((anchor, rest)) = rest.split_once("\"></a>`") else { continue };
        let Some((code, rest)) = rest.split_once('`') else { continue };
        // The last cell is the meaning; a `|` inside it would be written `\|`.
        let cells: Vec<&str> = rest.trim_end().trim_end_matches('|').split(" | ").collect();
        let meaning = cells.last().map(|c| c.trim().to_owned()).unwrap_or_default();
        out.insert(code.to_owned(), Rule { anchor: anchor.to_owned(), meaning });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_has_a_code_anchor_and_meaning() {
        let rows = DIAGNOSTICS_MD.lines().filter(|l| l.starts_with("| `routec::") || l.starts_with("| <a id=")).count();
        let rules = rules();
        assert_eq!(rules.len(), rows, "a table row without an anchor (write `| <a id=\"…\"></a>`code` | …`)");
        assert!(rules.len() > 80);
        for (code, r) in rules {
            assert_eq!(r.anchor, code.replace("::", "-"), "{code}: the anchor is the code with `-` for `::`");
            assert!(r.meaning.len() > 10 && !r.meaning.starts_with('|'), "{code}: {:?}", r.meaning);
            assert!(!matches!(r.meaning.as_str(), "error" | "warning" | "advice"), "{code}");
        }
        let r = rule("routec::route::path-invalid").expect("documented");
        assert_eq!(r.meaning, "`spec.path` does not start with `/` (the API server refuses it).");
        assert_eq!(r.help_uri(), format!("{DOCS_URL}#routec-route-path-invalid"));
        assert_eq!(rule("routec::hap::alert").map(|r| r.meaning.as_str()), Some("A live `.alert` directive."));
    }
}
