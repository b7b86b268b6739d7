//! The commands that read configs back: `parse`, `diff`, `verify`, and `compile --check`. Exit
//! codes follow `kubectl diff`: 0 equivalent, 1 different (or, for `parse`, syntax errors),
//! 2 usage or IO errors, and for `diff` and `verify` a config with syntax errors, which cannot
//! be compared.

use std::fmt::Write as _;
use std::path::Path;

use routec_core::hap::cook::Env;
use routec_core::hap::diff::{diff, Difference};
use routec_core::hap::model::{build_limited, Bundle, Model, Problem};
use routec_core::Limits;

use crate::bundle::Router;
use routec_core::source::Span;
use routec_core::{Diagnostic, Severity, SourceFile};
use serde_json::{json, Value};

/// `text` or `json`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Human-readable.
    Text,
    /// One JSON document.
    Json,
}

/// Reads a bundle's model and turns its problems into diagnostics against its files, with
/// whether any of them is a syntax error. A bundle over the `parse` budget is not read.
pub(crate) fn model_of(bundle: &Bundle, limits: &Limits) -> Read {
    let (model, problems) = build_limited(bundle, &Env::default(), limits);
    let syntax = problems.iter().any(|p| p.syntax);
    // The files are copied as text only when there is something to show in them.
    let mut sources = Vec::new();
    if !problems.is_empty() && problems.iter().all(|p| p.code != "routec::hap::config-too-large") {
        sources.push(SourceFile::from_bytes(bundle.config.0.clone(), bundle.config.1.clone()));
        for (name, bytes) in &bundle.files {
            sources.push(SourceFile::from_bytes(name.clone(), bytes.clone()));
        }
    }
    let diags = problems.iter().map(|p| diagnostic(p, &sources)).collect();
    (model, diags, sources, syntax)
}

fn diagnostic(p: &Problem, sources: &[SourceFile]) -> Diagnostic {
    let severity = if p.fatal { Severity::Error } else { Severity::Warning };
    let mut d = Diagnostic::new(p.code, severity, p.message.clone());
    if let Some(i) = sources.iter().position(|s| s.name == p.file) {
        d = d.at(Span::new(u32::try_from(i).unwrap_or(0), p.span.clone()), "here");
    }
    d
}

fn origin(o: Option<&routec_core::hap::model::Origin>) -> String {
    o.map(|o| format!(" ({}:{})", o.file, o.line)).unwrap_or_default()
}

/// One line per difference.
pub(crate) fn text(diffs: &[Difference]) -> String {
    let mut out = String::new();
    for d in diffs {
        let _ = match (&d.expected, &d.found) {
            (Some(e), Some(f)) => writeln!(
                out,
                "{}: {}: {} — expected `{e}`{}, found `{f}`{}",
                d.place,
                d.field,
                d.kind.as_str(),
                origin(d.expected_at.as_ref()),
                origin(d.found_at.as_ref())
            ),
            (Some(e), None) => {
                writeln!(out, "{}: {}: missing `{e}`{}", d.place, d.field, origin(d.expected_at.as_ref()))
            }
            (None, Some(f)) => writeln!(out, "{}: {}: extra `{f}`{}", d.place, d.field, origin(d.found_at.as_ref())),
            (None, None) => writeln!(out, "{}: {}: {}", d.place, d.field, d.kind.as_str()),
        };
    }
    out
}

fn origin_json(o: Option<&routec_core::hap::model::Origin>) -> Value {
    o.map_or(Value::Null, |o| json!({"file": &*o.file, "line": o.line}))
}

/// The differences as JSON.
pub(crate) fn json_of(diffs: &[Difference], equivalent: bool, maps_compared: bool) -> String {
    let list: Vec<Value> = diffs
        .iter()
        .map(|d| {
            json!({
                "place": d.place,
                "field": d.field,
                "kind": d.kind.as_str(),
                "expected": d.expected,
                "found": d.found,
                "expectedAt": origin_json(d.expected_at.as_ref()),
                "foundAt": origin_json(d.found_at.as_ref()),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(
        &json!({"equivalent": equivalent, "mapsCompared": maps_compared, "differences": list}),
    )
    .unwrap_or_default();
    s.push('\n');
    s
}

/// Compares two bundles and prints the result; returns the exit code. When either side is a
/// bare config, only the configs are compared, and the output says so once.
pub(crate) fn compare(
    expected: &Router,
    found: &Router,
    format: Format,
    what: &str,
    limits: &Limits,
) -> Result<u8, String> {
    let (a, b) = std::thread::scope(|s| {
        let b = s.spawn(|| model_of(&found.bundle, limits));
        (model_of(&expected.bundle, limits), joined(b))
    });
    compare_read(expected, found, a, b, format, what)
}

/// A model read on another thread (its panic, if any, carries on here).
pub(crate) fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// What [`model_of`] returns: the model, its diagnostics, the files they point into, and
/// whether it has syntax errors.
pub(crate) type Read = (Model, Vec<Diagnostic>, Vec<SourceFile>, bool);

/// [`compare`] of two configs already read into models.
pub(crate) fn compare_read(
    expected: &Router,
    found: &Router,
    (mut a, ad, asrc, a_syntax): Read,
    (mut b, bd, bsrc, b_syntax): Read,
    format: Format,
    what: &str,
) -> Result<u8, String> {
    let mut err = String::new();
    let plain = routec_core::render::Renderer::new(&asrc, routec_core::render::PLAIN_WIDTH, false);
    for d in ad.iter().filter(|d| d.severity == Severity::Error) {
        err.push_str(&plain.render(d));
    }
    let plain = routec_core::render::Renderer::new(&bsrc, routec_core::render::PLAIN_WIDTH, false);
    for d in bd.iter().filter(|d| d.severity == Severity::Error) {
        err.push_str(&plain.render(d));
    }
    if a_syntax || b_syntax {
        // A config that does not read as HAProxy reads it has no meaning to compare.
        let which: Vec<&str> = [(a_syntax, &expected.bundle), (b_syntax, &found.bundle)]
            .into_iter()
            .filter(|(bad, _)| *bad)
            .map(|(_, b)| b.config.0.as_str())
            .collect();
        let _ = writeln!(err, "error: {what}: not compared: {} has syntax errors", which.join(" and "));
        crate::emit("", &err)?;
        return Ok(2);
    }
    let maps_compared = expected.maps_given && found.maps_given;
    if !maps_compared {
        for m in [&mut a, &mut b] {
            m.maps.clear();
            m.crt_lists.clear();
        }
    }
    let diffs = diff(&a, &b);
    // Freeing a 10k-route model piece by piece costs a tenth of the run; the process ends here.
    std::mem::forget((a, b, asrc, bsrc));
    let note = if maps_compared {
        String::new()
    } else {
        let bare = if found.maps_given { &expected.bundle.config.0 } else { &found.bundle.config.0 };
        format!("{what}: maps and crt-lists not compared: {bare} is a bare config with no map files beside it\n")
    };
    let out = match format {
        Format::Json => json_of(&diffs, diffs.is_empty(), maps_compared),
        Format::Text if diffs.is_empty() => format!("{note}{what}: equivalent\n"),
        Format::Text => format!("{}{note}{what}: {} difference(s)\n", text(&diffs), diffs.len()),
    };
    crate::emit(&out, &err)?;
    Ok(u8::from(!diffs.is_empty()))
}

/// `routec parse`: diagnostics and the model of each file or folder.
pub(crate) fn parse(paths: &[std::path::PathBuf], format: Format) -> Result<u8, String> {
    let mut errors = false;
    let mut docs = Vec::new();
    let mut text_out = String::new();
    let mut err = String::new();
    let limits = crate::project::limits_for(&paths.iter().map(std::path::PathBuf::as_path).collect::<Vec<_>>())?;
    for p in paths {
        let bundle = crate::bundle::read(p)?.bundle;
        let (model, diags, sources, _) = model_of(&bundle, &limits);
        errors |= diags.iter().any(|d| d.severity == Severity::Error);
        let r = routec_core::render::Renderer::new(&sources, routec_core::render::PLAIN_WIDTH, false);
        for d in &diags {
            err.push_str(&r.render(d));
        }
        match format {
            Format::Json => docs.push(model_json(&bundle.config.0, &model, &diags)),
            Format::Text => text_out.push_str(&model_text(&bundle.config.0, &model)),
        }
        // Freeing a large model piece by piece costs a tenth of the run; the process ends soon.
        std::mem::forget((model, sources, bundle));
    }
    let out = match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&Value::Array(docs)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => text_out,
    };
    crate::emit(&out, &err)?;
    Ok(u8::from(errors))
}

fn model_text(name: &str, m: &Model) -> String {
    let mut out = format!("{name}\n");
    for (k, s) in &m.sections {
        let rules: usize = s.families.values().map(Vec::len).sum();
        let sets: usize = s.sets.values().map(Vec::len).sum();
        let _ = writeln!(
            out,
            "  {k}: {} settings, {rules} rules, {sets} set entries, {} servers",
            s.settings.len(),
            s.servers.len()
        );
    }
    for (k, v) in &m.maps {
        let _ = writeln!(out, "  map {k}: {} entries", v.len());
    }
    for (k, v) in &m.crt_lists {
        let _ = writeln!(out, "  crt-list {k}: {} entries", v.len());
    }
    out
}

fn model_json(name: &str, m: &Model, diags: &[Diagnostic]) -> Value {
    let item = |i: &routec_core::hap::model::Item| json!({"words": &*i.words, "line": i.origin.line});
    let sections: Vec<Value> = m
        .sections
        .iter()
        .map(|(k, s)| {
            json!({
                "key": k,
                "kind": s.kind,
                "name": s.name,
                "header": s.header,
                "settings": s.settings.iter().map(|(k, v)| (k.clone(), item(v))).collect::<serde_json::Map<_, _>>(),
                "rules": s.families.iter().map(|(k, v)| (k.clone(), Value::Array(v.iter().map(item).collect()))).collect::<serde_json::Map<_, _>>(),
                "sets": s.sets.iter().map(|(k, v)| (k.clone(), Value::Array(v.iter().map(item).collect()))).collect::<serde_json::Map<_, _>>(),
                "servers": s.servers.iter().map(|sv| json!({"name": sv.name, "address": sv.address, "options": sv.options.iter().collect::<std::collections::BTreeMap<_, _>>(), "line": sv.origin.line})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "file": name,
        "errors": diags.iter().filter(|d| d.severity == Severity::Error).count(),
        "diagnostics": diags.iter().map(|d| json!({"code": d.code, "severity": d.severity.as_str(), "message": d.message})).collect::<Vec<_>>(),
        "sections": sections,
        "maps": m.maps.iter().map(|(k, v)| (k.clone(), Value::Array(v.iter().map(|e| json!([e.key, e.value])).collect()))).collect::<serde_json::Map<_, _>>(),
        "crtLists": m.crt_lists.iter().map(|(k, v)| (k.clone(), Value::Array(v.iter().map(|e| json!({"cert": e.cert, "options": e.options, "filters": e.filters})).collect()))).collect::<serde_json::Map<_, _>>(),
    })
}

/// `routec compile --check`: compares what compile would write with `dir`; prints a unified
/// diff of every changed file and the semantic summary. Writes nothing.
pub(crate) fn check_tree(dir: &Path, files: &[routec_core::OutputFile]) -> Result<u8, String> {
    let mut out = String::new();
    let mut changed = 0;
    for f in files {
        let p = dir.join(&f.path);
        let old = std::fs::read(&p).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        if old.as_deref() == Some(f.contents.as_str()) {
            continue;
        }
        changed += 1;
        let old = old.unwrap_or_default();
        crate::redact::register(&old);
        // Key files: say that the key changed, and diff only what is public.
        let (old, new) =
            if routec_core::redact::Secrets::holds_key(&old) || routec_core::redact::Secrets::holds_key(&f.contents) {
                if key_blocks(&old) != key_blocks(&f.contents) {
                    let _ = writeln!(out, "{}: private key changed (redacted)", f.path);
                }
                (mask_keys(&old), mask_keys(&f.contents))
            } else {
                (old, f.contents.clone())
            };
        if old == new {
            continue;
        }
        let d = similar::TextDiff::from_lines(old.as_str(), new.as_str());
        let _ = write!(
            out,
            "{}",
            d.unified_diff().context_radius(3).header(&format!("a/{}", f.path), &format!("b/{}", f.path))
        );
    }
    let ours: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    // With a manifest, files routec did not write are the user's and not reported.
    let owned = crate::outdir::owned(dir);
    for p in crate::bundle::existing_tree(dir) {
        let rel = p.display().to_string();
        if !ours.contains(&rel.as_str()) && owned.as_ref().is_none_or(|o| o.contains(&rel)) {
            changed += 1;
            let _ = writeln!(out, "--- a/{rel}\n+++ /dev/null\n(compile no longer writes this file)");
        }
    }
    if changed > 0 {
        let ours = routec_core::hap::bundle_from_output(files);
        let theirs = crate::bundle::read(dir).unwrap_or_default().bundle;
        let limits = Limits::default();
        let diffs = diff(&model_of(&ours, &limits).0, &model_of(&theirs, &limits).0);
        let _ = writeln!(out, "\n{changed} file(s) differ from what compile writes.");
        if diffs.is_empty() {
            let _ = writeln!(out, "Semantically equivalent: the differences are formatting, comments or files outside the config and maps.");
        } else {
            let _ = writeln!(out, "Semantic differences (expected = compile, found = {}):", dir.display());
            out.push_str(&text(&diffs));
        }
    }
    crate::emit(&out, "")?;
    Ok(u8::from(changed > 0))
}

/// The private-key blocks of a PEM text, in order.
fn key_blocks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("-----BEGIN ") {
        let block = &rest[i..];
        let end = block.find("-----END ").and_then(|e| block[e..].find('\n').map(|n| e + n)).unwrap_or(block.len());
        let first = block.lines().next().unwrap_or_default();
        if first.ends_with("PRIVATE KEY-----") {
            out.push(&block[..end]);
        }
        rest = &block[end..];
        if end == 0 {
            break;
        }
    }
    out
}

/// `text` with the body of each private-key block replaced by one placeholder line, so a diff
/// shows certificates in full and keys not at all.
fn mask_keys(text: &str) -> String {
    let mut out = String::new();
    let mut in_key = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_end();
        if t.starts_with("-----BEGIN ") && t.ends_with("PRIVATE KEY-----") {
            in_key = true;
            out.push_str(line);
            out.push_str(routec_core::redact::REDACTED);
            out.push('\n');
        } else if in_key && t.starts_with("-----END ") {
            in_key = false;
            out.push_str(line);
        } else if !in_key {
            out.push_str(line);
        }
    }
    out
}
