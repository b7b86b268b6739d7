//! Criterion benchmarks per phase of the 10k-route compile, so a regression shows up where it
//! happens: `load` (reading the JSON or YAML into objects), `admit` (validation, endpoints,
//! admission) and `emit` (the built-in emitter), each timed inside one compile through
//! `Options::on_phase`; and `verify`, the core of `routec verify`: compile, read both configs
//! back into models, and compare them. `.ci/bench` generates the inputs into `ROUTEC_BENCH_DIR`.
#![allow(clippy::disallowed_methods, clippy::print_stderr, reason = "a benchmark reads its inputs and a clock")]

use std::cell::RefCell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use routec_core::hap::cook::Env;
use routec_core::hap::diff::diff;
use routec_core::hap::model::build;
use routec_core::{compile, hap, Options, Settings, SourceFile};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long each stage took, by name.
type Stages = Vec<(&'static str, Duration)>;

thread_local! {
    /// When the last stage ended, and the stages of this compile so far.
    static CLOCK: RefCell<(Option<Instant>, Stages)> = const { RefCell::new((None, Vec::new())) };
}

fn on_phase(name: &'static str) {
    CLOCK.with(|c| {
        let mut c = c.borrow_mut();
        let now = Instant::now();
        if let Some(t) = c.0 {
            c.1.push((name, now - t));
        }
        c.0 = Some(now);
    });
}

/// One compile, timed stage by stage; the load stage starts with the compile itself.
fn stages(src: &[SourceFile], s: &Settings, opts: &Options) -> Stages {
    CLOCK.with(|c| *c.borrow_mut() = (Some(Instant::now()), Vec::new()));
    std::hint::black_box(compile(src, s, opts));
    CLOCK.with(|c| std::mem::take(&mut c.borrow_mut().1))
}

fn settings() -> Settings {
    let mut s = Settings::new();
    s.set("ROUTER_METRICS_TYPE", "haproxy");
    s.set("STATS_PORT", "1936");
    s
}

fn bench(c: &mut Criterion) {
    let dir =
        std::env::var_os("ROUTEC_BENCH_DIR").map_or_else(|| PathBuf::from("../target/bench-inputs"), PathBuf::from);
    let s = settings();
    let opts = Options { on_phase: Some(on_phase), ..Options::default() };
    let mut group = c.benchmark_group("phases");
    group.sample_size(10);
    for ext in ["json", "yaml"] {
        let path = dir.join("10000").join(format!("objects.{ext}"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipping {}: run .ci/bench to generate it", path.display());
            continue;
        };
        let src = [SourceFile::new(format!("objects.{ext}"), text)];
        let stages_of = if ext == "json" { &["load", "admit", "emit"][..] } else { &["load"][..] };
        for stage in stages_of {
            group.bench_function(format!("10000-routes-{ext}-{stage}"), |b| {
                b.iter_custom(|iters| {
                    (0..iters)
                        .map(|_| {
                            stages(&src, &s, &opts)
                                .into_iter()
                                .find(|(n, _)| n == stage)
                                .map_or_else(Duration::default, |(_, d)| d)
                        })
                        .sum()
                });
            });
        }
        if ext == "json" {
            // What `routec verify` does once the files are read: compile, then both models and
            // their comparison (here against an identical router, the common case).
            let theirs = hap::bundle_from_output(&compile(&src, &s, &Options::default()).files);
            group.bench_function("10000-routes-verify", |b| {
                b.iter(|| {
                    let ours = hap::bundle_from_output(&compile(&src, &s, &Options::default()).files);
                    let (a, _) = build(&ours, &Env::default());
                    let (b, _) = build(&theirs, &Env::default());
                    diff(&a, &b).len()
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
