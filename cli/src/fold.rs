//! Keeping large reports readable in text output (`compile`'s stderr, `check --format text`):
//! past the 20th diagnostic of one code, the rest of that code is folded into one line with the
//! count; `--max-diagnostics N` caps what is printed and says how many were left out; `check`
//! ends with a table of the findings per code. The exit code and the machine formats (JSON,
//! SARIF, GitHub, JUnit) always see every diagnostic.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use routec_core::{Diagnostic, Severity};

/// How many diagnostics of one code are printed before the rest are folded.
pub(crate) const FOLD_AFTER: usize = 20;

/// What to print.
pub(crate) struct Folded<'a> {
    /// The diagnostics to render, in their order.
    pub(crate) shown: Vec<&'a Diagnostic>,
    /// Lines that stand for the rest.
    pub(crate) trailer: String,
}

/// Picks the diagnostics to print from `diags`.
pub(crate) fn fold(diags: &[Diagnostic], max: Option<usize>) -> Folded<'_> {
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    // Codes in the order they first appear, with the severities of their folded diagnostics.
    let mut folded: Vec<(&str, BTreeMap<Severity, usize>)> = Vec::new();
    let mut shown = Vec::new();
    for d in diags {
        let n = per_code.entry(d.code).or_default();
        *n += 1;
        if *n <= FOLD_AFTER {
            shown.push(d);
            continue;
        }
        let slot = match folded.iter().position(|(c, _)| *c == d.code) {
            Some(i) => i,
            None => {
                folded.push((d.code, BTreeMap::new()));
                folded.len() - 1
            }
        };
        *folded[slot].1.entry(d.severity).or_default() += 1;
    }
    let mut trailer = String::new();
    for (code, by_severity) in &folded {
        let more: Vec<String> = by_severity.iter().map(|(s, n)| plural(*n, &format!("more {}", s.as_str()))).collect();
        let total = per_code.get(code).copied().unwrap_or(0);
        let _ = writeln!(trailer, "{code}: {} not shown ({total} in all)", more.join(" and "));
    }
    if let Some(max) = max {
        if shown.len() > max {
            let hidden = shown.len() - max;
            shown.truncate(max);
            let _ = writeln!(trailer, "{} not shown (--max-diagnostics {max})", plural(hidden, "more diagnostic"));
        }
    }
    Folded { shown, trailer }
}

/// The per-code table `check` ends with: code, severity, count, sorted by code.
pub(crate) fn table(diags: &[Diagnostic]) -> String {
    let mut rows: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
    for d in diags {
        *rows.entry((d.code, d.severity)).or_default() += 1;
    }
    if rows.is_empty() {
        return String::new();
    }
    let width = rows.keys().map(|(c, _)| c.len()).max().unwrap_or(0).max("code".len());
    let mut out = format!("{:width$}  {:8}  {:>5}\n", "code", "severity", "count");
    for ((code, severity), n) in rows {
        let _ = writeln!(out, "{code:width$}  {:8}  {n:>5}", severity.as_str());
    }
    out
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn many(code: &'static str, n: usize, severity: Severity) -> Vec<Diagnostic> {
        (0..n).map(|i| Diagnostic::new(code, severity, format!("{i}"))).collect()
    }

    #[test]
    fn folds_past_twenty_per_code() {
        let mut d = many("routec::tls::expired", 25, Severity::Warning);
        d.extend(many("routec::route::path-invalid", 3, Severity::Error));
        d.extend(many("routec::admission::invalid-host", 21, Severity::Warning));
        d.push(Diagnostic::error("routec::admission::invalid-host", "x"));
        let f = fold(&d, None);
        assert_eq!(f.shown.len(), 20 + 3 + 20);
        assert_eq!(
            f.trailer,
            "routec::tls::expired: 5 more warnings not shown (25 in all)\n\
             routec::admission::invalid-host: 1 more error and 1 more warning not shown (22 in all)\n"
        );
    }

    #[test]
    fn caps_after_folding() {
        let d = many("routec::tls::expired", 30, Severity::Warning);
        let f = fold(&d, Some(4));
        assert_eq!(f.shown.len(), 4);
        assert!(f.trailer.ends_with("16 more diagnostics not shown (--max-diagnostics 4)\n"), "{}", f.trailer);
        assert_eq!(fold(&d[..3], Some(4)).trailer, "");
    }

    #[test]
    fn table_counts_per_code_and_severity() {
        let mut d = many("routec::tls::expired", 2, Severity::Warning);
        d.push(Diagnostic::error("routec::admission::invalid-host", "x"));
        d.push(Diagnostic::warning("routec::admission::invalid-host", "y"));
        assert_eq!(
            table(&d),
            "code                             severity  count\n\
             routec::admission::invalid-host  error         1\n\
             routec::admission::invalid-host  warning       1\n\
             routec::tls::expired             warning       2\n"
        );
        assert_eq!(table(&[]), "");
    }
}
