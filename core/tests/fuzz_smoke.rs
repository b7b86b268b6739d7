//! The fuzz targets' smoke run on stable: every body of fuzz/bodies.rs over its seed corpus
//! (fixtures/ and ../shared, fuzz/seeds.rs) plus a fixed number of deterministic mutations of
//! it (byte flips, dictionary words from fuzz/routec.dict, deletions, duplications, splices),
//! so CI checks every target without building libFuzzer. A failing input is written to
//! `target/fuzz-smoke/<target>-<n>` to replay with `cargo fuzz run <target> FILE`.
//! `ROUTEC_FUZZ_MUTATIONS` changes the number of mutations per target (default 300);
//! `ROUTEC_FUZZ_WRITE_CORPUS=DIR` writes the seed corpora to `DIR/<target>/` (fuzz/seed.sh);
//! `ROUTEC_FUZZ_ONLY=a,b` runs only those targets.

#[path = "../../fuzz/bodies.rs"]
mod bodies;
#[path = "../../fuzz/seeds.rs"]
mod seeds;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};

#[expect(clippy::print_stdout, reason = "the counts are the smoke run's report")]
fn report(line: &str) {
    println!("{line}");
}

/// xorshift64*: the same mutations on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }
}

/// The words of a libFuzzer dictionary (`"..."` lines with `\\`, `\"` and `\xNN` escapes).
fn dictionary() -> Vec<Vec<u8>> {
    let text = fs::read_to_string(seeds::root().join("fuzz/routec.dict")).expect("fuzz/routec.dict");
    let mut out = Vec::new();
    for line in text.lines().filter(|l| l.starts_with('"') && l.ends_with('"') && l.len() >= 2) {
        let b = &line.as_bytes()[1..line.len() - 1];
        let mut w = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'x')) => {
                    let hex = std::str::from_utf8(b.get(i + 2..i + 4).unwrap_or_default()).unwrap_or("");
                    w.push(u8::from_str_radix(hex, 16).expect("\\x escape"));
                    i += 4;
                }
                (b'\\', Some(&c)) => {
                    w.push(c);
                    i += 2;
                }
                (c, _) => {
                    w.push(c);
                    i += 1;
                }
            }
        }
        out.push(w);
    }
    out
}

/// One to four edits of `base`, some taking from `other`.
fn mutate(rng: &mut Rng, base: &[u8], other: &[u8], dict: &[Vec<u8>]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let w = &dict[rng.below(dict.len())];
                v.splice(at..at, w.iter().copied());
            }
            3 => {
                let end = (at + rng.below(32)).min(v.len());
                v.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(64)).min(v.len());
                let piece = v[at..end].to_vec();
                v.splice(at..at, piece);
            }
            _ if !other.is_empty() => {
                let s = rng.below(other.len());
                let e = (s + rng.below(256)).min(other.len());
                v.splice(at..at, other[s..e].iter().copied());
            }
            _ => {}
        }
    }
    v.truncate(64 * 1024);
    v
}

#[test]
fn every_target_survives_its_seeds_and_mutations() {
    if let Ok(dir) = std::env::var("ROUTEC_FUZZ_WRITE_CORPUS") {
        for (name, _) in bodies::TARGETS {
            let d = std::path::Path::new(&dir).join(name);
            fs::create_dir_all(&d).expect("corpus dir");
            for (i, s) in seeds::of(name).iter().enumerate() {
                fs::write(d.join(format!("seed-{i:04}")), s).expect("seed written");
            }
        }
    }
    let mutations: usize = std::env::var("ROUTEC_FUZZ_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let dict = dictionary();
    let out_dir = seeds::root().join("target/fuzz-smoke");
    let mut failures = Vec::new();
    // The panics are the findings; keep the default hook from printing each one.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let only = std::env::var("ROUTEC_FUZZ_ONLY").unwrap_or_default();
    for (name, body) in bodies::TARGETS {
        if !only.is_empty() && !only.split(',').any(|o| o == *name) {
            continue;
        }
        let seeds = seeds::of(name);
        assert!(!seeds.is_empty(), "{name}: no seeds");
        let mut rng =
            Rng(0x9e37_79b9_7f4a_7c15 ^ name.bytes().fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))));
        let mut inputs: Vec<Vec<u8>> = seeds.clone();
        for _ in 0..mutations {
            let (a, b) = (rng.below(seeds.len()), rng.below(seeds.len()));
            inputs.push(mutate(&mut rng, &seeds[a], &seeds[b], &dict));
        }
        let mut failed = 0;
        for input in &inputs {
            if let Err(e) = catch_unwind(AssertUnwindSafe(|| body(input))) {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                let _ = fs::create_dir_all(&out_dir);
                let file = out_dir.join(format!("{name}-{failed}"));
                let _ = fs::write(&file, input);
                failed += 1;
                if failed <= 3 {
                    failures.push(format!(
                        "{name}: {} ({})",
                        msg.chars().take(400).collect::<String>(),
                        file.display()
                    ));
                }
            }
        }
        report(&format!("fuzz smoke {name}: {} inputs ({} seeds), {failed} failed", inputs.len(), seeds.len()));
    }
    std::panic::set_hook(hook);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
