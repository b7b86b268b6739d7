//! Output depends only on the objects: compiling the same objects twice gives byte-identical
//! files, and once every object carries an explicit creationTimestamp and uid, shuffling the
//! documents does not change a byte.

mod common;

use std::fs;

use routec_core::{compile, Options, SourceFile};

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// The YAML documents of a case, each given the age its input position implies.
fn stamped_docs(case: &std::path::Path) -> Option<Vec<String>> {
    let mut docs = Vec::new();
    for src in common::read_dir_sources(case) {
        if src.name.ends_with(".json") {
            return None;
        }
        for doc in src.text.split("\n---\n") {
            let i = docs.len();
            let stamp = format!(
                "metadata:\n  creationTimestamp: \"2024-01-01T00:{:02}:{:02}Z\"\n  uid: \"uid-{i:04}\"\n",
                i / 60,
                i % 60
            );
            if doc.contains("creationTimestamp") {
                docs.push(doc.trim_end().to_owned());
            } else {
                docs.push(doc.replacen("metadata:\n", &stamp, 1).trim_end().to_owned());
            }
        }
    }
    Some(docs)
}

fn has_repeats(docs: &[String]) -> bool {
    let text = docs.join("\n---\n") + "\n";
    let out = compile(&[SourceFile::new("all.yaml", text)], &routec_core::Settings::new(), &Options::default());
    out.diagnostics.iter().any(|d| d.code == "routec::input::duplicate-object")
}

fn render(docs: &[String], case: &std::path::Path) -> Vec<(String, String)> {
    let text = docs.join("\n---\n") + "\n";
    let opts = Options { default_certificate: Some("CERT\n".to_owned()), ..Options::default() };
    let out = compile(&[SourceFile::new("all.yaml", text)], &common::settings_of(case), &opts);
    let mut files: Vec<(String, String)> = out.files.into_iter().map(|f| (f.path, f.contents)).collect();
    files.push(("status.yaml".into(), out.status.to_yaml()));
    files
}

#[test]
fn shuffled_inputs_with_timestamps_give_identical_output() {
    let mut cases: Vec<_> =
        fs::read_dir(common::root().join("fixtures/valid")).expect("fixtures").flatten().map(|e| e.path()).collect();
    cases.sort();
    let mut rng = Lcg(0x5eed);
    let mut checked = 0;
    for case in &cases {
        let Some(docs) = stamped_docs(case) else { continue };
        // With an object given twice, document order decides which definition is the last.
        if has_repeats(&docs) {
            continue;
        }
        let want = render(&docs, case);
        assert_eq!(want, render(&docs, case), "{}: two compiles differ", case.display());
        for round in 0..5 {
            let mut shuffled = docs.clone();
            for i in (1..shuffled.len()).rev() {
                let j = usize::try_from(rng.next()).unwrap_or(0) % (i + 1);
                shuffled.swap(i, j);
            }
            let got = render(&shuffled, case);
            for ((wp, wc), (gp, gc)) in want.iter().zip(&got) {
                assert_eq!(wp, gp, "{}: round {round}: file list differs", case.display());
                assert!(wc == gc, "{}: round {round}: {wp} differs after shuffling:\n{gc}", case.display());
            }
            assert_eq!(want.len(), got.len());
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} cases could be shuffled");
}

/// A generated input large enough for the route backends to be emitted on two threads.
fn many_routes(n: usize) -> String {
    let mut items = Vec::new();
    for i in 0..n {
        let tls = match i % 4 {
            1 => r#", "tls": {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect"}"#,
            2 => r#", "tls": {"termination": "passthrough"}"#,
            3 => r#", "tls": {"termination": "reencrypt"}"#,
            _ => "",
        };
        let path = if i % 3 == 0 { r#", "path": "/api""# } else { "" };
        items.push(format!(
            r#"{{"apiVersion": "route.openshift.io/v1", "kind": "Route", "metadata": {{"name": "app{i}", "namespace": "ns{}"}}, "spec": {{"host": "app{i}.example.test", "to": {{"kind": "Service", "name": "app{i}"}}{path}{tls}}}}}"#,
            i % 7
        ));
        items.push(format!(
            r#"{{"apiVersion": "v1", "kind": "Endpoints", "metadata": {{"name": "app{i}", "namespace": "ns{}"}}, "subsets": [{{"addresses": [{{"ip": "10.128.{}.{}"}}, {{"ip": "10.129.{}.{}"}}], "ports": [{{"name": "web", "port": 8080}}]}}]}}"#,
            i % 7,
            i / 250,
            i % 250 + 1,
            i / 250,
            i % 250 + 1
        ));
    }
    format!(r#"{{"apiVersion": "v1", "kind": "List", "items": [{}]}}"#, items.join(","))
}

#[test]
fn parallel_emission_gives_the_sequential_output() {
    let text = many_routes(3000);
    let src = [SourceFile::new("many.json", text)];
    let settings = routec_core::Settings::new();
    let seq = compile(&src, &settings, &Options { parallel: false, ..Options::default() });
    let par = compile(&src, &settings, &Options { parallel: true, ..Options::default() });
    assert_eq!(seq.files.len(), par.files.len());
    for (a, b) in seq.files.iter().zip(&par.files) {
        assert_eq!(a.path, b.path);
        if a.contents != b.contents {
            let at = a.contents.bytes().zip(b.contents.bytes()).position(|(x, y)| x != y).unwrap_or(0);
            let ctx = |t: &str| t.get(at.saturating_sub(80)..(at + 80).min(t.len())).unwrap_or("").to_owned();
            panic!(
                "{} differs between sequential and parallel emission at byte {at}:\n{}\n---\n{}",
                a.path,
                ctx(&a.contents),
                ctx(&b.contents)
            );
        }
    }
    assert_eq!(seq.diagnostics, par.diagnostics);
    let cfg = par.file("conf/haproxy.config").unwrap_or_default();
    // Every route backend, plus the fixed be_sni and be_no_sni.
    assert_eq!(cfg.matches("\nbackend be_").count(), 3000 + 2);
}

/// Every object of every valid fixture and oracle case given twice (each file read again under
/// another name): the last definition wins with the first one's place and age, so the files
/// are byte for byte those of one copy, every object is reported as repeated, and the config
/// has no name HAProxy refuses to see twice.
#[test]
fn every_object_twice_compiles_as_once() {
    use routec_core::hap::cook::Env;
    use routec_core::hap::{bundle_from_output, model};
    let mut cases: Vec<std::path::PathBuf> = Vec::new();
    for dir in [common::root().join("fixtures/valid"), common::shared().join("oracle")] {
        for e in fs::read_dir(&dir).expect("cases").flatten() {
            if e.path().is_dir() && e.path().join("README.md").is_file() && e.file_name() != "pki" {
                cases.push(e.path());
            }
        }
    }
    cases.sort();
    assert!(cases.len() > 80, "only {} cases", cases.len());
    let opts =
        Options { default_certificate: Some(common::default_cert()), now: Some(1_800_000_000), ..Options::default() };
    let mut failures = Vec::new();
    for case in &cases {
        let input = if case.join("input").is_dir() { case.join("input") } else { case.clone() };
        let once = common::read_dir_sources(&input);
        let mut twice = once.clone();
        twice.extend(once.iter().map(|s| SourceFile::new(format!("copy/{}", s.name), s.text.clone())));
        let settings = common::settings_of(case);
        let (a, b) = (compile(&once, &settings, &opts), compile(&twice, &settings, &opts));
        let files = |o: &routec_core::Output| -> Vec<(String, String)> {
            o.files.iter().map(|f| (f.path.clone(), f.contents.clone())).collect()
        };
        // The status lists the input files, which differ; the routes' results must not.
        let routes = |o: &routec_core::Output| o.status.to_yaml().split_once("\nroutes:").map(|(_, r)| r.to_owned());
        if files(&a) != files(&b) || routes(&a) != routes(&b) {
            failures.push(format!("{}: output differs when every object is given twice", case.display()));
        }
        let repeats = b.diagnostics.iter().filter(|d| d.code == "routec::input::duplicate-object").count();
        let objects = a.status.routes.len();
        if repeats < objects {
            failures.push(format!("{}: {repeats} repeats reported for {objects} routes", case.display()));
        }
        let (_, problems) = model::build(&bundle_from_output(&b.files), &Env::default());
        for p in problems.iter().filter(|p| p.fatal) {
            failures.push(format!("{}: {} {}", case.display(), p.code, p.message));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A large JSON list is parsed on one thread while its items are read on another: the result
/// must be the one reading the same items in line gives (here, from files small enough to be
/// read in line), diagnostics included.
#[test]
fn a_large_list_loads_as_its_items_do_in_small_files() {
    let mut items = Vec::new();
    for i in 0..4000 {
        let ns = format!("ns{}", i % 7);
        // Every 13th route has a misspelt field and every 17th an invalid annotation, so the
        // reader reports things in an order the comparison can see.
        let extra = if i % 13 == 0 { r#","spce":{}"# } else { "" };
        let timeout = if i % 17 == 0 { "soon" } else { "5s" };
        items.push(format!(
            r#"{{"apiVersion":"route.openshift.io/v1","kind":"Route","metadata":{{"name":"r{i}","namespace":"{ns}","annotations":{{"haproxy.router.openshift.io/timeout":"{timeout}"}}}},"spec":{{"host":"h{i}.example.com","to":{{"kind":"Service","name":"s{i}"}}}}{extra}}}"#
        ));
        items.push(format!(
            r#"{{"apiVersion":"v1","kind":"Service","metadata":{{"name":"s{i}","namespace":"{ns}"}},"spec":{{"ports":[{{"port":80,"targetPort":8080}}]}}}}"#
        ));
        items.push(format!(
            r#"{{"apiVersion":"v1","kind":"Endpoints","metadata":{{"name":"s{i}","namespace":"{ns}"}},"subsets":[{{"addresses":[{{"ip":"10.1.{}.{}"}}],"ports":[{{"port":8080}}]}}]}}"#,
            i / 250,
            i % 250
        ));
    }
    let list =
        |items: &[String]| format!("{{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{}]}}", items.join(",\n"));
    let whole = list(&items);
    assert!(whole.len() > 2 << 20, "the list must be large enough to be pipelined: {} bytes", whole.len());
    let parts: Vec<SourceFile> = items
        .chunks(1500)
        .enumerate()
        .map(|(k, chunk)| {
            let text = list(chunk);
            assert!(text.len() < 1 << 20, "each part must be read in line");
            SourceFile::new(format!("part{k:02}.json"), text)
        })
        .collect();
    let settings = routec_core::Settings::new();
    let summary = |out: routec_core::Output| {
        let mut s: Vec<String> = out.files.into_iter().map(|f| format!("{}\n{}", f.path, f.contents)).collect();
        // The status lists the input files, which differ by design.
        let status = out.status.to_yaml();
        s.push(status.lines().filter(|l| !l.ends_with(".json")).collect::<Vec<_>>().join("\n"));
        s.extend(out.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)));
        s
    };
    let one = summary(compile(&[SourceFile::new("all.json", whole)], &settings, &Options::default()));
    let many = summary(compile(&parts, &settings, &Options::default()));
    assert!(one.iter().any(|l| l.starts_with("routec::input::unknown-field")), "the misspelt fields are reported");
    assert_eq!(one.len(), many.len(), "as many files and diagnostics");
    for (a, b) in one.iter().zip(&many) {
        if a != b {
            let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let from = at.saturating_sub(200);
            panic!(
                "first difference at byte {at}:\n{}\n---\n{}",
                &a[from..(at + 200).min(a.len())],
                &b[from..(at + 200).min(b.len())]
            );
        }
    }
}
