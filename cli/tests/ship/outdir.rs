//! `compile -o DIR`: files routec did not write survive, a foreign non-empty directory is
//! refused without `--force`, and a run killed while writing leaves every file old or new in
//! full (issue #15: "compile -o DIR silently deleted a file the user had put in DIR/conf/").

use std::fs;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{routec, stdout};
use crate::{stderr, tree};

fn compile_into(input: &[&str], dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let d = dir.display().to_string();
    let mut args = vec!["compile"];
    args.extend_from_slice(input);
    args.extend_from_slice(&["-o", &d]);
    args.extend_from_slice(extra);
    routec(&args)
}

#[test]
fn keeps_user_files_and_removes_only_its_own() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("out");
    // Two certificates' worth of routes first, then a smaller input: the stale .pem goes.
    let first = compile_into(&["fixtures/valid/ecdsa-and-shared-certs"], &dir, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let pems_before: Vec<String> =
        tree(&dir).into_iter().map(|(p, _)| p).filter(|p| p.starts_with("router/certs/")).collect();
    assert!(!pems_before.is_empty());
    fs::write(dir.join("conf/notes.txt"), "mine\n").expect("write");
    fs::write(dir.join("router/certs/mine.pem"), "mine\n").expect("write");
    fs::write(dir.join("keep.md"), "mine\n").expect("write");
    let second = compile_into(&["fixtures/valid/http-basic"], &dir, &[]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    for f in ["conf/notes.txt", "router/certs/mine.pem", "keep.md"] {
        assert_eq!(fs::read_to_string(dir.join(f)).ok().as_deref(), Some("mine\n"), "{f} was touched");
    }
    for p in &pems_before {
        assert!(!dir.join(p).exists(), "stale {p} left behind");
    }
    // The manifest names exactly what the last run wrote.
    let manifest = fs::read_to_string(dir.join(".routec-manifest")).expect("manifest");
    assert!(manifest.contains("conf/haproxy.config\n"));
    assert!(!manifest.contains("notes.txt") && !manifest.contains("mine.pem"));
    // `--check` does not call the user's files drift.
    let check = compile_into(&["fixtures/valid/http-basic"], &dir, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}

#[test]
fn refuses_foreign_directories_unless_forced() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("src");
    fs::create_dir_all(dir.join("conf")).expect("mkdir");
    fs::write(dir.join("main.rs"), "fn main() {}\n").expect("write");
    fs::write(dir.join("conf/app.toml"), "x = 1\n").expect("write");
    let refused = compile_into(&["fixtures/valid/http-basic"], &dir, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("does not look like router output"), "{}", stderr(&refused));
    assert!(!dir.join("conf/haproxy.config").exists(), "wrote despite refusing");
    let forced = compile_into(&["fixtures/valid/http-basic"], &dir, &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(dir.join("conf/haproxy.config").is_file());
    assert!(dir.join("main.rs").is_file() && dir.join("conf/app.toml").is_file());
    // Output from before manifests (a router layout, no manifest) is accepted; only the
    // layout's own names are replaced.
    let legacy = tmp.path().join("legacy");
    fs::create_dir_all(legacy.join("conf")).expect("mkdir");
    fs::write(legacy.join("conf/haproxy.config"), "global\n").expect("write");
    fs::write(legacy.join("conf/os_tcp_be.map"), "stale\n").expect("write");
    fs::write(legacy.join("conf/notes.txt"), "mine\n").expect("write");
    let o = compile_into(&["fixtures/valid/http-basic"], &legacy, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(legacy.join("conf/notes.txt").is_file());
    assert_ne!(fs::read_to_string(legacy.join("conf/haproxy.config")).ok().as_deref(), Some("global\n"));
}

/// A large input (many routes with their endpoints), so that writing the output takes long
/// enough to be interrupted. `tag` changes every backend's address so two inputs differ in
/// every map and in haproxy.config.
fn big_input(path: &std::path::Path, routes: usize, tag: u8) {
    let mut s = String::new();
    for i in 0..routes {
        s.push_str(&format!(
            "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {{name: r{i}, namespace: ns{}, creationTimestamp: \"2026-01-01T00:00:00Z\"}}\n\
             spec: {{host: r{i}.t{tag}.example.test, to: {{kind: Service, name: s{i}}}}}\n---\n\
             apiVersion: v1\nkind: Endpoints\nmetadata: {{name: s{i}, namespace: ns{}}}\n\
             subsets: [{{addresses: [{{ip: 10.{tag}.{}.{}}}], ports: [{{port: 8080}}]}}]\n---\n",
            i % 50,
            i % 50,
            (i / 250) % 250,
            i % 250 + 1
        ));
    }
    fs::write(path, s).expect("write input");
}

#[test]
#[expect(clippy::print_stderr, reason = "the test reports its figures")]
fn a_kill_mid_write_leaves_every_file_old_or_new() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (old_in, new_in) = (tmp.path().join("old.yaml"), tmp.path().join("new.yaml"));
    big_input(&old_in, 6000, 1);
    big_input(&new_in, 6000, 2);
    let (old_dir, new_dir) = (tmp.path().join("old"), tmp.path().join("new"));
    for (input, dir) in [(&old_in, &old_dir), (&new_in, &new_dir)] {
        let o = compile_into(&[&input.display().to_string()], dir, &["-q"]);
        assert!(dir.join("conf/haproxy.config").is_file(), "{}", stderr(&o));
    }
    let old = tree(&old_dir);
    let new = tree(&new_dir);
    assert_ne!(old, new);
    let mut interrupted = 0;
    let mut trials = 0;
    // Each trial copies the old output, starts a compile of the new input over it, waits for
    // `-v` to announce that the compile phase is done (writing starts right after), sleeps
    // 0 to 6 ms (writing takes a few ms), and SIGKILLs the process. Trials go on until three
    // kills landed inside the write phase (a temporary file left, or some files new and some
    // old), so the invariant below is known to have been tested where it matters.
    for trial in 0..40u64 {
        if interrupted >= 3 {
            break;
        }
        trials += 1;
        let dir = tmp.path().join(format!("t{trial}"));
        for (rel, bytes) in &old {
            let p = dir.join(rel);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(p, bytes).expect("copy");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_routec"))
            .args(["compile", &new_in.display().to_string(), "-v", "-o", &dir.display().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        for l in lines.by_ref() {
            if l.expect("line").starts_with("routec: compile:") {
                break;
            }
        }
        std::thread::sleep(Duration::from_micros((trial % 16) * 400));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let after = tree(&dir);
        let mut saw_old = false;
        let mut saw_new = false;
        let mut saw_tmp = false;
        for (rel, bytes) in &after {
            if rel.ends_with(".routec-tmp") {
                saw_tmp = true;
                continue;
            }
            if rel == ".routec-manifest" {
                continue;
            }
            let o = old.iter().find(|(p, _)| p == rel).map(|(_, b)| b);
            let n = new.iter().find(|(p, _)| p == rel).map(|(_, b)| b);
            let is_old = o == Some(bytes);
            let is_new = n == Some(bytes);
            assert!(
                is_old || is_new,
                "trial {trial}: {rel} is neither the old nor the new file ({} bytes)",
                bytes.len()
            );
            saw_old |= is_old && !is_new;
            saw_new |= is_new && !is_old;
        }
        if status.code().is_none() && (saw_tmp || (saw_old && saw_new)) {
            interrupted += 1;
        }
        // The next run over the interrupted directory completes it.
        let o = compile_into(&[&new_in.display().to_string()], &dir, &["-q"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let done: Vec<_> = tree(&dir).into_iter().filter(|(p, _)| p != ".routec-manifest").collect();
        let want: Vec<_> = new.iter().filter(|(p, _)| p != ".routec-manifest").cloned().collect();
        assert_eq!(done, want, "trial {trial}: a rerun did not complete the output");
    }
    eprintln!(
        "atomic writes: {interrupted} of {trials} kills landed inside the write phase; every file was old or new"
    );
    assert!(interrupted > 0, "no kill landed while files were being written: the test proved nothing");
}
