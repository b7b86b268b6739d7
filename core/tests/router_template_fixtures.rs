//! Router-template fixtures: every `fixtures/router-templates/<case>/` holds a router template
//! of our own (`template.tmpl`) and optionally `router.env`; it is rendered over the shared
//! `fixtures/router-templates/objects.yaml` the way `compile --template` renders it, and the
//! diagnostics and every file it writes (conf/ and allow-lists) are snapshotted as
//! `render.snap`. The runner checks that the fixtures call every function of the router's
//! FuncMap, produce every `routec::template::*` code of core/src/template/, and that cases
//! whose README says "Loaded by `haproxy -c`" load in real HAProxy.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use routec_core::source::LineIndex;
use routec_core::template::RouterTemplate;
use routec_core::{Options, Output, SourceFile};

/// A fixed "now" (2027-01-01T00:00:00Z) so certificate date checks are reproducible.
const NOW: i64 = 1_798_761_600;

fn dir() -> PathBuf {
    common::root().join("fixtures/router-templates")
}

fn cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir())
        .expect("fixtures/router-templates")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn fixture_cert() -> String {
    let d = common::root().join("fixtures/default-cert");
    fs::read_to_string(d.join("tls.crt")).expect("tls.crt") + &fs::read_to_string(d.join("tls.key")).expect("tls.key")
}

/// The objects and the template, as the CLI lists them (the template after the inputs).
fn sources(case: &Path) -> Vec<SourceFile> {
    let objects = fs::read_to_string(dir().join("objects.yaml")).expect("objects.yaml");
    let template = fs::read_to_string(case.join("template.tmpl")).expect("template.tmpl");
    vec![SourceFile::new("fixtures/router-templates/objects.yaml", objects), SourceFile::new("template.tmpl", template)]
}

fn render(case: &Path, base_dir: &str) -> (Vec<SourceFile>, Output) {
    let src = sources(case);
    let t = RouterTemplate { name: "template.tmpl".into(), text: src[1].text.clone(), file: 1 };
    let opts = Options {
        base_dir: base_dir.to_owned(),
        default_certificate: Some(fixture_cert()),
        now: Some(NOW),
        template: Some(t),
        ..Options::default()
    };
    let out = routec_core::compile(&src[..1], &common::settings_of(case), &opts);
    (src, out)
}

fn document(case: &Path) -> String {
    let (src, out) = render(case, "/var/lib/haproxy");
    let mut doc = String::from("## Diagnostics\n");
    for d in out.diagnostics.iter().filter(|d| d.code.starts_with("routec::template::")) {
        let at = d.primary.as_ref().and_then(|l| {
            let s = src.get(l.span.file as usize)?;
            let (line, col) = LineIndex::new(&s.text).line_col(&s.text, l.span.start as usize);
            let text = s.text.get(l.span.range()).unwrap_or_default();
            Some(format!(" at {}:{line}:{col} {text:?}", s.name))
        });
        let _ = writeln!(doc, "{}[{}]: {}{}", d.severity.as_str(), d.code, d.message, at.unwrap_or_default());
        if let Some(h) = &d.help {
            let _ = writeln!(doc, "  help: {h}");
        }
    }
    for f in &out.files {
        let shown = (f.path.starts_with("conf/") && !f.path.starts_with("conf/error-page"))
            || f.path.starts_with("router/allowlists/");
        if shown {
            let _ = write!(doc, "\n## {}\n{}", f.path, f.contents);
        }
    }
    doc
}

#[test]
fn router_template_fixtures() {
    let mut seen = String::new();
    let mut templates = String::new();
    for case in cases() {
        let doc = document(&case);
        seen.push_str(&doc);
        templates.push_str(&fs::read_to_string(case.join("template.tmpl")).expect("template.tmpl"));
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&case);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(case.join("template.tmpl"));
        settings.bind(|| insta::assert_snapshot!("render", doc));
    }
    // Every function of the router's FuncMap is called by some fixture.
    let missing: Vec<String> = routec_core::template::function_names()
        .into_iter()
        .filter(|f| !templates.contains(&format!("{f} ")) && !templates.contains(&format!("{f})")))
        .collect();
    assert!(missing.is_empty(), "no router-template fixture calls {missing:?}");
    // Every code the renderer reports is produced by a fixture.
    let src = fs::read_to_string(common::root().join("core/src/template/mod.rs")).expect("mod.rs");
    for code in src.split('"').filter(|p| p.starts_with("routec::template::")) {
        assert!(seen.contains(&format!("[{code}]")), "no router-template fixture reports {code}");
    }
    for code in ["parse", "undefined-function", "no-field", "no-template", "exec"] {
        assert!(seen.contains(&format!("[routec::template::{code}]")), "no router-template fixture reports {code}");
    }
}

#[test]
fn customised_templates_load_in_haproxy() {
    let Some(bin) = common::haproxy::binary() else { return };
    let mut checked = 0;
    for case in cases() {
        if !fs::read_to_string(case.join("README.md")).unwrap_or_default().contains("Loaded by `haproxy -c`") {
            continue;
        }
        let tmp = tempfile::tempdir().expect("tempdir");
        let base = tmp.path().to_str().expect("utf-8 temp path").to_owned();
        let (_, out) = render(&case, &base);
        fs::create_dir_all(tmp.path().join("run")).expect("run/");
        for f in &out.files {
            let p = tmp.path().join(&f.path);
            fs::create_dir_all(p.parent().expect("parent")).expect("dir");
            fs::write(&p, &f.contents).expect("write");
        }
        // The peers section needs the local peer's name, as the router's replicas are started.
        let peer = common::settings_of(&case).get("ROUTER_PEER_NAME").unwrap_or("router-0").to_owned();
        let res = Command::new(&bin)
            .arg("-c")
            .arg("-L")
            .arg(&peer)
            .arg("-f")
            .arg(tmp.path().join("conf/haproxy.config"))
            .output()
            .expect("run haproxy");
        let stderr = String::from_utf8_lossy(&res.stderr);
        assert!(res.status.success(), "{}: haproxy -c failed:\n{stderr}", case.display());
        assert!(!stderr.contains("WARNING"), "{}: haproxy -c warned:\n{stderr}", case.display());
        checked += 1;
    }
    assert!(checked >= 1, "no router-template fixture is checked by haproxy -c");
}
