//! routec's config lexer and conditional-block evaluation against the real `haproxy -c`
//! (HAProxy 2.6): directed cases for each rule (issue #13 items 5–8 among them), and a seeded
//! differential fuzz test of single-token mutations of fixture outputs and corpus configs.
//! routec must flag exactly the configs HAProxy refuses at the lexer level.
//!
//! "Lexer level" is what HAProxy reports while reading lines, before any keyword parser sees
//! them: quoting, escapes, environment references, word count, NUL, the final LF, and the
//! `.if`/`.elif`/`.else`/`.endif`/`.diag`/`.notice`/`.warning`/`.alert` directives. Keyword and
//! section errors are out of scope: a mutant HAProxy refuses for those alone counts as
//! accepted at the lexer level. HAProxy runs only on our own fixture outputs and the corpus,
//! with an empty environment (as routec's default `Env`), in batches: one process reads many
//! mutants, each followed by a sentinel file whose `.notice` proves parsing got past it.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use routec_core::hap::cook::Env;
use routec_core::hap::eval::evaluate;

use common::rng::Rng;

/// HAProxy's messages for problems found while reading lines (cfgparse.c, tools.c, cfgcond.c).
const HAPROXY_LEXER_MESSAGES: &[&str] = &[
    "unmatched quote",
    "unmatched brace in environment variable name",
    "forbidden first char in environment variable name",
    "truncated or invalid hexadecimal sequence",
    "truncated or invalid word expansion sequence",
    "too many words, truncating",
    "Stray NUL character",
    "Missing LF on last line",
    "after '.else' is not permitted",
    "with no matching '.if'",
    "non-terminated '.if' block",
    "too many nested '.if'",
    "Unexpected argument",
    "unknown directive",
    "conditional expression",
];

/// routec's evaluation codes that are not about reading lines: sections and keywords.
const NOT_LEXER: &[&str] = &["routec::hap::out-of-section", "routec::hap::missing-name"];

/// routec's lexer-level findings on `text`, as their codes.
fn routec_flags(text: &[u8]) -> Vec<&'static str> {
    routec_findings(text).0
}

/// routec's lexer-level findings on `text` and the 1-based line of the first.
fn routec_findings(text: &[u8]) -> (Vec<&'static str>, Option<usize>) {
    let (ev, lex_errors) = evaluate(text, Env::default());
    let mut found: Vec<(&'static str, usize)> = lex_errors.iter().map(|e| (e.code, e.span.start)).collect();
    found.extend(ev.errors.iter().filter(|e| e.fatal && !NOT_LEXER.contains(&e.code)).map(|e| (e.code, e.span.start)));
    let first = found.iter().map(|(_, at)| *at).min();
    let line = first.map(|at| 1 + text.iter().take(at).filter(|b| **b == b'\n').count());
    (found.into_iter().map(|(c, _)| c).collect(), line)
}

/// The line of an alert about `file`.
fn alert_line(line: &str, file: &str) -> Option<usize> {
    let at = line.find(&format!("[{file}:"))? + file.len() + 2;
    line.get(at..)?.split(']').next()?.parse().ok()
}

/// Whether one of HAProxy's output lines is a lexer-level refusal of `file`.
fn is_lexer_alert(line: &str, file: &str) -> bool {
    let Some(at) = line.find(&format!("parsing [{file}:")) else { return false };
    if !line.contains("[ALERT]") {
        return false;
    }
    let rest = &line[at..];
    // An `.alert` directive prints its message in quotes: `parsing [f:1]: 'text'.`
    let directive =
        rest.split_once("]: '").and_then(|(_, m)| m.strip_suffix("'.")).is_some_and(|inner| !inner.contains('\''));
    directive || HAPROXY_LEXER_MESSAGES.iter().any(|m| rest.contains(m))
}

/// Runs one `haproxy -c` over `files` (each followed by a sentinel) in `cwd`; returns, per
/// file, whether HAProxy refused it at the lexer level and whether parsing got past it (when
/// not, the files after it must run again in another batch).
fn haproxy_batch(bin: &Path, cwd: &Path, files: &[PathBuf], scratch: &Path) -> Vec<(bool, bool, Option<usize>)> {
    let mut cmd = Command::new(bin);
    cmd.env_clear().current_dir(cwd).arg("-c");
    for (k, f) in files.iter().enumerate() {
        let s = scratch.join(format!("sentinel-{k}.cfg"));
        fs::write(&s, format!(".notice \"sentinel {k}\"\n")).expect("sentinel");
        cmd.arg("-f").arg(f).arg("-f").arg(s);
    }
    let out = cmd.output().expect("haproxy runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    files
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let name = f.display().to_string();
            let reached = text.contains(&format!("'sentinel {k}'."));
            let last_alert = text.lines().filter(|l| l.contains("[ALERT]")).filter_map(|l| alert_line(l, &name)).max();
            (text.lines().any(|l| is_lexer_alert(l, &name)), reached, last_alert)
        })
        .collect()
}

/// Whether HAProxy refuses each of `files` at the lexer level, in as few processes as its
/// aborts allow. When parsing stops in a file, the files before it are done and it runs again
/// first in the next batch, so that an earlier file cannot have caused the stop; a file that
/// stops parsing on its own has all the alerts HAProxy gives for it; for such a file, the line
/// of its last alert (where HAProxy gave up) comes with the verdict.
fn haproxy_verdicts(bin: &Path, cwd: &Path, files: &[PathBuf], scratch: &Path) -> Vec<(bool, Option<usize>)> {
    let mut out = Vec::with_capacity(files.len());
    let mut rest = files;
    while !rest.is_empty() {
        let res = haproxy_batch(bin, cwd, rest, scratch);
        let done = match res.iter().position(|r| !r.1) {
            None => res.len(),
            Some(0) => 1,
            Some(p) => p,
        };
        out.extend(res.iter().take(done).map(|r| (r.0, if r.1 { None } else { r.2 })));
        rest = &rest[done..];
    }
    out
}

/// A directed case: a config and the routec code it must produce (`None`: none); HAProxy must
/// refuse it at the lexer level exactly when a code is expected.
const CASES: &[(&str, &str, Option<&str>)] = &[
    // Item 5: `.else` after `.else`, live or dead.
    ("else after else", ".if 0\n.else\n.else\n.endif\nglobal\n", Some("routec::hap::else-after-else")),
    (
        "else after else in a dead block",
        ".if 0\n.if 1\n.else\n.else\n.endif\n.endif\nglobal\n",
        Some("routec::hap::else-after-else"),
    ),
    ("elif after else", ".if 0\n.else\n.elif 1\n.endif\nglobal\n", Some("routec::hap::elif-after-else")),
    ("one else", ".if 0\n.else\n.endif\nglobal\n", None),
    // Item 7: predicate arity.
    ("streq with one argument", ".if streq(a)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("streq with three arguments", ".if streq(a,b,c)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("defined with two arguments", ".if defined(A,B)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("strneq with one argument", ".if strneq(a)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("feature with two arguments", ".if feature(A,B)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("version_atleast with two", ".if version_atleast(2.4,1)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("version_before with two", ".if version_before(3,1)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    (
        "ssllib_name_startswith with two",
        ".if ssllib_name_startswith(a,b)\n.endif\nglobal\n",
        Some("routec::hap::bad-condition"),
    ),
    ("strstr is not in 2.6", ".if strstr(a,b)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("enabled is not in 2.6", ".if enabled(POLL)\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("streq with two", ".if streq(a,b)\n.endif\nglobal\n", None),
    ("streq with empty arguments", ".if streq(,)\n.endif\nglobal\n", None),
    ("defined with nothing", ".if defined()\n.endif\nglobal\n", None),
    ("streq with nothing", ".if streq()\n.endif\nglobal\n", Some("routec::hap::bad-condition")),
    ("defined with spaces", ".if defined( A )\n.endif\nglobal\n", None),
    ("version_atleast", ".if version_atleast(2.4)\n.endif\nglobal\n", None),
    // Item 8: messages without argument.
    ("notice alone", ".notice\nglobal\n", None),
    ("warning alone", ".warning\nglobal\n", None),
    ("diag alone", ".diag\nglobal\n", None),
    ("alert alone", ".alert\nglobal\n", Some("routec::hap::alert")),
    ("notice with two words", ".notice a b\nglobal\n", Some("routec::hap::message-arguments")),
    ("notice with an empty second word", ".notice a \"\" b\nglobal\n", None),
    ("else with an empty argument", ".if 1\n.else \"\"\n.endif\nglobal\n", None),
    (
        "endif with an argument in a dead block",
        ".if 0\n.if 1\n.endif x\n.endif\nglobal\n",
        Some("routec::hap::unexpected-argument"),
    ),
    // Environment references.
    ("pseudo-variable", "global\n  maxconn \"${.LINE}\"\n", None),
    ("unknown pseudo-variable", "global\n  maxconn \"${.NOPE}\"\n", Some("routec::hap::bad-env-name")),
    ("bad word expansion", "global\n  maxconn \"${A[x]}\"\n", Some("routec::hap::bad-expansion")),
    ("shell default", "global\n  maxconn \"${A:-1}\"\n", Some("routec::hap::unmatched-brace")),
    ("default", "global\n  maxconn \"${A-1}\"\n", None),
    // HAProxy reads the first line twice, and its first reading cut the default at `}`.
    ("default on the first line", "\"${A-global}\"\n", Some("routec::hap::unmatched-brace")),
];

#[test]
fn directed_cases_agree_with_haproxy() {
    let bin = common::haproxy::binary();
    let tmp = tempfile::tempdir().expect("tmp");
    let mut failures = Vec::new();
    let mut files = Vec::new();
    for (k, (name, text, expect)) in CASES.iter().enumerate() {
        let flags = routec_flags(text.as_bytes());
        let ok = match expect {
            Some(code) => flags.contains(code),
            None => flags.is_empty(),
        };
        if !ok {
            failures.push(format!("{name}: routec reports {flags:?}, expected {expect:?}"));
        }
        let f = tmp.path().join(format!("case-{k}.cfg"));
        fs::write(&f, text).expect("write");
        files.push(f);
    }
    // Item 6: 99 nested blocks load, 100 do not.
    for (depth, refused) in [(99, false), (100, true)] {
        let text = format!("{}{}global\n", ".if 1\n".repeat(depth), ".endif\n".repeat(depth));
        let flagged = routec_flags(text.as_bytes()).contains(&"routec::hap::too-deep");
        if flagged != refused {
            failures.push(format!("{depth} nested .if: routec too-deep = {flagged}"));
        }
    }
    if let Some(bin) = bin {
        // HAProxy gives up after too many nested blocks, so they run on their own.
        for depth in [99, 100] {
            let f = tmp.path().join(format!("nested-{depth}.cfg"));
            fs::write(&f, format!("{}{}global\n", ".if 1\n".repeat(depth), ".endif\n".repeat(depth))).expect("w");
            let got = haproxy_verdicts(&bin, tmp.path(), std::slice::from_ref(&f), tmp.path());
            if got.first().map(|g| g.0) != Some(depth == 100) {
                failures.push(format!("{depth} nested .if: haproxy says {got:?}"));
            }
        }
        let got = haproxy_verdicts(&bin, tmp.path(), &files, tmp.path());
        for ((name, _, expect), (h, _)) in CASES.iter().zip(got) {
            if h != expect.is_some() {
                failures.push(format!("{name}: haproxy lexer-level refusal = {h:?}, expected {}", expect.is_some()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Tokens inserted into or substituted into a line.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "\\",
    "\\x",
    "\\x4",
    "\\xg1",
    "\\x41",
    "$",
    "\"$\"",
    "\"${\"",
    "\"${X\"",
    "\"${X}\"",
    "\"${X[*]}\"",
    "\"${X[}\"",
    "\"${.LINE}\"",
    "\"${.BAD}\"",
    "\"$1\"",
    "\"${X-d}\"",
    "\"${X:-d}\"",
    "\"\\$\"",
    "#",
    "\\#",
    "\\ ",
    " ",
    "\t",
    "\r",
    "\0",
    "{",
    "}",
    "\"\"",
    "''",
    "\"a b\"",
    "'$X'",
    "\"\\\"\"",
];

/// Whole lines inserted before a line.
const LINES: &[&str] = &[
    ".if 0",
    ".if 1",
    ".else",
    ".elif 1",
    ".endif",
    ".endif x",
    ".else x",
    ".if streq(a)",
    ".if streq(a,b,c)",
    ".if defined(A,B)",
    ".if defined(A)",
    ".if strstr(a,b)",
    ".if 1 2",
    ".if (1",
    ".if !defined(A) && 1",
    ".notice",
    ".warning",
    ".diag",
    ".notice a b",
    ".notice \"a b\"",
    ".alert",
    ".alert x",
    ".bogus",
    ".if version_atleast(2.4)",
    ".if version_before(2.4)",
    ".if streq(\"$X\",)",
    ".if 0x",
    ".if -1",
];

/// One seeded single-token mutation of `text`.
fn mutate(text: &[u8], rng: &mut Rng) -> Vec<u8> {
    let starts: Vec<usize> =
        std::iter::once(0).chain(text.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1)).collect();
    let starts: Vec<usize> = starts.into_iter().filter(|s| *s < text.len()).collect();
    let line_start = starts.get(rng.below(starts.len())).copied().unwrap_or(0);
    let line_end = text[line_start..].iter().position(|b| *b == b'\n').map_or(text.len(), |k| line_start + k);
    let at = line_start + rng.below(line_end - line_start + 1);
    let mut out = Vec::with_capacity(text.len() + 160);
    match rng.below(20) {
        0..=7 => {
            out.extend_from_slice(&text[..at]);
            out.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes());
            out.extend_from_slice(&text[at..]);
        }
        8..=11 if at < line_end => {
            out.extend_from_slice(&text[..at]);
            out.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes());
            out.extend_from_slice(&text[at + 1..]);
        }
        12..=13 if at < line_end => {
            out.extend_from_slice(&text[..at]);
            out.extend_from_slice(&text[at + 1..]);
        }
        14..=17 => {
            out.extend_from_slice(&text[..line_start]);
            out.extend_from_slice(LINES[rng.below(LINES.len())].as_bytes());
            out.push(b'\n');
            out.extend_from_slice(&text[line_start..]);
        }
        18 => {
            // Enough words to pass HAProxy's 64 on the line.
            out.extend_from_slice(&text[..line_end]);
            out.extend_from_slice(" w".repeat(62 + rng.below(4)).as_bytes());
            out.extend_from_slice(&text[line_end..]);
        }
        _ => {
            out.extend_from_slice(text.strip_suffix(b"\n").unwrap_or(text));
        }
    }
    out
}

/// Corpus configs that would make HAProxy resolve names, run Lua, or carry environment
/// changes from one file of a batch into the next, are not used.
fn usable_corpus(text: &str) -> bool {
    let addr_ok = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '[' | ':' | '*' | '/' | '$' | '"')) || w.contains('@')
    };
    text.lines().all(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        match w.as_slice() {
            ["server" | "peer" | "nameserver" | "mailer", _, a, ..] => addr_ok(a),
            ["bind" | "dispatch" | "source", a, ..] => addr_ok(a),
            ["log", a, ..] => addr_ok(a) || matches!(*a, "global" | "stdout" | "stderr"),
            [k, ..] => !matches!(
                *k,
                "lua-load"
                    | "lua-load-per-thread"
                    | "setenv"
                    | "presetenv"
                    | "unsetenv"
                    | "resetenv"
                    | "server-template"
            ),
            [] => true,
        }
    })
}

/// The base with its `resolvers` sections renamed for copy `k`: HAProxy 2.6 gives up on a
/// second section of the same name ("out of memory"), and a batch holds many copies.
fn own_resolvers(text: &[u8], k: usize) -> Vec<u8> {
    let mut t = String::from_utf8_lossy(text).into_owned();
    let names: Vec<String> = t
        .lines()
        .filter_map(|l| l.strip_prefix("resolvers "))
        .filter_map(|r| r.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    for n in names {
        t = t.replace(&n, &format!("{n}_{k}"));
    }
    t.into_bytes()
}

struct Base {
    name: String,
    cwd: PathBuf,
    text: Vec<u8>,
}

fn bases(bin: &Path, scratch: &Path) -> Vec<Base> {
    let mut out = Vec::new();
    let mut cases: Vec<PathBuf> =
        fs::read_dir(common::root().join("fixtures/valid")).expect("fixtures").flatten().map(|e| e.path()).collect();
    cases.sort();
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("case").to_owned();
        let dir = scratch.join(format!("fixture-{name}"));
        let cfg = common::write_compiled_26(&case, &dir).expect("compiled fixture");
        out.push(Base { name: format!("fixture {name}"), cwd: dir, text: fs::read(cfg).expect("config") });
    }
    let mut corpus = Vec::new();
    for sub in ["haproxy-upstream", "haproxy-vscode", "harisekhon"] {
        let dir = common::shared().join("corpus/haproxy").join(sub);
        for e in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            let small = p.metadata().is_ok_and(|m| m.len() < 64 * 1024);
            if small && p.extension().is_some_and(|x| x == "cfg") {
                corpus.push(p);
            }
        }
    }
    corpus.sort();
    for p in corpus {
        let text = fs::read(&p).expect("corpus file");
        if !usable_corpus(&String::from_utf8_lossy(&text)) {
            continue;
        }
        // Only configs HAProxy reads without a single alert: then every alert on a mutant is
        // the mutation's.
        let got = common::haproxy::offline(bin)
            .current_dir(p.parent().unwrap_or(scratch))
            .arg("-c")
            .arg("-f")
            .arg(&p)
            .output();
        let clean = got.is_ok_and(|o| {
            let t = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
            !t.contains("[ALERT]")
        });
        if clean {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("corpus").to_owned();
            out.push(Base { name: format!("corpus {name}"), cwd: p.parent().unwrap_or(scratch).to_path_buf(), text });
        }
    }
    out
}

#[test]
#[expect(clippy::print_stdout, reason = "the agreement count is part of the report")]
fn lexer_fuzz_agrees_with_haproxy() {
    let Some(bin) = common::haproxy::binary() else { return };
    let scratch = tempfile::tempdir().expect("tmp");
    let bases = bases(&bin, scratch.path());
    let fixtures = bases.iter().filter(|b| b.name.starts_with("fixture")).count();
    assert!(fixtures >= 40 && bases.len() > fixtures + 10, "{fixtures} fixture bases, {} in all", bases.len());
    let mut failures: Vec<String> = bases
        .iter()
        .filter(|b| !routec_flags(&b.text).is_empty())
        .map(|b| format!("{}: routec flags a config HAProxy reads cleanly: {:?}", b.name, routec_flags(&b.text)))
        .collect();

    const PER_BASE: usize = 32;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    struct Mutant {
        base: usize,
        path: PathBuf,
        routec: Vec<&'static str>,
        first_line: Option<usize>,
    }
    let mut mutants: Vec<Mutant> = Vec::new();
    for (i, b) in bases.iter().enumerate() {
        for k in 0..PER_BASE {
            let text = mutate(&own_resolvers(&b.text, k), &mut rng);
            let path = scratch.path().join(format!("m-{i}-{k}.cfg"));
            fs::write(&path, &text).expect("mutant");
            let (routec, first_line) = routec_findings(&text);
            mutants.push(Mutant { base: i, path, routec, first_line });
        }
    }

    // One job per base; a job runs its mutants in as few HAProxy processes as the sentinels
    // allow. A bounded pool of workers takes jobs in turn.
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 4);
    let verdicts: Vec<(usize, (bool, Option<usize>))> = std::thread::scope(|sc| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (next, bases, mutants, bin) = (&next, &bases, &mutants, &bin);
                let work = scratch.path().join(format!("worker-{w}"));
                sc.spawn(move || {
                    fs::create_dir_all(&work).expect("worker dir");
                    let mut got = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(base) = bases.get(i) else { break };
                        let todo: Vec<usize> =
                            mutants.iter().enumerate().filter(|(_, m)| m.base == i).map(|(k, _)| k).collect();
                        let files: Vec<PathBuf> = todo.iter().map(|&k| mutants[k].path.clone()).collect();
                        got.extend(todo.into_iter().zip(haproxy_verdicts(bin, &base.cwd, &files, &work)));
                    }
                    got
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    assert_eq!(verdicts.len(), mutants.len(), "every mutant has a verdict");
    let mut agree = 0;
    let mut refused = 0;
    let mut excluded = 0;
    for (k, (haproxy_refuses, stopped_at)) in &verdicts {
        let m = &mutants[*k];
        refused += usize::from(*haproxy_refuses);
        // HAProxy gave up at a keyword error (its parsers can abort the file) on or before the
        // line of routec's first lexer-level finding, so it never read that far: a keyword
        // matter, outside the lexer rules. Seen with a NUL byte, whose line HAProxy parses up to
        // the NUL before it reports the NUL on the next read.
        let unread = !*haproxy_refuses && stopped_at.zip(m.first_line).is_some_and(|(s, f)| s <= f);
        if unread {
            excluded += 1;
            continue;
        }
        if *haproxy_refuses != m.routec.is_empty() {
            agree += 1;
        } else {
            failures.push(format!(
                "{} ({}): haproxy lexer-level refusal = {haproxy_refuses}, routec = {:?}",
                m.path.display(),
                bases[m.base].name,
                m.routec
            ));
        }
    }
    let compared = mutants.len() - excluded;
    println!(
        "lexer vs haproxy: {agree}/{compared} agree ({refused} refused by HAProxy at the lexer level; {excluded} excluded: HAProxy stopped at a keyword error first; {} bases)",
        bases.len()
    );
    assert!(compared >= 2000, "only {compared} mutants compared");
    if !failures.is_empty() {
        // Keep the mutants for inspection.
        let keep = scratch.keep();
        failures.push(format!("mutants kept in {}", keep.display()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
