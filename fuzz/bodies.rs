//! The fuzz targets' bodies, one function per entry point, shared by the libFuzzer targets
//! (`fuzz/fuzz_targets/*.rs`, run by cargo-fuzz on nightly) and by the stable smoke test
//! (`core/tests/fuzz_smoke.rs`), which replays the seed corpus plus deterministic mutations
//! through the same functions. Each body panics only when a property fails: a panic in the
//! core, a lexer that does not print back its input, a config that differs from itself, a
//! reader that disagrees with the library it stands in for.
#![allow(dead_code, reason = "each target binary uses one body")]

use routec_core::sorted::Map;

use routec_core::hap::cook::Env;
use routec_core::hap::model::{build, Bundle};
use routec_core::{Options, Settings, SourceFile};

#[path = "differential.rs"]
pub(crate) mod differential;
#[path = "gen.rs"]
pub(crate) mod gen;
#[path = "../core/tests/gotmpl_data/mod.rs"]
mod gotmpl_data;

/// A target's body.
pub(crate) type Body = fn(&[u8]);

/// Every target, by name: what the smoke test and the seed script iterate over.
pub(crate) const TARGETS: &[(&str, Body)] = &[
    ("compile_one", compile_one),
    ("compile_two", compile_two),
    ("compile_settings", compile_settings),
    ("check_now", check_now),
    ("lex_print", lex_print),
    ("model", model),
    ("diff_self", diff_self),
    ("maps", maps),
    ("explain", explain),
    ("gotmpl", gotmpl),
    ("json_differential", differential::json),
    ("yaml_differential", differential::yaml),
    ("yaml_fast", differential::yaml_fast),
    ("regex_differential", differential::regex),
    ("generated", generated),
];

/// Fast options: one thread, no certificate, no dates.
fn options() -> Options {
    Options { parallel: false, ..Options::default() }
}

/// Splits at the first `sep` byte: the part before and the rest after it (all of it and
/// nothing when there is none).
fn split(data: &[u8], sep: u8) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == sep) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// The codes of errors that say HAProxy (or the router, before it writes anything) would
/// refuse the output: with one of them, an unreadable config is what routec announced.
const ANNOUNCED: &[&str] = &[
    "routec::settings::router-refuses",
    "routec::settings::haproxy-refuses",
    "routec::annotation::haproxy-refuses",
    "routec::tls::haproxy-cannot-load",
    // A setting with CR, LF or NUL: routec says it is written into the config verbatim.
    "routec::security::control-character",
];

/// True when routec reported an error saying HAProxy or the router would refuse the output.
pub(crate) fn announced(out: &routec_core::Output) -> bool {
    out.diagnostics.iter().any(|d| d.severity == routec_core::Severity::Error && ANNOUNCED.contains(&d.code))
}

/// The compiled config must read back as HAProxy reads it (no lexer or block problem), unless
/// routec said HAProxy would refuse it.
fn reads_back(out: &routec_core::Output) {
    if announced(out) {
        return;
    }
    let bundle = routec_core::hap::bundle_from_output(&out.files);
    let (_, problems) = build(&bundle, &Env::default());
    let syntax: Vec<_> = problems.iter().filter(|p| p.syntax).map(|p| format!("{}: {}", p.code, p.message)).collect();
    let said: Vec<&str> = out.diagnostics.iter().map(|d| d.code).collect();
    assert!(syntax.is_empty(), "the compiled config does not read back: {syntax:?}; routec said {said:?}");
}

/// One input file.
pub(crate) fn compile_one(data: &[u8]) {
    let out = routec_core::compile(&[SourceFile::from_bytes("in.yaml", data.to_vec())], &Settings::new(), &options());
    reads_back(&out);
}

/// Two input files, split at the first 0xFF byte (never part of UTF-8 text).
pub(crate) fn compile_two(data: &[u8]) {
    let (a, b) = split(data, 0xff);
    let files = [SourceFile::from_bytes("a.yaml", a.to_vec()), SourceFile::from_bytes("b.json", b.to_vec())];
    let out = routec_core::compile(&files, &Settings::new(), &options());
    reads_back(&out);
}

/// A router.env (before the first 0xFF byte), then the objects.
pub(crate) fn compile_settings(data: &[u8]) {
    let (env, objs) = split(data, 0xff);
    let mut settings = Settings::new();
    let _ = settings.parse_env(1, &String::from_utf8_lossy(env));
    let out = routec_core::compile(&[SourceFile::from_bytes("in.yaml", objs.to_vec())], &settings, &options());
    reads_back(&out);
}

/// `routec check`: a compile with a "now" (the first 4 bytes, seconds around 2026) and the
/// route table's findings. Its safety net must never fire.
pub(crate) fn check_now(data: &[u8]) {
    let (head, rest) = data.split_at(data.len().min(4));
    let mut n = [0u8; 4];
    n[..head.len()].copy_from_slice(head);
    let now = 1_767_225_600 + i64::from(u32::from_le_bytes(n) % (4 * 365 * 86_400));
    let sources = [SourceFile::from_bytes("in.yaml", rest.to_vec())];
    let settings = Settings::new();
    let out = routec_core::compile(&sources, &settings, &Options { now: Some(now), ..options() });
    let findings = routec_core::explain::route_findings(&out, &sources, out.settings.settings(), None);
    let refused: Vec<_> = findings.iter().filter(|d| d.code == "routec::output::haproxy-refuses").collect();
    assert!(refused.is_empty(), "check's safety net fired: {refused:?}");
    let _ = routec_core::compile::check_findings(out.diagnostics);
}

/// `print(lex(x)) == x` for any bytes.
pub(crate) fn lex_print(data: &[u8]) {
    let lexed = routec_core::hap::lex::lex(data);
    assert!(routec_core::hap::lex::print(data, &lexed) == data, "print(lex(x)) != x");
}

/// Evaluation and the model of any config.
pub(crate) fn model(data: &[u8]) {
    let bundle = Bundle { config: ("haproxy.config".into(), data.to_vec()), files: Map::new() };
    let _ = build(&bundle, &Env::default());
}

/// A config equals itself, repeated names and all; and a copy of it equals it too.
pub(crate) fn diff_self(data: &[u8]) {
    let bundle = Bundle { config: ("haproxy.config".into(), data.to_vec()), files: Map::new() };
    let (a, _) = build(&bundle, &Env::default());
    let (b, _) = build(&bundle.clone(), &Env::default());
    let d = routec_core::hap::diff::diff(&a, &b);
    assert!(
        d.is_empty(),
        "diff(x, x) reports {} difference(s): {:?}",
        d.len(),
        d.first().map(|d| (&d.place, &d.field))
    );
}

/// Map files and crt-lists, read alone and through a config that uses them.
pub(crate) fn maps(data: &[u8]) {
    let _ = routec_core::hap::mapfile::parse_map(data);
    let _ = routec_core::hap::mapfile::parse_crt_list(data);
    let config = b"global\ndefaults\nfrontend f\n  bind :80\n  bind :443 ssl crt-list /c/cert_config.map\n  use_backend %[base,map_reg(/c/os_http_be.map)]\n";
    let mut files = Map::new();
    files.insert("os_http_be.map".to_owned(), data.to_vec());
    files.insert("cert_config.map".to_owned(), data.to_vec());
    let bundle = Bundle { config: ("haproxy.config".into(), config.to_vec()), files };
    let (model, _) = build(&bundle, &Env::default());
    let (again, _) = build(&bundle, &Env::default());
    assert!(routec_core::hap::diff::diff(&model, &again).is_empty(), "a map bundle differs from itself");
}

/// `explain`: the first line is the request URL, the rest a router config; the request is
/// explained and the route table built, both rendered as JSON.
pub(crate) fn explain(data: &[u8]) {
    let (url, config) = split(data, b'\n');
    let bundle = Bundle { config: ("haproxy.config".into(), config.to_vec()), files: Map::new() };
    let session = routec_core::explain::Session::from_bundle(&bundle, Map::new(), None);
    let explainer = session.explainer();
    let sni = routec_core::explain::Sni::FromHost;
    if let Ok(req) = routec_core::explain::parse_request(&String::from_utf8_lossy(url), &sni, None, &[]) {
        let _ = routec_core::explain::json::explanation(&explainer.explain(&req));
    }
    let _ = routec_core::explain::json::routes(&explainer.routes());
}

/// The template engine: parse the input as a template and execute it over fixed typed data.
/// A failure must be one of Go's error classes: parse-time errors only from parsing, the rest
/// only from executing, each with Go's `template: ` message prefix and a span in the text.
pub(crate) fn gotmpl(data: &[u8]) {
    use routec_core::gotmpl::{FuncMap, Template};
    let text = String::from_utf8_lossy(data);
    let json: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/templates/struct-fields-methods/data.json")).unwrap_or_default();
    let value = gotmpl_data::decode(&json);
    let check = |e: &routec_core::gotmpl::Error, parsing: bool| {
        assert_eq!(
            e.is_parse(),
            parsing,
            "{} error while {}: {e}",
            e.code(),
            if parsing { "parsing" } else { "executing" }
        );
        let d = e.detail();
        assert!(d.message.starts_with("template: "), "not Go's message form: {}", d.message);
        assert!(d.span.0 <= d.span.1 && d.span.1 <= text.len(), "span {:?} outside the text", d.span);
    };
    match Template::parse("main", &text, FuncMap::new()) {
        Err(e) => check(&e, true),
        Ok(t) => {
            if let Err(e) = t.execute(&value) {
                check(&e, false);
            }
        }
    }
}

/// Random valid objects (`gen`) compile with no error and read back; `core/tests/generated.rs`
/// adds real `haproxy -c` on top.
pub(crate) fn generated(data: &[u8]) {
    let case = gen::case(data);
    let sources = [SourceFile::new("objects.yaml", case.objects.clone())];
    let mut settings = Settings::new();
    for (k, v) in &case.settings {
        settings.set(k.clone(), v.clone());
    }
    let out =
        routec_core::compile(&sources, &settings, &Options { profile: routec_core::Profile::Haproxy26, ..options() });
    reads_back(&out);
}
