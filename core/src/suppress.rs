//! Suppressions on the objects themselves, the way kube-linter reads them: an annotation
//! `routec.io/ignore: code1,code2` silences those codes for every finding whose label is on
//! that object. Codes are given with or without the `routec::` prefix; `*` silences every
//! code but errors, which stay (an error means the router or HAProxy will refuse something,
//! and hiding that would make a CI gate lie).

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::objects::{Meta, Objects};

/// The annotation.
pub const ANNOTATION: &str = "routec.io/ignore";

/// One object's suppressions: where it is, and the codes.
#[derive(Debug, Clone)]
pub struct Ignore {
    file: u32,
    start: u32,
    end: u32,
    codes: Vec<String>,
}

/// The suppressions of every object that has the annotation; a code routec does not have is
/// a warning (with the closest one), since it silences nothing.
pub fn collect(objs: &Objects, diags: &mut Diagnostics) -> Vec<Ignore> {
    let metas = objs
        .routes
        .iter()
        .map(|r| &r.meta)
        .chain(objs.services.iter().map(|s| &s.meta))
        .chain(objs.endpoints.iter().map(|e| &e.meta))
        .chain(objs.slices.iter().map(|s| &s.meta))
        .chain(objs.secrets.iter().map(|s| &s.meta))
        .chain(objs.namespaces.iter().map(|n| &n.meta));
    metas.filter_map(|m| ignore_of(m, diags)).collect()
}

fn ignore_of(m: &Meta, diags: &mut Diagnostics) -> Option<Ignore> {
    let v = m.annotation(ANNOTATION)?;
    let mut codes = Vec::new();
    for c in v.as_str().split(',').map(str::trim).filter(|c| !c.is_empty()) {
        if c == "*" {
            codes.push(c.to_owned());
            continue;
        }
        match crate::codes::lookup(c) {
            Some(code) => codes.push(code.to_owned()),
            None => {
                let mut d = Diagnostic::warning(
                    "routec::input::unknown-ignore-code",
                    format!(
                        "`{ANNOTATION}` names `{}`, which is not a routec code: it silences nothing",
                        c.escape_debug()
                    ),
                )
                .at(v.span.unwrap_or(m.span), "unknown code");
                if let Some(g) = crate::codes::suggest(c) {
                    d = d.help(format!("did you mean `{g}`?"));
                }
                diags.push(d);
            }
        }
    }
    Some(Ignore { file: m.span.file, start: m.span.start, end: m.span.end, codes })
}

/// True when `d` is silenced by an object it is about.
fn silenced(d: &Diagnostic, ignores: &[Ignore]) -> bool {
    let Some(l) = &d.primary else { return false };
    ignores.iter().any(|i| {
        let on = l.span.file == i.file && l.span.start >= i.start && l.span.end <= i.end;
        on && i.codes.iter().any(|c| c == d.code || (c == "*" && d.severity != Severity::Error))
    })
}

/// Drops every silenced diagnostic.
pub fn apply(ignores: &[Ignore], diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if ignores.is_empty() {
        return diags;
    }
    diags.into_iter().filter(|d| !silenced(d, ignores)).collect()
}
