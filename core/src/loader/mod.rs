//! Reads input files (multi-document YAML, JSON, `kind: List`) into typed [`Objects`], applies the
//! API server's defaults that the router relies on, and reports malformed input as diagnostics.

use crate::diag::{Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::objects::*;
use crate::source::{SourceFile, Span};
use crate::tree::{Node, Value};
use crate::{json, yaml};

mod dedupe;
mod kinds;
mod reader;
mod schema;
mod time;

use reader::Reader;
pub use time::parse_rfc3339;

/// Loads every file. Files are taken in the order given (the CLI sorts paths), documents in file
/// order; that order is what the age fallback uses.
pub fn load(files: &[SourceFile], diags: &mut Diagnostics) -> Objects {
    load_limited(files, &Limits::default(), diags)
}

/// [`load`] within `limits`: inputs over the byte budget are not read at all, and objects past
/// the object budget are left out (one error each).
pub fn load_limited(files: &[SourceFile], limits: &Limits, diags: &mut Diagnostics) -> Objects {
    let mut objs = Objects::default();
    if let Some(d) = crate::limits::check_input(files, limits) {
        diags.push(d);
        return objs;
    }
    let mut index = Budget { next: 0, max: limits.max_objects };
    for (fi, f) in files.iter().enumerate() {
        let fid = u32::try_from(fi).unwrap_or(u32::MAX);
        if looks_json(f) && stream_list(fid, f, &mut objs, &mut index, diags) {
            continue;
        }
        let before = diags.as_slice().len();
        let docs = parse_file(fid, f, diags);
        if !docs.iter().any(is_object) {
            if diags.as_slice().len() == before {
                not_kubernetes(fid, f, &docs, diags);
            }
            continue;
        }
        for doc in docs {
            load_doc(&doc, &mut objs, &mut index, diags, 0);
        }
    }
    dedupe::dedupe(&mut objs, diags);
    objs
}

/// True for a mapping with a `kind`, or a sequence holding one: something meant as a
/// Kubernetes object, which is worth a diagnostic of its own when it is broken.
fn is_object(doc: &Node<'_>) -> bool {
    match &doc.value {
        Value::Map(_) => doc.get("kind").is_some(),
        Value::Seq(items) => items.iter().any(is_object),
        _ => false,
    }
}

/// One note for a file that holds no Kubernetes object at all (a Helm values file, a
/// kustomization's patch data, an empty file): a directory walk finds such files, and saying
/// nothing would hide a mistyped path or a manifest that lost its `kind`.
fn not_kubernetes(fid: u32, f: &SourceFile, docs: &[Node<'_>], diags: &mut Diagnostics) {
    let what = if docs.iter().all(Node::is_null) { "no documents" } else { "no object with a `kind`" };
    let at = Span::new(fid, 0..f.text.find('\n').unwrap_or(f.text.len()));
    diags.push(
        Diagnostic::advice("routec::input::not-kubernetes", format!("{} holds {what}: not read as Kubernetes objects", f.name))
            .at(at, "not a Kubernetes object")
            .help("routec reads objects with `apiVersion` and `kind`; exclude the file (`--exclude`) if it is not meant as one"),
    );
}

fn looks_json(f: &SourceFile) -> bool {
    let trimmed = f.text.trim_start();
    f.name.ends_with(".json") || trimmed.starts_with('{') || trimmed.starts_with('[')
}

/// Loads a JSON `List` item by item. Returns false (having changed nothing) when the file is
/// not a JSON list, so the caller parses it the ordinary way.
fn stream_list(fid: u32, f: &SourceFile, objs: &mut Objects, index: &mut Budget, diags: &mut Diagnostics) -> bool {
    if f.text.contains('\0') {
        return false;
    }
    let before = (
        objs.routes.len(),
        objs.services.len(),
        objs.endpoints.len(),
        objs.slices.len(),
        objs.namespaces.len(),
        objs.secrets.len(),
    );
    let cluster_before = objs.cluster.len();
    let diags_before = diags.as_slice().len();
    let (top, seen, idx) = if f.text.len() >= PIPELINE_FROM && !cfg!(target_arch = "wasm32") {
        pipelined(fid, &f.text, objs, *index, diags)
    } else {
        let mut idx = *index;
        let mut seen = 0usize;
        let mut on_item = |item: Node<'_>| {
            seen += 1;
            load_doc(&item, objs, &mut idx, diags, 1);
        };
        let top = json::parse_streaming(fid, &f.text, Some(&mut on_item));
        (top, seen, idx)
    };
    let is_list = top.as_ref().is_ok_and(|t| t.get("kind").and_then(Node::as_str).is_some_and(|k| k.ends_with("List")));
    if !is_list || seen == 0 {
        // Not a list after all: undo, and let the caller read the file the ordinary way.
        objs.routes.truncate(before.0);
        objs.services.truncate(before.1);
        objs.endpoints.truncate(before.2);
        objs.slices.truncate(before.3);
        objs.namespaces.truncate(before.4);
        objs.secrets.truncate(before.5);
        objs.cluster.truncate(cluster_before);
        diags.truncate(diags_before);
        return false;
    }
    *index = idx;
    true
}

/// Lists at least this large are parsed on one thread while their items are read on another.
const PIPELINE_FROM: usize = 1 << 20;

/// `parse_streaming` with the items read into `objs` on a second thread, in the order they were
/// parsed, so the result is the same as reading them in line; parsing and reading each take
/// about half of a large list's load time.
fn pipelined<'a>(
    fid: u32,
    text: &'a str,
    objs: &mut Objects,
    mut idx: Budget,
    diags: &mut Diagnostics,
) -> (Result<Node<'a>, Diagnostic>, usize, Budget) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Node<'a>>(64);
    std::thread::scope(|sc| {
        let reader = sc.spawn(move || {
            let mut seen = 0usize;
            for item in rx {
                seen += 1;
                load_doc(&item, objs, &mut idx, diags, 1);
            }
            (seen, idx)
        });
        let mut on_item = |item: Node<'a>| {
            // The reader only stops early if it panicked, which `join` reports below.
            let _ = tx.send(item);
        };
        let top = json::parse_streaming(fid, text, Some(&mut on_item));
        drop(tx);
        let (seen, idx) = reader.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (top, seen, idx)
    })
}

/// Parses one file into documents, choosing JSON or YAML by name and content.
pub fn parse_file<'a>(fid: u32, f: &'a SourceFile, diags: &mut Diagnostics) -> Vec<Node<'a>> {
    if let Some(off) = f.invalid_utf8_at {
        let end = f.text.get(off..).and_then(|t| t.chars().next()).map_or(off, |c| off + c.len_utf8());
        diags.push(
            Diagnostic::error("routec::input::not-utf8", "input is not UTF-8 text")
                .at(Span::new(fid, off..end), "invalid byte here")
                .help("Kubernetes objects are UTF-8; re-save the file as UTF-8"),
        );
        return Vec::new();
    }
    if f.text.contains('\0') {
        let off = f.text.find('\0').unwrap_or(0);
        diags.push(
            Diagnostic::error("routec::input::nul-byte", "input contains a NUL byte")
                .at(Span::new(fid, off..off + 1), "NUL byte here")
                .help("Kubernetes objects are text; remove the NUL byte"),
        );
        return Vec::new();
    }
    if looks_json(f) {
        match json::parse(fid, &f.text) {
            Ok(node) => return vec![node],
            Err(e) if f.name.ends_with(".json") => {
                diags.push(e);
                return Vec::new();
            }
            Err(_) => {}
        }
    }
    match yaml::parse(fid, &f.text) {
        Ok(docs) => docs,
        Err(e) => {
            diags.push(e);
            Vec::new()
        }
    }
}

/// The position the next object gets, and the object budget.
#[derive(Clone, Copy)]
struct Budget {
    next: usize,
    max: usize,
}

fn load_doc(doc: &Node<'_>, objs: &mut Objects, index: &mut Budget, diags: &mut Diagnostics, depth: usize) {
    if let Value::Seq(items) = &doc.value {
        for item in items {
            load_doc(item, objs, index, diags, depth + 1);
        }
        return;
    }
    if doc.as_map().is_none() {
        diags.push(
            Diagnostic::error(
                "routec::input::not-an-object",
                format!("expected a Kubernetes object, found a {}", doc.type_name()),
            )
            .at(doc.span, "not an object"),
        );
        return;
    }
    let kind = doc.get("kind").and_then(Node::as_str).unwrap_or("");
    let api = doc.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    if kind.ends_with("List") && doc.get("items").is_some() && depth < 4 {
        if let Some(items) = doc.get("items").and_then(Node::as_seq) {
            for item in items {
                load_doc(item, objs, index, diags, depth + 1);
            }
        }
        return;
    }
    if let Some(ty) = schema::of(group(api), kind) {
        schema::check(doc, ty, diags);
    }
    let i = index.next;
    index.next += 1;
    if i >= index.max {
        // One error at the first object past the budget; the rest are skipped quietly.
        if i == index.max {
            diags.push(crate::limits::too_many_objects(doc.span, index.max));
        }
        return;
    }
    let mut r = Reader { diags };
    match (group(api), kind) {
        ("route.openshift.io", "Route") => objs.routes.push(Box::new(r.route(doc, i))),
        ("", "Service") => objs.services.push(Box::new(r.service(doc, i))),
        ("", "Endpoints") => objs.endpoints.push(Box::new(r.endpoints(doc, i))),
        ("discovery.k8s.io", "EndpointSlice") => objs.slices.push(Box::new(r.slice(doc, i))),
        ("", "Namespace") | ("project.openshift.io", "Project") => {
            objs.namespaces.push(Namespace { meta: r.meta(doc, i, false) })
        }
        ("", "Secret") => objs.secrets.push(Box::new(r.secret(doc, i))),
        (g, k) if crate::cluster::Inputs::reads(g, k) => objs.cluster.push(g, k, doc),
        _ => {
            let at = doc.get("kind").map_or(doc.span, |n| n.span);
            let what = if kind.is_empty() { "an object without kind".to_owned() } else { format!("{api} {kind}") };
            r.diags.push(
                Diagnostic::advice(
                    "routec::input::skipped-kind",
                    format!("skipped {what}: routec reads Routes, Services, Endpoints, EndpointSlices, Namespaces and Secrets"),
                )
                .at(at, "not read"),
            );
        }
    }
}

fn group(api: &str) -> &str {
    match api.split_once('/') {
        Some((g, _)) => g,
        None => "",
    }
}
