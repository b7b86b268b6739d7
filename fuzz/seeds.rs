//! The seed corpus of each target, read from `fixtures/` and `../shared` (never copied into
//! the repository): the smoke test replays it, and `fuzz/seed.sh` writes it out for libFuzzer
//! (under `fuzz/corpus/<target>/`, ignored by Git).

use std::fs;
use std::path::{Path, PathBuf};

/// The repository root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Files under `dir` (recursively) whose name passes `keep`, in path order.
fn files(dir: &Path, keep: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            // Symlinked folders (fixtures/gitops holds a loop) are not followed.
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else if p.file_name().and_then(|n| n.to_str()).is_some_and(keep) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(paths: Vec<PathBuf>, max: usize) -> Vec<Vec<u8>> {
    paths.into_iter().filter_map(|p| fs::read(p).ok()).filter(|b| b.len() <= max).collect()
}

const MAX: usize = 256 * 1024;

fn objects() -> Vec<Vec<u8>> {
    let r = root();
    let mut all = Vec::new();
    for d in
        [r.join("fixtures/valid"), r.join("fixtures/invalid"), r.join("fixtures/ingress"), r.join("../shared/oracle")]
    {
        all.extend(files(&d, &|n| n.ends_with(".yaml") || n.ends_with(".json")));
    }
    all.retain(|p| !p.to_string_lossy().contains("/expected/"));
    read(all, MAX)
}

fn envs() -> Vec<Vec<u8>> {
    let r = root();
    let mut all = files(&r.join("fixtures"), &|n| n == "router.env");
    all.extend(files(&r.join("../shared/oracle"), &|n| n == "router.env"));
    read(all, MAX)
}

fn configs() -> Vec<Vec<u8>> {
    let r = root();
    let mut all = files(&r.join("../shared/corpus/haproxy"), &|_| true);
    all.extend(files(&r.join("../shared/oracle"), &|n| n == "haproxy.config"));
    all.extend(files(&r.join("fixtures/parse"), &|n| n == "haproxy.config"));
    all.extend(files(&r.join("fixtures/explain"), &|n| n == "haproxy.config"));
    let mut out = read(all, MAX);
    // Names HAProxy refuses twice, which `diff` must still pair with themselves (issue #18:
    // servers once paired with the first of their name).
    out.push(
        b"global\ndefaults\nbackend b\n  server s 10.0.0.1:80 weight 1\n  server s 10.0.0.2:80 weight 2\n  server t 10.0.0.3:80\n  server s 10.0.0.4:80 check\nbackend b\n  server s 10.0.0.5:80\nfrontend f\n  bind :80\n  acl a hdr(host) x\n  acl a hdr(host) y\n  use_backend b if a\n"
            .to_vec(),
    );
    out
}

fn map_files() -> Vec<Vec<u8>> {
    let r = root();
    let mut all = files(&r.join("../shared/corpus/maps"), &|_| true);
    all.extend(files(&r.join("../shared/corpus/crt-lists"), &|_| true));
    all.extend(files(&r.join("../shared/oracle"), &|n| n.ends_with(".map")));
    read(all, MAX)
}

fn templates() -> Vec<Vec<u8>> {
    let r = root();
    let mut all = files(&r.join("fixtures/templates"), &|n| n.ends_with(".tmpl"));
    all.extend(files(&r.join("fixtures/router-templates"), &|n| n.ends_with(".tmpl") || n.ends_with(".template")));
    read(all, MAX)
}

/// Hand-written JSON seeds for what the differential target must get right.
/// Patterns (router map keys, template patterns, HAProxy rewrites) and a haystack each.
const REGEX: &[(&str, &str)] = &[
    (r"^web\.example\.com\.?(:[0-9]+)?(/.*)?$", "web.example.com:8080/a/b"),
    (r"^[^\.]*\.wild\.test\.?(:[0-9]+)?/api(/.*)?$", "a.wild.test/api/x"),
    (r"\A(?:[1-9][0-9]*(us|ms|s|m|h|d)?)\z", "30s"),
    (r#"(?i)(?:(?:includeSubDomains|preload)\s*[;]\s*)*max-age\s*=\s*(?:\d+|"\d+")"#, "max-age=31536000;preload"),
    (r"^/api/(.*)", "/api/v1/users"),
    (r":[0-9]+$", "host:443"),
    (r"(a|ab)(c|bcd)(d*)", "abcd"),
    (r"(?m)^\w+\b\s*$", "abc  \nx"),
    (r"[[:alpha:]]{2,4}?\d*", "abcd1234"),
    (r"(x+x+)+y", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    (r"((a*)*|b)*c", "aaab"),
    (r"^(?:é|中)+.$", "é中é."),
];

const JSON: &[&str] = &[
    r#"{"a": 1, "a": 2}"#,
    r#"[0, -0, 1.5e3, -1E-2, 12345678901234567890, 1e308, 0.1]"#,
    r#"["\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t", "\u0000"]"#,
    r#"{"k": "\ud800"}"#,
    r#"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"#,
    r#"{"kind": "List", "items": [{"kind": "Route"}, {"kind": "Service"}]}"#,
    r#" {"t": true, "f": false, "n": null} "#,
    "[01]",
    "[1.]",
    "[.5]",
    "[1e]",
    "[1-2]",
    "[+1]",
    "[1.5e+]",
    "[-]",
    "[1E400]",
    "{\"a\":1}\u{a0}",
];

/// The seeds of `target`: its inputs that once failed (`fuzz/regressions/<target>/`), then the
/// corpus of its kind.
pub(crate) fn of(target: &str) -> Vec<Vec<u8>> {
    let mut out = read(files(&root().join("fuzz/regressions").join(target), &|_| true), MAX);
    out.extend(corpus(target));
    out
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    match target {
        "compile_one" | "compile_two" | "check_now" | "yaml_differential" | "yaml_fast" => objects(),
        "compile_settings" => {
            let (envs, objs) = (envs(), objects());
            envs.iter()
                .zip(objs.iter().cycle())
                .map(|(e, o)| {
                    let mut s = e.clone();
                    s.push(0xff);
                    s.extend_from_slice(o);
                    s
                })
                .collect()
        }
        "lex_print" | "model" | "diff_self" => configs(),
        "explain" => configs()
            .into_iter()
            .map(|c| {
                let mut s = b"https://r0.shop.example.com/p1?x=1\n".to_vec();
                s.extend(c);
                s
            })
            .collect(),
        "maps" => map_files(),
        "gotmpl" => templates(),
        "json_differential" => {
            let mut all: Vec<Vec<u8>> = JSON.iter().map(|s| s.as_bytes().to_vec()).collect();
            // Nesting at serde_json's limit and one past it.
            for depth in [128, 129] {
                all.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes());
            }
            all.extend(
                objects()
                    .into_iter()
                    .filter(|b| b.trim_ascii_start().first().is_some_and(|c| matches!(c, b'{' | b'['))),
            );
            all
        }
        "regex_differential" => REGEX
            .iter()
            .flat_map(|(p, h)| (0u8..4).map(move |mode| [&[mode][..], p.as_bytes(), &[0xFF], h.as_bytes()].concat()))
            .collect(),
        // The generator reads bytes as choices: a few fixed patterns to start from.
        "generated" => (0u8..16)
            .map(|i| (0..512).map(|j: u32| (j as u8).wrapping_mul(31).wrapping_add(i * 17)).collect())
            .collect(),
        _ => Vec::new(),
    }
}
