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
