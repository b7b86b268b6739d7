//! The data-driven CLI runner. Each `fixtures/cli/<case>/` holds a `cmd` file: routec's
//! arguments, one per line, relative to the case folder (`#` lines are comments; a `---` line
//! starts another command; `$TMP` is a temporary folder, fresh for each case and shared by its
//! commands, so one can compile into it and the next verify against it), an optional `stdin` file piped
//! into every command (else stdin is empty), its inputs, a README.md saying what it shows, and
//! `cli.snap`: for each command, the exit code, stdout and stderr. Commands run in the case
//! folder without colour and with `CI` set, so paths in the output are the relative ones given.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::root;

/// Runs one command in `case`; `tmp` replaces `$TMP`.
fn run(case: &Path, args: &[String], tmp: &Path) -> String {
    let stdin = fs::read(case.join("stdin")).unwrap_or_default();
    let mut child = Command::new(env!("CARGO_BIN_EXE_routec"))
        .current_dir(case)
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .args(args.iter().map(|a| a.replace("$TMP", &tmp.display().to_string())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("routec runs");
    if let Some(mut pipe) = child.stdin.take() {
        use std::io::Write as _;
        pipe.write_all(&stdin).expect("stdin written");
    }
    let out = child.wait_with_output().expect("routec ends");
    // Output names inputs as the command gave them; only a temporary or absolute path needs
    // making relative.
    // The compile summary's duration is the one varying figure.
    let clean = |b: &[u8]| {
        let text = String::from_utf8_lossy(b)
            .replace(&tmp.display().to_string(), "$TMP")
            .replace(&case.display().to_string(), "<case>")
            .replace(&fs::canonicalize(root()).unwrap_or_else(|_| root()).display().to_string(), "<root>");
        text.lines()
            .map(|l| match (l.starts_with("compiled "), l.rsplit_once(" in ")) {
                (true, Some((head, tail))) if tail.ends_with(" ms") => format!("{head} in <N> ms\n"),
                _ => format!("{l}\n"),
            })
            .collect::<String>()
    };
    let mut doc = String::new();
    let _ = writeln!(doc, "$ routec {}", args.join(" "));
    let _ = writeln!(doc, "exit: {}", out.status.code().map_or("signal".to_owned(), |c| c.to_string()));
    let _ = writeln!(doc, "--- stdout\n{}", clean(&out.stdout));
    let _ = writeln!(doc, "--- stderr\n{}", clean(&out.stderr));
    doc
}

/// The commands of a `cmd` file.
fn commands(text: &str) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    for line in text.lines().map(str::trim) {
        if line == "---" {
            out.push(Vec::new());
        } else if !line.is_empty() && !line.starts_with('#') {
            out.last_mut().expect("one command at least").push(line.to_owned());
        }
    }
    out.retain(|c| !c.is_empty());
    out
}

#[test]
fn every_cli_case() {
    let dir = root().join("fixtures/cli");
    let mut cases: Vec<_> = fs::read_dir(&dir).expect("fixtures/cli").flatten().map(|e| e.path()).collect();
    cases.retain(|p| p.join("cmd").is_file());
    cases.sort();
    assert!(cases.len() >= 9, "only {} cases in fixtures/cli", cases.len());
    for case in cases {
        let case = fs::canonicalize(&case).expect("case folder");
        let cmds = commands(&fs::read_to_string(case.join("cmd")).expect("cmd"));
        assert!(!cmds.is_empty(), "{}: empty cmd", case.display());
        let mut doc = String::new();
        let tmp = tempfile::tempdir().expect("tempdir");
        for args in &cmds {
            doc.push_str(&run(&case, args, tmp.path()));
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&case);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(case.join("cmd"));
        settings.bind(|| insta::assert_snapshot!("cli", doc));
    }
}
