//! No private-key line reaches any output (issue #15: "`compile --check` printed the changed
//! private-key lines of a `.pem` into the CI log"). Every fixture with a key goes through every
//! command and format, plus the places that quote files routec did not compile: a changed
//! `.pem` under `compile --check`, and key files handed to `parse`, `diff` and `verify` as
//! configs. The test fails if any body line of any key in the fixtures shows up.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{root, routec};
use crate::{stderr, tree};

/// The body lines of every private-key block in `text` (real line breaks or `\n` escapes).
fn key_lines(text: &str) -> Vec<String> {
    let text = text.replace("\\n", "\n");
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let t = line.trim().trim_matches('"');
        if t.starts_with("-----BEGIN") && t.ends_with("PRIVATE KEY-----") {
            inside = true;
        } else if t.starts_with("-----END") {
            inside = false;
        } else if inside && t.len() >= 12 && !t.contains(':') {
            out.push(t.to_owned());
        }
    }
    out
}

fn files_with_keys(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        // fixtures/gitops holds a symlink loop on purpose; a symlinked folder is not entered.
        if e.file_type().is_ok_and(|t| t.is_symlink()) {
            continue;
        }
        if p.is_dir() {
            files_with_keys(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "key" || x == "pem")
            && fs::read_to_string(&p).is_ok_and(|t| t.contains("PRIVATE KEY-----"))
        {
            out.push(p);
        }
    }
}

struct Leak {
    secrets: Vec<String>,
    runs: usize,
}

impl Leak {
    fn check(&mut self, args: &[&str]) {
        let o = routec(args);
        self.runs += 1;
        let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        for s in &self.secrets {
            assert!(!text.contains(s.as_str()), "routec {}: printed the key line {s}\n{text}", args.join(" "));
        }
    }
}

#[test]
#[expect(clippy::print_stderr, reason = "the test reports its figures")]
fn no_key_line_in_any_output() {
    let mut files = Vec::new();
    files_with_keys(&root().join("fixtures"), &mut files);
    files.sort();
    let mut secrets: Vec<String> =
        files.iter().flat_map(|f| key_lines(&fs::read_to_string(f).unwrap_or_default())).collect();
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() > 50, "expected the fixtures' keys, found {} lines", secrets.len());
    let cases: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "objects.yaml"))
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    assert!(cases.len() >= 10);
    let now = ["--now", "2027-01-01T00:00:00Z"];
    let tmp = tempfile::tempdir().expect("tempdir");
    // The cases are independent: two threads halve the wall time of ~470 runs.
    let per_thread = cases.len().div_ceil(2);
    let runs: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(per_thread.max(1))
            .enumerate()
            .map(|(chunk, part)| {
                let (secrets, files, tmp) = (secrets.clone(), &files, &tmp);
                scope.spawn(move || {
                    let mut leak = Leak { secrets, runs: 0 };
                    for (j, case) in part.iter().enumerate() {
                        let i = chunk * per_thread + j;
                        let rel = case.strip_prefix(root()).unwrap_or(case).display().to_string();
                        let env = case.join("router.env");
                        let mut base =
                            vec![rel.clone(), "--default-certificate".into(), "fixtures/default-cert".into()];
                        if env.is_file() {
                            base.extend(["--router-env".into(), format!("{rel}/router.env")]);
                        }
                        let base: Vec<&str> = base.iter().map(String::as_str).collect();
                        for format in ["text", "json", "sarif", "github", "junit"] {
                            let mut a = vec!["check"];
                            a.extend(&base);
                            a.extend(now);
                            a.extend(["--format", format]);
                            leak.check(&a);
                        }
                        // compile: diagnostics on stderr, then `--check` against a directory whose key files
                        // hold another case's keys.
                        let dir = tmp.path().join(format!("c{i}"));
                        let d = dir.display().to_string();
                        let mut a = vec!["compile"];
                        a.extend(&base);
                        a.extend(["-o", &d]);
                        leak.check(&a);
                        let pems: Vec<String> =
                            tree(&dir).into_iter().map(|(p, _)| p).filter(|p| p.ends_with(".pem")).collect();
                        let other = &files[(i + 3) % files.len()];
                        for p in &pems {
                            fs::write(dir.join(p), fs::read(other).unwrap_or_default()).expect("tamper");
                        }
                        let mut a = vec!["compile"];
                        a.extend(&base);
                        a.extend(["-o", &d, "--check"]);
                        let o = routec(&a);
                        if !pems.is_empty() {
                            assert!(
                                String::from_utf8_lossy(&o.stdout).contains("private key changed (redacted)"),
                                "{}",
                                String::from_utf8_lossy(&o.stdout)
                            );
                        }
                        leak.check(&a);
                        for format in ["text", "json"] {
                            let mut a = vec!["verify"];
                            a.extend(&base);
                            a.extend(["--against", &d, "--format", format]);
                            leak.check(&a);
                            leak.check(&["diff", &d, "fixtures/example", "--format", format]);
                            leak.check(&["parse", &d, "--format", format]);
                            let mut a = vec!["explain", "--routes"];
                            a.extend(&base);
                            a.extend(["--format", format]);
                            leak.check(&a);
                            let mut a = vec!["explain", "https://secure.example.test/"];
                            a.extend(&base);
                            a.extend(["--format", format]);
                            leak.check(&a);
                            // Key files read as configs: every line is a syntax error with a snippet.
                            for p in pems.iter().take(1) {
                                let pem = dir.join(p).display().to_string();
                                leak.check(&["parse", &pem, "--format", format]);
                                leak.check(&["diff", &pem, &d, "--format", format]);
                                leak.check(&["explain", "--routes", "--config", &pem, "--format", format]);
                            }
                        }
                    }
                    leak.runs
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("a redaction worker panicked")).sum()
    });
    let mut leak = Leak { secrets, runs };
    // The key files themselves, as configs and as inputs.
    for f in &files {
        let f = f.display().to_string();
        leak.check(&["parse", &f]);
        leak.check(&["check", &f, "--format", "json"]);
        leak.check(&["check", &f]);
    }
    eprintln!("redaction: {} runs, {} key lines, none printed", leak.runs, leak.secrets.len());
}
