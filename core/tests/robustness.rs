//! Hostile and broken input never panics the core: every case comes back as diagnostics, and
//! nothing a route author writes can add a directive to the config.

use routec_core::{compile, Options, Settings, Severity, SourceFile};

fn run(name: &str, text: &str) -> routec_core::Output {
    compile(&[SourceFile::new(name, text)], &Settings::new(), &Options::default())
}

fn has_error(out: &routec_core::Output) -> bool {
    out.diagnostics.iter().any(|d| d.severity == Severity::Error)
}

#[test]
fn malformed_documents_are_reported_with_a_location() {
    for (name, text) in [
        ("a.yaml", "kind: Route\nmetadata: [unclosed\n"),
        ("a.json", "{\"kind\": \"Route\", }"),
        ("a.json", "{\"kind\": \"Route\""),
        ("a.yaml", "\u{0}kind: Route"),
        ("a.yaml", "key: \"unterminated\n"),
        ("a.yaml", "a: *nosuchanchor\n"),
    ] {
        let out = run(name, text);
        assert!(has_error(&out), "{name}: {text:?} gave no error");
        assert!(out.diagnostics.iter().filter(|d| d.severity == Severity::Error).all(|d| d.primary.is_some()));
    }
}

#[test]
fn deep_nesting_and_alias_bombs_are_bounded() {
    let deep_json = "[".repeat(100_000);
    assert!(has_error(&run("deep.json", &deep_json)));
    let deep_yaml = "- ".repeat(10_000) + "x\n";
    assert!(has_error(&run("deep.yaml", &deep_yaml)));
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        let prev = if i == 0 { "a".to_owned() } else { format!("b{}", i - 1) };
        bomb.push_str(&format!(
            "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    assert!(has_error(&run("bomb.yaml", &bomb)));
}

#[test]
fn wrong_types_everywhere_do_not_panic() {
    let docs = [
        "kind: Route\napiVersion: route.openshift.io/v1\nmetadata: 5\nspec: [1, 2]\n",
        "kind: Route\napiVersion: route.openshift.io/v1\nmetadata: {name: [x]}\nspec: {host: {a: b}, to: 3, tls: x, port: {targetPort: [1]}}\n",
        "kind: Endpoints\napiVersion: v1\nmetadata: {name: e, namespace: n}\nsubsets: {a: 1}\n",
        "kind: EndpointSlice\napiVersion: discovery.k8s.io/v1\nmetadata: {name: e}\nendpoints: [{addresses: [{}]}]\nports: [{port: x}]\n",
        "kind: Service\napiVersion: v1\nmetadata: {name: s}\nspec: {ports: [{port: 99999999999999999999999}]}\n",
        "- 1\n- [2]\n- {kind: List, items: 7}\n",
    ];
    for d in docs {
        let _ = run("t.yaml", d);
    }
}

#[test]
fn random_bytes_do_not_panic() {
    let mut seed = 0x1234_5678_u64;
    let alphabet = b"{}[]:,-\"' \n\t#&*!|>%@`abcdefkindRoute0123456789\\\r";
    for _ in 0..2000 {
        let len = usize::try_from(seed % 200).unwrap_or(0);
        let mut s = String::new();
        for _ in 0..len {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let i = usize::try_from(seed >> 33).unwrap_or(0) % alphabet.len();
            s.push(char::from(alphabet[i]));
        }
        let _ = run("r.yaml", &s);
        let _ = run("r.json", &s);
    }
}

#[test]
fn hostile_strings_never_reach_the_config_unescaped() {
    let hostile =
        ["x\n  server evil 1.2.3.4:80", "x\r\nuse_backend evil", "x # comment", "x' '\\''", "${HOME}", "x\u{0}y"];
    for h in hostile {
        let doc = format!(
            "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: r\n  namespace: n\n  annotations:\n    haproxy.router.openshift.io/hsts_header: {hj}\n    haproxy.router.openshift.io/rewrite-target: {rt}\nspec:\n  host: h.example.test\n  path: {pj}\n  tls: {{termination: edge}}\n  to: {{kind: Service, name: s}}\n  httpHeaders:\n    actions:\n      request:\n      - name: X-A\n        action: {{type: Set, set: {{value: {hj}}}}}\n",
            hj = serde_like_quote(&format!("max-age=1; {h}")),
            rt = serde_like_quote(&format!("/{h}")),
            pj = serde_like_quote(&format!("/{h}")),
        );
        let out = run("h.yaml", &doc);
        let cfg = out.file("conf/haproxy.config").unwrap_or_default();
        for line in cfg.lines() {
            let t = line.trim_start();
            assert!(!t.starts_with("server evil") && !t.starts_with("use_backend evil"), "{h:?} injected: {line}");
        }
        assert!(!cfg.contains('\0') && !cfg.contains('\r'));
        if h.contains(['\n', '\r', '\0']) {
            assert!(has_error(&out) || !cfg.contains("be_edge_http:n:r"), "{h:?}: control characters accepted");
        }
    }
}

/// A YAML double-quoted scalar.
fn serde_like_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
