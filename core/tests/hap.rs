//! Reading configs back: the lexer round-trips every file byte for byte (fixture outputs,
//! oracle outputs, the real-world corpus); configs HAProxy accepts parse without fatal
//! problems; the oracle's outputs are equivalent to routec's; mutations are reported as drift
//! with the right field and cosmetic rewrites are not; random words survive printing and
//! re-lexing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use routec_core::hap::cook::{cook_line, Env};
use routec_core::hap::diff::{diff, Difference, Kind};
use routec_core::hap::lex::{lex, print};
use routec_core::hap::model::{build, Bundle, Model};
use routec_core::hap::{bundle_from_output, mapfile};
use routec_core::Options;

use common::rng::Rng;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn valid_cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        fs::read_dir(common::root().join("fixtures/valid")).expect("fixtures").flatten().map(|e| e.path()).collect();
    v.sort();
    v
}

fn oracle_cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(common::shared().join("oracle"))
        .expect("oracle")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected").is_dir())
        .collect();
    v.sort();
    v
}

fn roundtrip(name: &str, bytes: &[u8]) -> Result<(), String> {
    let printed = print(bytes, &lex(bytes));
    if printed == bytes {
        Ok(())
    } else {
        Err(format!("{name}: print(parse(x)) != x"))
    }
}

#[test]
fn lexer_round_trips_every_file() {
    let mut files = Vec::new();
    walk(&common::shared().join("corpus"), &mut files);
    for c in oracle_cases() {
        walk(&c.join("expected"), &mut files);
    }
    let mut failed = Vec::new();
    let mut n = 0;
    for f in &files {
        let bytes = fs::read(f).expect("read");
        n += 1;
        if let Err(e) = roundtrip(&f.display().to_string(), &bytes) {
            failed.push(e);
        }
    }
    let opts = Options { default_certificate: Some(common::default_cert()), ..Options::default() };
    for case in valid_cases() {
        let out = routec_core::compile(&common::read_dir_sources(&case), &common::settings_of(&case), &opts);
        for f in &out.files {
            n += 1;
            if let Err(e) = roundtrip(&format!("{}/{}", case.display(), f.path), f.contents.as_bytes()) {
                failed.push(e);
            }
        }
    }
    // Hostile shapes: every byte value, lone CRs, unterminated quotes, no final newline.
    for s in [&b"a\rb\n\"x\r\n'y\\"[..], b"\xef\xbb\xbfglobal\n\0\n", b"#only", b"", b"\n\n\r\n \t\x0b\x0c"] {
        n += 1;
        if let Err(e) = roundtrip("hostile", s) {
            failed.push(e);
        }
    }
    let all: Vec<u8> = (0..=255u8).collect();
    roundtrip("all bytes", &all).expect("all bytes");
    assert!(n > 600, "only {n} files");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

fn haproxy_accepts(bin: &Path, cfg: &Path) -> bool {
    common::haproxy::offline(bin)
        .args(["-c", "-f"])
        .arg(cfg)
        .output()
        .is_ok_and(|o| o.status.success() || String::from_utf8_lossy(&o.stdout).contains("no error"))
}

#[test]
fn configs_haproxy_accepts_parse_without_fatal_problems() {
    let Some(bin) = common::haproxy::binary() else { return };
    let bin = bin.as_path();
    let mut files = Vec::new();
    walk(&common::shared().join("corpus/haproxy"), &mut files);
    files.sort();
    let cfgs: Vec<&PathBuf> = files.iter().filter(|f| f.extension().is_some_and(|e| e == "cfg")).collect();
    // haproxy -c takes a while on the large configs; check on a few threads.
    let results: Vec<Option<String>> = std::thread::scope(|sc| {
        let chunks: Vec<_> = cfgs.chunks(cfgs.len().div_ceil(4).max(1)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                sc.spawn(move || {
                    chunk
                        .iter()
                        .filter(|f| haproxy_accepts(bin, f))
                        .map(|f| {
                            let bundle = Bundle {
                                config: (f.display().to_string(), fs::read(f).expect("read")),
                                ..Bundle::default()
                            };
                            let (_, problems) = build(&bundle, &Env::default());
                            let fatal: Vec<String> = problems
                                .iter()
                                .filter(|p| p.fatal)
                                .map(|p| format!("{} {}", p.code, p.message))
                                .collect();
                            (!fatal.is_empty()).then(|| format!("{}: {}", f.display(), fatal.join("; ")))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    let accepted = results.len();
    let failed: Vec<String> = results.into_iter().flatten().collect();
    assert!(accepted >= 20, "only {accepted} corpus configs are accepted by haproxy -c");
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

fn oracle_bundle(case: &Path) -> Bundle {
    let conf = case.join("expected/conf");
    let mut b = Bundle {
        config: ("haproxy.config".into(), fs::read(conf.join("haproxy.config")).expect("config")),
        ..Bundle::default()
    };
    for e in fs::read_dir(&conf).expect("conf").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".map") {
            b.files.insert(name, fs::read(e.path()).expect("map"));
        }
    }
    b
}

fn model(b: &Bundle) -> Model {
    build(b, &Env::default()).0
}

fn compiled(case: &Path) -> Bundle {
    let opts = Options { default_certificate: Some(common::default_cert()), ..Options::default() };
    bundle_from_output(&common::compile_case(case, &opts).files)
}

#[test]
fn oracle_outputs_verify_as_equivalent() {
    let mut failed = Vec::new();
    let cases = oracle_cases();
    for c in &cases {
        let d = diff(&model(&compiled(c)), &model(&oracle_bundle(c)));
        if !d.is_empty() {
            failed.push(format!("{}: {:#?}", c.display(), d.iter().take(3).collect::<Vec<_>>()));
        }
    }
    assert!(cases.len() >= 30);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_valid_fixture_parses_back_without_problems() {
    for case in valid_cases() {
        let b = compiled(&case);
        let (m, problems) = build(&b, &Env::default());
        assert!(problems.is_empty(), "{}: {problems:?}", case.display());
        assert!(m.sections.contains_key("frontend public"), "{}", case.display());
    }
}

/// The oracle case used for mutations: TLS, several backends, maps and a crt-list.
fn base() -> (Bundle, String) {
    let case = common::shared().join("oracle/34-mixed-cluster");
    let b = oracle_bundle(&case);
    let text = String::from_utf8(b.config.1.clone()).expect("utf-8");
    (b, text)
}

fn with_config(b: &Bundle, text: &str) -> Bundle {
    Bundle { config: (b.config.0.clone(), text.as_bytes().to_vec()), files: b.files.clone() }
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "mutation target `{from}` not found");
    text.replacen(from, to, 1)
}

/// Swaps two adjacent non-comment lines that start with `prefix` in the first section that
/// has two.
fn swap_first_pair(text: &str, prefix: &str) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let idx: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.trim_start().starts_with(prefix)).map(|(i, _)| i).collect();
    let pair = idx.windows(2).find(|w| w[1] == w[0] + 1 && lines[w[0]] != lines[w[1]]).expect("two adjacent lines");
    lines.swap(pair[0], pair[1]);
    lines.concat()
}

fn expect_drift(name: &str, d: &[Difference], field: &str) {
    assert!(!d.is_empty(), "{name}: no drift reported");
    assert!(
        d.iter().any(|x| x.field.contains(field) || x.place.contains(field)),
        "{name}: expected a difference in `{field}`, got {d:#?}"
    );
}

#[test]
fn mutations_are_drift_with_the_right_field() {
    let (b, text) = base();
    let m0 = model(&b);
    let first_server = text.lines().find(|l| l.trim_start().starts_with("server pod:")).expect("a server").to_owned();
    let mut config_mutations: Vec<(&str, String, &str)> = vec![
        ("server removed", text.replacen(&format!("{first_server}\n"), "", 1), "server pod:"),
        (
            "weight changed",
            replace_once(&text, &first_server, &first_server.replacen(" weight ", " weight 9", 1)),
            "weight",
        ),
        ("balance changed", replace_once(&text, "balance random", "balance leastconn"), "balance"),
        ("timeout changed", replace_once(&text, "timeout server 30s", "timeout server 31s"), "timeout server"),
        ("mode changed", replace_once(&text, "mode http", "mode tcp"), "mode"),
        (
            "server address changed",
            {
                let mut w: Vec<&str> = first_server.split(' ').collect();
                let addr = w.iter().position(|x| x.contains(':') && !x.starts_with("pod:")).expect("address");
                let moved = format!("{}9", w[addr]);
                w[addr] = &moved;
                replace_once(&text, &first_server, &w.join(" "))
            },
            "address",
        ),
        ("check removed", replace_once(&text, &first_server, &first_server.replacen(" check", "", 1)), "check"),
        (
            "cookie line changed",
            replace_once(&text, "insert indirect nocache httponly", "insert indirect nocache"),
            "cookie",
        ),
        ("http-request rule removed", replace_once(&text, "  http-request del-header Proxy\n", ""), "http-request"),
        (
            "use_backend removed",
            replace_once(&text, "  use_backend %[base,map_reg(/var/lib/haproxy/conf/os_http_be.map)]\n", ""),
            "use_backend",
        ),
        ("acl changed", replace_once(&text, "acl secure_redirect", "acl secure_redirect2"), "acl"),
        ("bind changed", replace_once(&text, "bind :80", "bind :8080"), "bind"),
        (
            "default_backend changed",
            replace_once(&text, "default_backend openshift_default", "default_backend be_sni"),
            "default_backend",
        ),
        ("global maxconn changed", replace_once(&text, "maxconn 50000", "maxconn 40000"), "maxconn"),
        ("option removed", replace_once(&text, "  option forwardfor\n", ""), "option forwardfor"),
        (
            "backend removed",
            {
                let start = text.find("\nbackend be_").expect("a route backend") + 1;
                let end = text[start..].find("\n\n").map_or(text.len(), |k| start + k + 1);
                format!("{}{}", &text[..start], &text[end..])
            },
            "backend be_",
        ),
        ("http-request rules swapped", swap_first_pair(&text, "http-request "), "http-request rule order"),
        ("servers swapped", swap_first_pair(&text, "server pod:"), "server order"),
    ];
    config_mutations.retain(|(_, t, _)| *t != text);
    let mut n = 0;
    for (name, t, field) in &config_mutations {
        let d = diff(&m0, &model(&with_config(&b, t)));
        expect_drift(name, &d, field);
        n += 1;
    }
    // Map and crt-list mutations.
    let map = |name: &str| String::from_utf8(b.files.get(name).cloned().expect("map")).expect("utf-8");
    let http_be = map("os_http_be.map");
    let http_lines: Vec<&str> = http_be.lines().filter(|l| l.starts_with('^')).collect();
    assert!(http_lines.len() >= 2, "os_http_be.map needs two entries");
    let file_mutations: Vec<(&str, &str, String, &str)> = vec![
        (
            "map lines swapped",
            "os_http_be.map",
            http_be.replacen(http_lines[0], "\u{0}", 1).replacen(http_lines[1], http_lines[0], 1).replacen(
                '\u{0}',
                http_lines[1],
                1,
            ),
            "entry order",
        ),
        ("map entry missing", "os_http_be.map", http_be.replacen(&format!("{}\n", http_lines[0]), "", 1), "entry"),
        (
            "map value changed",
            "os_http_be.map",
            http_be.replacen(http_lines[0], &format!("{}x", http_lines[0]), 1),
            "entry",
        ),
        (
            "cert entry missing",
            "cert_config.map",
            {
                let c = map("cert_config.map");
                let first = c.lines().find(|l| l.starts_with('/')).expect("a crt-list entry").to_owned();
                c.replacen(&format!("{first}\n"), "", 1)
            },
            "crt-list",
        ),
    ];
    for (name, file, t, field) in &file_mutations {
        let mut m = b.clone();
        m.files.insert((*file).to_owned(), t.as_bytes().to_vec());
        let d = diff(&m0, &model(&m));
        expect_drift(name, &d, field);
        if *name == "cert entry missing" {
            assert!(d.iter().any(|x| x.place.starts_with("crt-list") && x.kind == Kind::Missing), "{d:#?}");
        }
        n += 1;
    }
    assert!(n >= 20, "only {n} mutations");
}

#[test]
fn cosmetic_rewrites_are_equivalent() {
    let (b, text) = base();
    let m0 = model(&b);
    let reindent: String = text
        .lines()
        .map(|l| format!("{}\n", if l.starts_with("  ") { format!("\t{}", l.trim_start()) } else { l.to_owned() }))
        .collect();
    let comments: String =
        text.lines().map(|l| format!("{l}  # note\n")).collect::<String>().replace("\"  # note", "\"");
    let crlf = text.replace('\n', "\r\n");
    let quoted = text.replace("balance random", "\"balance\" 'random'").replace("mode http", "mo\"de\" ht'tp'");
    let escaped = text
        .replace("option forwardfor", "option\\ forwardfor")
        .replace("option\\ forwardfor", "option forward\\x66or");
    let blank = text.replace("\n\n", "\n\n\n\n");
    let spaces = text.replace("  server ", "  server    ");
    // Sections in another order: move the first route backend to the end.
    let start = text.find("\nbackend be_").expect("a route backend") + 1;
    let end = text[start..].find("\n\n").map_or(text.len(), |k| start + k + 2);
    let reordered = format!("{}{}\n{}", &text[..start], &text[end..], &text[start..end]);
    // Rule families interleave freely: an http-request line moved after a use_backend of the
    // same frontend is still run first.
    let families = {
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        let ub = lines.iter().position(|l| l.trim_start().starts_with("use_backend ")).expect("use_backend");
        let hr = (0..ub)
            .rev()
            .find(|&i| lines[i].trim_start().starts_with("http-request "))
            .expect("http-request before it");
        let moved = lines.remove(hr);
        lines.insert(ub, moved);
        lines.concat()
    };
    let acls_swapped = swap_first_pair(&text, "acl ");
    let conditional = format!(".if defined(NEVER_SET)\n.alert \"not read\"\n.endif\n{text}");
    let env_quoted = text.replacen("maxconn 50000", "setenv MC 50000\n  maxconn \"$MC\"", 1);
    let rewrites: Vec<(&str, String)> = vec![
        ("reindented", reindent),
        ("comments added", comments),
        ("CRLF line endings", crlf),
        ("quoting changed", quoted),
        ("escapes", escaped),
        ("blank lines", blank),
        ("spacing", spaces),
        ("sections reordered", reordered),
        ("rule families interleaved", families),
        ("acls reordered", acls_swapped),
        ("dead conditional block", conditional),
    ];
    let mut n = 0;
    for (name, t) in &rewrites {
        assert_ne!(t, &text, "{name}: rewrite changed nothing");
        let d = diff(&m0, &model(&with_config(&b, t)));
        assert!(d.is_empty(), "{name}: reported as drift: {d:#?}");
        n += 1;
    }
    // `setenv` adds a global statement; compare without it.
    let d = diff(&m0, &model(&with_config(&b, &env_quoted)));
    assert!(d.iter().all(|x| x.field == "setenv rule"), "env: {d:#?}");
    let mut m = b.clone();
    let http_be = String::from_utf8(b.files.get("os_http_be.map").cloned().expect("map")).expect("utf-8");
    m.files.insert("os_http_be.map".into(), format!("# a comment\n{}", http_be.replace(' ', "   ")).into_bytes());
    assert!(diff(&m0, &model(&m)).is_empty(), "map comments and spacing");
    assert!(n >= 10);
}

/// Writes `word` so that HAProxy reads it back as `word`, in a randomly chosen style.
fn quote(word: &str, style: usize) -> String {
    match style {
        0 => format!("'{}'", word.replace('\'', "'\\''")),
        1 => {
            let mut s = String::from("\"");
            for c in word.chars() {
                match c {
                    '"' | '\\' | '$' => {
                        s.push('\\');
                        s.push(c);
                    }
                    _ => s.push(c),
                }
            }
            s.push('"');
            s
        }
        _ => {
            if word.is_empty() {
                return "''".into();
            }
            let mut s = String::new();
            for c in word.chars() {
                match c {
                    ' ' | '\\' | '#' | '\'' | '"' => {
                        s.push('\\');
                        s.push(c);
                    }
                    '\t' => s.push_str("\\t"),
                    _ => s.push(c),
                }
            }
            s
        }
    }
}

#[test]
fn random_words_print_and_parse_back() {
    let alphabet = ['a', 'b', ' ', '\t', '"', '\'', '\\', '#', '$', '{', '}', '-', '[', '*', ']', 'x', '4', '1'];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..5000 {
        let n = 1 + rng.below(6);
        let words: Vec<String> =
            (0..n).map(|_| (0..1 + rng.below(8)).map(|_| alphabet[rng.below(alphabet.len())]).collect()).collect();
        let seps = [" ", "\t", "  ", " \t "];
        let mut line = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                line.push_str(seps[rng.below(4)]);
            }
            line.push_str(&quote(w, rng.below(3)));
        }
        if rng.below(2) == 0 {
            line.push_str(" # trailing comment 'x\" \\");
        }
        line.push('\n');
        let lexed = lex(line.as_bytes());
        assert!(lexed.errors.is_empty(), "{line:?}: {:?}", lexed.errors);
        assert_eq!(print(line.as_bytes(), &lexed), line.as_bytes());
        let first = lexed.lines.first().expect("a line");
        assert_eq!(cook_line(line.as_bytes(), &first.words, &Env::default()), words, "{line:?}");
    }
}

#[test]
fn map_and_crt_list_corpus_parse() {
    let mut files = Vec::new();
    walk(&common::shared().join("corpus/maps"), &mut files);
    for f in &files {
        let bytes = fs::read(f).expect("read");
        let entries = mapfile::parse_map(&bytes);
        let lines = bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty() && l[0] != b'#' && l.iter().any(|b| !b.is_ascii_whitespace()))
            .count();
        assert_eq!(entries.len(), lines, "{}", f.display());
    }
    let mut lists = Vec::new();
    walk(&common::shared().join("corpus/crt-lists"), &mut lists);
    for f in &lists {
        let (entries, _) = mapfile::parse_crt_list(&fs::read(f).expect("read"));
        assert!(!entries.is_empty(), "{}", f.display());
    }
}

/// The sections a compile writes whatever the routes: the template's.
fn fixed_sections(settings: &routec_core::Settings) -> std::collections::BTreeSet<String> {
    let out = routec_core::compile(
        &[],
        settings,
        &Options { default_certificate: Some(common::default_cert()), ..Options::default() },
    );
    model(&bundle_from_output(&out.files)).sections.into_keys().collect()
}

/// Structure every compiled model must have: the template's sections plus exactly one backend
/// per admitted route, servers named as the router names them, map entries whose keys are
/// anchored regexps and whose values name existing backends. An injected directive, section,
/// server or map entry breaks one of these.
fn check_structure(name: &str, out: &routec_core::Output, settings: &routec_core::Settings) {
    let b = bundle_from_output(&out.files);
    let (m, problems) = build(&b, &Env::default());
    assert!(problems.is_empty(), "{name}: {problems:?}");
    let mut expected = fixed_sections(settings);
    let admitted: Vec<String> = out
        .status
        .routes
        .iter()
        .filter(|r| matches!(r.outcome, routec_core::admission::Outcome::Admitted))
        .map(|r| format!("{}:{}", r.namespace, r.name))
        .collect();
    let route_backends: Vec<&String> =
        m.sections.keys().filter(|k| k.starts_with("backend be_") && !expected.contains(*k)).collect();
    assert_eq!(route_backends.len(), admitted.len(), "{name}: one backend per admitted route: {route_backends:?}");
    for k in &route_backends {
        assert!(admitted.iter().any(|a| k.ends_with(&format!(":{a}"))), "{name}: {k} is no admitted route's backend");
    }
    let route_backends: Vec<String> = route_backends.into_iter().cloned().collect();
    expected.extend(route_backends.iter().cloned());
    let actual: std::collections::BTreeSet<String> = m.sections.keys().cloned().collect();
    assert_eq!(actual, expected, "{name}: sections");
    for k in &route_backends {
        for sv in m.sections.get(k).map_or(&[][..], |s| s.servers.as_slice()) {
            let ok = sv.name.starts_with("pod:") || sv.name.starts_with("ept:");
            assert!(ok, "{name}: unexpected server {} in {k}", sv.name);
        }
    }
    let backends: Vec<&str> = m.sections.keys().filter_map(|k| k.strip_prefix("backend ")).collect();
    for (file, entries) in &m.maps {
        for e in entries {
            assert!(e.key.starts_with('^') && e.key.ends_with('$'), "{name}: {file}: unanchored key {:?}", e.key);
            let names_backend = file.ends_with("_be.map");
            assert!(
                !names_backend || backends.contains(&e.value.as_str()),
                "{name}: {file}: {:?} names no backend",
                e.value
            );
        }
    }
}

#[test]
fn compiled_models_have_exactly_the_intended_structure() {
    let opts = Options { default_certificate: Some(common::default_cert()), ..Options::default() };
    for case in valid_cases() {
        let settings = common::settings_of(&case);
        let out = routec_core::compile(&common::read_dir_sources(&case), &settings, &opts);
        check_structure(&case.display().to_string(), &out, &settings);
    }
    // Hostile values in every field a route author controls.
    let hostile =
        ["x\n  server evil 1.2.3.4:80", "x\r\nuse_backend evil", "x # c", "x' '\\''", "${HOME}", "a b\tc", "\\\"q\\\""];
    for h in hostile {
        let q = |s: String| serde_json::to_string(&s).unwrap_or_default();
        let doc = format!(
            "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: r\n  namespace: n\n  annotations:\n    haproxy.router.openshift.io/hsts_header: {hj}\n    haproxy.router.openshift.io/rewrite-target: {rt}\n    haproxy.router.openshift.io/ip_allowlist: {al}\nspec:\n  host: h.example.test\n  path: {pj}\n  tls: {{termination: edge}}\n  to: {{kind: Service, name: s}}\n  httpHeaders:\n    actions:\n      request:\n      - name: X-A\n        action: {{type: Set, set: {{value: {hj}}}}}\n",
            hj = q(format!("max-age=1; {h}")),
            rt = q(format!("/{h}")),
            pj = q(format!("/{h}")),
            al = q(format!("10.0.0.1 {h}")),
        );
        let settings = routec_core::Settings::new();
        let out = routec_core::compile(&[routec_core::SourceFile::new("h.yaml", doc)], &settings, &opts);
        check_structure(&format!("hostile {h:?}"), &out, &settings);
        let m = model(&bundle_from_output(&out.files));
        for s in m.sections.values() {
            for item in s.settings.values().chain(s.families.values().flatten()).chain(s.sets.values().flatten()) {
                assert!(
                    item.words.first().is_none_or(|w| !w.contains("evil") && w != "server"),
                    "{h:?}: {:?}",
                    item.words
                );
            }
        }
    }
}

/// Every statement of the compiled config reads back as exactly the words the compiler meant:
/// each value one word, holding the value, in every section, in order.
fn check_intent(name: &str, out: &routec_core::Output) {
    let cfg = out.file("conf/haproxy.config").unwrap_or_default();
    let (ev, lex_errors) = routec_core::hap::eval::evaluate(cfg.as_bytes(), Env::default());
    assert!(lex_errors.is_empty() && ev.errors.is_empty(), "{name}: {lex_errors:?} {:?}", ev.errors);
    let parsed: Vec<Vec<Vec<String>>> = ev
        .sections
        .iter()
        .map(|s| std::iter::once(s.header.words.clone()).chain(s.body.iter().map(|st| st.words.clone())).collect())
        .collect();
    assert_eq!(parsed.len(), out.intent.len(), "{name}: section count");
    for (p, i) in parsed.iter().zip(&out.intent) {
        assert_eq!(
            p,
            i,
            "{name}: section `{}` does not read back as compiled",
            i.first().map(|h| h.join(" ")).unwrap_or_default()
        );
    }
}

#[test]
fn compiled_configs_read_back_as_the_compiled_model() {
    let opts = Options { default_certificate: Some(common::default_cert()), keep_intent: true, ..Options::default() };
    let mut sections = 0;
    for case in valid_cases() {
        let out = routec_core::compile(&common::read_dir_sources(&case), &common::settings_of(&case), &opts);
        check_intent(&case.display().to_string(), &out);
        sections += out.intent.len();
    }
    for case in oracle_cases() {
        let out = common::compile_case(&case, &opts);
        check_intent(&case.display().to_string(), &out);
    }
    // Hostile values in every field a route author controls, and in operator settings.
    let hostile = ["x # c", "x' '\\''", "${HOME}", "a b\tc", "\\\"q\\\"", "'", "\\", "#", "%[src]", "x\"y"];
    for h in hostile {
        let q = |s: String| serde_json::to_string(&s).unwrap_or_default();
        let doc = format!(
            "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: r\n  namespace: n\n  annotations:\n    haproxy.router.openshift.io/hsts_header: {hj}\n    haproxy.router.openshift.io/rewrite-target: {rt}\n    router.openshift.io/cookie_name: {cn}\nspec:\n  host: h.example.test\n  path: {pj}\n  tls: {{termination: edge}}\n  to: {{kind: Service, name: s}}\n  httpHeaders:\n    actions:\n      request:\n      - name: X-A\n        action: {{type: Set, set: {{value: {hj}}}}}\n      response:\n      - name: X-B\n        action: {{type: Set, set: {{value: {hv}}}}}\n",
            hj = q(format!("max-age=1; {h}")),
            hv = q(h.to_owned()),
            rt = q(format!("/{h}")),
            pj = q(format!("/{h}")),
            cn = q(h.to_owned()),
        );
        let mut settings = routec_core::Settings::new();
        settings.set("ROUTER_HTTP_RESPONSE_HEADERS", "X-Op:a%20b:Set");
        let out = routec_core::compile(&[routec_core::SourceFile::new("h.yaml", doc)], &settings, &opts);
        check_intent(&format!("hostile {h:?}"), &out);
    }
    assert!(sections > 500, "only {sections} sections checked");
}

/// `fixtures/parse/<case>/haproxy.config`: the problems the model reports (snapshot
/// `problems.snap`), and real HAProxy refuses exactly the cases with a fatal problem, with
/// every one of its name and ID clash alerts among routec's messages.
#[test]
fn parse_fixtures_refuse_what_haproxy_refuses() {
    let bin = common::haproxy::binary();
    let mut cases: Vec<PathBuf> = fs::read_dir(common::root().join("fixtures/parse"))
        .expect("fixtures/parse")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 5, "only {} parse fixtures", cases.len());
    for case in &cases {
        let cfg = case.join("haproxy.config");
        let bundle =
            Bundle { config: ("haproxy.config".to_owned(), fs::read(&cfg).expect("read")), ..Bundle::default() };
        let (_, problems) = build(&bundle, &Env::default());
        let text: String = problems
            .iter()
            .map(|p| format!("{} fatal={} syntax={} @{:?}: {}\n", p.code, p.fatal, p.syntax, p.span, p.message))
            .collect();
        insta::with_settings!({snapshot_path => case.clone(), prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!("problems", text);
        });
        let Some(bin) = bin.as_deref() else { continue };
        let out = std::process::Command::new(bin)
            .arg("-c")
            .arg("-f")
            .arg("haproxy.config")
            .current_dir(case)
            .output()
            .expect("haproxy");
        let log = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
        let refused = !log.contains("Configuration file is valid") && !log.contains("no error");
        let fatal = problems.iter().any(|p| p.fatal);
        assert_eq!(fatal, refused, "{}: routec fatal={fatal}, haproxy:\n{log}", case.display());
        for line in log.lines().filter(|l| l.contains("ALERT") && (l.contains("same name") || l.contains("custom id")))
        {
            let alert =
                line.rsplit("]: ").next().unwrap_or(line).rsplit("] : ").next().unwrap_or(line).trim_end_matches('.');
            assert!(
                problems.iter().any(|p| alert.ends_with(p.message.as_str())),
                "{}: HAProxy's `{alert}` is not among routec's problems:\n{text}",
                case.display()
            );
        }
    }
}
