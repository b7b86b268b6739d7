//! `routec completions SHELL` for every shell, and the man pages, linted by mandoc (Debian's
//! `mandoc` package; .ci/test installs it).

use std::process::Command;

use crate::common::{routec, stdout};

#[test]
fn completions_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef routec"),
        ("fish", "complete -c routec"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[routec]"),
    ] {
        let o = routec(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let s = stdout(&o);
        assert!(s.contains(marker), "{shell}: no `{marker}`");
        // Every command and a flag of each are offered.
        for word in ["compile", "check", "verify", "diff", "parse", "explain", "router-env", "against"] {
            assert!(s.contains(word), "{shell}: `{word}` missing");
        }
    }
    // The bash script is valid bash.
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = tmp.path().join("routec.bash");
    std::fs::write(&f, routec(&["completions", "bash"]).stdout).expect("write");
    let o = Command::new("bash").arg("-n").arg(&f).output().expect("bash runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(routec(&["completions", "tcsh"]).status.code(), Some(2));
}

fn lint(page: &std::path::Path) {
    let o = Command::new("mandoc")
        .args(["-T", "lint", "-W", "warning"])
        .arg(page)
        .output()
        .expect("mandoc (Debian package `mandoc`) must be installed; .ci/test installs it");
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success() && out.trim().is_empty(), "{}: {out}", page.display());
    let text = Command::new("mandoc").args(["-T", "utf8"]).arg(page).output().expect("mandoc");
    assert!(text.status.success() && !text.stdout.is_empty());
}

#[test]
fn man_pages_render_cleanly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let one = tmp.path().join("routec.1");
    let o = routec(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    std::fs::write(&one, &o.stdout).expect("write");
    lint(&one);
    let s = stdout(&o);
    assert!(s.contains(".TH routec 1") && s.contains("compile"), "{s}");
    let dir = tmp.path().join("man1");
    let o = routec(&["man", "--dir", &dir.display().to_string()]);
    assert_eq!(o.status.code(), Some(0));
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .expect("man dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for want in [
        "routec.1",
        "routec-compile.1",
        "routec-check.1",
        "routec-verify.1",
        "routec-diff.1",
        "routec-parse.1",
        "routec-explain.1",
    ] {
        assert!(pages.iter().any(|p| p == want), "{want} not in {pages:?}");
    }
    for p in &pages {
        lint(&dir.join(p));
    }
    let compile = std::fs::read_to_string(dir.join("routec-compile.1")).expect("page");
    assert!(compile.contains("router\\-env"), "{compile}");
}
