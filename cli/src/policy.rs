//! Severity overrides by diagnostic code: `--ignore`, `--warn`, `--deny` on the command line and
//! the same lists in routec.toml, applied to every diagnostic after the core has run (compile,
//! check, verify and explain).
//!
//! Precedence, per code: an object's `routec.io/ignore` annotation silences the code for that
//! object in the core, before any of this, and nothing brings it back (like a `noqa` comment);
//! then the command line decides when it names the code; else routec.toml; else the core's own
//! severity stands. One code in two lists of the same layer is an error, since it is unclear
//! which was meant. Codes are checked against `routec_core::codes::ALL_CODES` (exit 2 with
//! "did you mean" for an unknown one), written with or without the `routec::` prefix.

use std::collections::BTreeMap;

use routec_core::{codes, Diagnostic, Severity};

/// What to do with a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    /// Drop its diagnostics.
    Ignore,
    /// Make them warnings.
    Warn,
    /// Make them errors.
    Deny,
}

impl Action {
    fn list(self) -> &'static str {
        match self {
            Action::Ignore => "ignore",
            Action::Warn => "warn",
            Action::Deny => "deny",
        }
    }
}

/// One layer's lists: each code given, with where it was given (`--ignore`,
/// `routec.toml:3:11`).
pub(crate) struct Layer<'a> {
    pub(crate) ignore: &'a [(String, String)],
    pub(crate) warn: &'a [(String, String)],
    pub(crate) deny: &'a [(String, String)],
}

/// The resolved overrides.
#[derive(Debug, Default)]
pub(crate) struct Policy {
    by_code: BTreeMap<&'static str, Action>,
}

impl Policy {
    /// Resolves the layers, the one that wins first (command line, then routec.toml).
    pub(crate) fn new(layers: &[Layer<'_>]) -> Result<Self, String> {
        let mut by_code = BTreeMap::new();
        let mut problems = Vec::new();
        for layer in layers {
            let mut this: BTreeMap<&'static str, (Action, &str)> = BTreeMap::new();
            let lists = [(Action::Ignore, layer.ignore), (Action::Warn, layer.warn), (Action::Deny, layer.deny)];
            for (action, list) in lists {
                for (given, origin) in list {
                    let Some(code) = codes::lookup(given) else {
                        let hint = codes::suggest(given).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
                        problems.push(format!(
                            "{origin}: unknown diagnostic code `{given}`{hint} (docs/diagnostics.md lists them)"
                        ));
                        continue;
                    };
                    match this.get(code) {
                        Some((other, first)) if *other != action => problems.push(format!(
                            "{origin}: `{code}` is in both `{}` ({first}) and `{}`; give it once",
                            other.list(),
                            action.list()
                        )),
                        _ => {
                            this.insert(code, (action, origin));
                        }
                    }
                }
            }
            for (code, (action, _)) in this {
                by_code.entry(code).or_insert(action);
            }
        }
        if problems.is_empty() {
            Ok(Self { by_code })
        } else {
            Err(problems.join("\n"))
        }
    }

    /// Changes the severity of (or drops) every diagnostic whose code has an override.
    pub(crate) fn apply(&self, diags: &mut Vec<Diagnostic>) {
        if self.by_code.is_empty() {
            return;
        }
        diags.retain_mut(|d| match self.by_code.get(d.code) {
            Some(Action::Ignore) => false,
            Some(Action::Warn) => {
                d.severity = Severity::Warning;
                true
            }
            Some(Action::Deny) => {
                d.severity = Severity::Error;
                true
            }
            None => true,
        });
    }
}

/// Command-line values, split at commas, each labelled with its flag.
pub(crate) fn from_flag(flag: &str, values: &[String]) -> Vec<(String, String)> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| (v.to_owned(), flag.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(codes: &[&str], origin: &str) -> Vec<(String, String)> {
        codes.iter().map(|c| ((*c).to_owned(), origin.to_owned())).collect()
    }

    fn diags() -> Vec<Diagnostic> {
        vec![
            Diagnostic::warning("routec::tls::expired", "a"),
            Diagnostic::error("routec::route::path-invalid", "b"),
            Diagnostic::advice("routec::input::skipped-kind", "c"),
            Diagnostic::warning("routec::admission::not-admitted", "d"),
        ]
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let (cli_warn, cli_ignore) = (given(&["route::path-invalid"], "--warn"), given(&["tls::expired"], "--ignore"));
        let cli = Layer { ignore: &cli_ignore, warn: &cli_warn, deny: &[] };
        let file_deny = given(&["routec::tls::expired", "input::skipped-kind"], "routec.toml:1:9");
        let file = Layer { ignore: &[], warn: &[], deny: &file_deny };
        let p = Policy::new(&[cli, file]).expect("known codes");
        let mut d = diags();
        p.apply(&mut d);
        let got: Vec<(&str, Severity)> = d.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            got,
            [
                ("routec::route::path-invalid", Severity::Warning),
                ("routec::input::skipped-kind", Severity::Error),
                ("routec::admission::not-admitted", Severity::Warning),
            ]
        );
    }

    #[test]
    fn unknown_codes_and_conflicts_are_errors() {
        let bad = given(&["endpoints::no-ready-adresses"], "--ignore");
        let e = Policy::new(&[Layer { ignore: &bad, warn: &[], deny: &[] }]).err().unwrap_or_default();
        assert_eq!(
            e,
            "--ignore: unknown diagnostic code `endpoints::no-ready-adresses`; did you mean \
             `routec::endpoints::no-ready-addresses`? (docs/diagnostics.md lists them)"
        );
        let (i, d) = (given(&["tls::expired"], "--ignore"), given(&["routec::tls::expired"], "--deny"));
        let e = Policy::new(&[Layer { ignore: &i, warn: &[], deny: &d }]).err().unwrap_or_default();
        assert_eq!(e, "--deny: `routec::tls::expired` is in both `ignore` (--ignore) and `deny`; give it once");
    }

    #[test]
    fn flags_split_at_commas() {
        assert_eq!(from_flag("--warn", &["a, b".to_owned(), "c,".to_owned()]), given(&["a", "b", "c"], "--warn"));
    }
}
