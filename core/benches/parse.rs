//! Criterion benchmark of reading a config back: lexing, evaluating and modelling the
//! haproxy.config compiled from the 10k-route bench input (`.ci/bench-parse` writes it), and
//! the lossless lex + print round trip. `.ci/bench-parse` runs `haproxy -c` on the same file.
#![allow(clippy::disallowed_methods, clippy::print_stderr, reason = "a benchmark reads its inputs")]

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use routec_core::hap::cook::Env;
use routec_core::hap::lex::{lex, print};
use routec_core::hap::model::{build, Bundle};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let dir =
        std::env::var_os("ROUTEC_BENCH_DIR").map_or_else(|| PathBuf::from("../target/bench-inputs"), PathBuf::from);
    let path = dir.join("10000/compiled/conf/haproxy.config");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipping {}: run .ci/bench-parse to generate it", path.display());
        return;
    };
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    let bundle = Bundle { config: ("haproxy.config".into(), bytes.clone()), ..Bundle::default() };
    group.bench_function("10000-routes-model", |b| b.iter(|| build(&bundle, &Env::default())));
    group.bench_function("10000-routes-lossless-roundtrip", |b| b.iter(|| print(&bytes, &lex(&bytes)).len()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
