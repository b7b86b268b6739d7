//! Criterion benchmarks of the core compile on the `../shared/bench` inputs. `.ci/bench`
//! generates them (JSON and YAML) into `ROUTEC_BENCH_DIR`; sizes that are missing are skipped.
#![allow(clippy::disallowed_methods, clippy::print_stderr, reason = "a benchmark reads its inputs")]

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use routec_core::{compile, Options, Settings, SourceFile};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn dir() -> PathBuf {
    std::env::var_os("ROUTEC_BENCH_DIR").map_or_else(|| PathBuf::from("../target/bench-inputs"), PathBuf::from)
}

fn settings() -> Settings {
    let mut s = Settings::new();
    s.set("ROUTER_METRICS_TYPE", "haproxy");
    s.set("STATS_PORT", "1936");
    s
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    group.sample_size(10);
    for n in ["1000", "10000"] {
        for ext in ["json", "yaml"] {
            let path = dir().join(n).join(format!("objects.{ext}"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                eprintln!("skipping {}: run .ci/bench to generate it", path.display());
                continue;
            };
            let src = [SourceFile::new(format!("objects.{ext}"), text)];
            let s = settings();
            let opts = Options::default();
            group.bench_function(format!("{n}-routes-{ext}"), |b| b.iter(|| compile(&src, &s, &opts)));
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
