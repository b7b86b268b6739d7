//! The YAML fast path against the full reader (yaml-rust2): wherever the fast path reads a file,
//! it must give the same documents, values, quoting and spans; wherever the full reader refuses
//! a file, the fast path must leave it alone. Run over every YAML file in `fixtures/` and
//! `../shared`, the bench generator's shapes, and deterministic mutations of all of them.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::rng::Rng;
use routec_core::yaml::{parse_fast, parse_full};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        // fixtures/cli/walk-symlink-loop links back to itself.
        if e.file_type().is_ok_and(|t| t.is_symlink()) {
            continue;
        }
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
}

fn corpus() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    yaml_files(&common::root().join("fixtures"), &mut paths);
    yaml_files(&common::shared(), &mut paths);
    paths.sort();
    let mut out: Vec<(String, String)> =
        paths.into_iter().filter_map(|p| Some((p.display().to_string(), fs::read_to_string(&p).ok()?))).collect();
    // What `oc get -o yaml` and the bench generator write: an indentless list of objects.
    out.push(("bench-shaped".into(), bench_shaped()));
    out
}

fn bench_shaped() -> String {
    let mut s = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..3 {
        s.push_str(&format!(
            "- apiVersion: route.openshift.io/v1\n  kind: Route\n  metadata:\n    name: app{i}\n    namespace: ns{i}\n    \
             annotations:\n      haproxy.router.openshift.io/timeout: 5s\n      note: 'quoted # not a comment'\n    \
             labels: {{}}\n  spec:\n    host: app{i}.apps.example.com  # a comment\n    to:\n      kind: Service\n      \
             name: app{i}\n      weight: 100\n    tls:\n      termination: edge\n      certificate: |\n        \
             -----BEGIN CERTIFICATE-----\n        MIIB\n\n        -----END CERTIFICATE-----\n      key: |-\n        k\n    \
             alternateBackends: []\n"
        ));
    }
    s
}

/// Compares the two readers on one text; returns whether the fast path read it.
fn agree(name: &str, text: &str) -> bool {
    let Some(fast) = parse_fast(0, text) else { return false };
    match parse_full(0, text) {
        Ok(full) => {
            let (f, s) = (format!("{fast:#?}"), format!("{full:#?}"));
            if f != s {
                let _ = fs::write(common::root().join("target/yaml-fast-mismatch.yaml"), text);
                let at = f.lines().zip(s.lines()).position(|(a, b)| a != b).unwrap_or(0);
                let show = |t: &str| t.lines().skip(at.saturating_sub(6)).take(12).collect::<Vec<_>>().join("\n");
                panic!(
                    "{name}: the fast path reads it differently\n--- fast\n{}\n--- full\n{}\n--- text\n{text}",
                    show(&f),
                    show(&s)
                );
            }
        }
        Err(e) => panic!("{name}: the fast path reads what the full reader refuses ({})\n{text}", e.message),
    }
    true
}

#[test]
#[expect(clippy::print_stdout, reason = "the count is the test's report")]
fn the_fast_path_reads_the_fixtures_as_the_full_reader_does() {
    let corpus = corpus();
    let fast = corpus.iter().filter(|(name, text)| agree(name, text)).count();
    println!("yaml fast path: {fast} of {} files", corpus.len());
    // Most fixtures are block YAML; if the fast path gave up on them all, this test would
    // prove nothing.
    assert!(fast * 2 > corpus.len(), "the fast path read only {fast} of {} files", corpus.len());
    assert!(agree("bench-shaped", &bench_shaped()), "the fast path gave up on the bench shape");
}

/// Edits that move a file to the edge of the subset: indentation, comments, quotes, markers,
/// empty values, block scalars, and stray indicator bytes.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        return text.to_owned();
    }
    for _ in 0..1 + rng.below(3) {
        let i = rng.below(lines.len());
        const PIECES: &[&str] = &[
            " ", "  ", "- ", "-", ": ", ":", "#", " #", "'", "\"", "|", "|-", "|+", "{}", "[]", "{", "---", "...", "~",
            "null", "&a ", "*a", "!t ", "? ", "\\", "''", "a: b", "é", "x",
        ];
        match rng.below(9) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => lines[i].insert(0, ' '),
            3 => {
                let l = lines[i].strip_prefix("  ").map(str::to_owned);
                if let Some(l) = l {
                    lines[i] = l;
                }
            }
            4 => lines.insert(i, String::new()),
            5 | 6 => {
                let piece = PIECES[rng.below(PIECES.len())];
                let at = rng.below(lines[i].len() + 1);
                if lines[i].is_char_boundary(at) {
                    lines[i].insert_str(at, piece);
                }
            }
            7 => {
                let piece = PIECES[rng.below(PIECES.len())];
                lines[i].push_str(piece);
            }
            _ => {
                let at = rng.below(lines[i].len() + 1);
                if lines[i].is_char_boundary(at) {
                    lines[i].truncate(at);
                }
            }
        }
    }
    let mut out = lines.join("\n");
    if rng.below(4) != 0 {
        out.push('\n');
    }
    out
}

#[test]
#[expect(clippy::print_stdout, reason = "the count is the test's report")]
fn mutated_files_are_read_alike_or_left_to_the_full_reader() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut tried, mut fast) = (0usize, 0usize);
    for (name, text) in corpus() {
        // Big files cost time, not coverage.
        if text.len() > 20_000 {
            continue;
        }
        for k in 0..60 {
            let m = mutate(&text, &mut rng);
            tried += 1;
            if agree(&format!("{name} (mutation {k})"), &m) {
                fast += 1;
            }
        }
    }
    println!("yaml fast path: {fast} of {tried} mutants read by it, all as the full reader reads them");
    assert!(fast * 5 > tried, "the fast path read only {fast} of {tried} mutants");
}
