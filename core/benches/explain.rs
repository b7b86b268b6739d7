//! Criterion benchmark of one explain query after the 10k-route config of the bench input is
//! loaded (`.ci/bench-parse` writes it): a routed http request, an https request through SNI
//! termination, and a miss that ends at the default backend. Loading is measured separately.
#![allow(clippy::disallowed_methods, clippy::print_stderr, reason = "a benchmark reads its inputs")]

use routec_core::sorted::Map;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use routec_core::explain::{parse_request, Session, Sni};
use routec_core::hap::model::Bundle;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let dir =
        std::env::var_os("ROUTEC_BENCH_DIR").map_or_else(|| PathBuf::from("../target/bench-inputs"), PathBuf::from);
    let conf = dir.join("10000/compiled/conf");
    let Ok(config) = std::fs::read(conf.join("haproxy.config")) else {
        eprintln!("skipping {}: run .ci/bench-parse to generate it", conf.display());
        return;
    };
    let mut bundle = Bundle { config: ("haproxy.config".into(), config), ..Bundle::default() };
    for e in std::fs::read_dir(&conf).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".map") {
            bundle.files.insert(name, std::fs::read(e.path()).unwrap_or_default());
        }
    }
    // The last entry of each map is the worst case for a first-match scan.
    let last_host = |map: &str| {
        let text = String::from_utf8_lossy(bundle.files.get(map).map_or(&[][..], Vec::as_slice)).into_owned();
        let key = text.lines().last().unwrap_or_default().split_whitespace().next().unwrap_or_default().to_owned();
        let body = key.trim_start_matches('^');
        let (host, rest) = body.split_once(r"\.?(:[0-9]+)?").unwrap_or((body, ""));
        let path = rest.trim_end_matches('$').trim_end_matches("(/.*)?");
        format!("{}{}", host.replace('\\', ""), if path.is_empty() { "/".to_owned() } else { path.replace('\\', "") })
    };
    let http_host = last_host("os_http_be.map");
    let tls_host = last_host("os_edge_reencrypt_be.map");
    let mut group = c.benchmark_group("explain");
    group.sample_size(10);
    group.bench_function("10000-routes-load", |b| b.iter(|| Session::from_bundle(&bundle, Map::new(), None)));
    group.finish();
    let session = Session::from_bundle(&bundle, Map::new(), None);
    let ex = session.explainer();
    let mut group = c.benchmark_group("explain-query");
    for (name, url) in [
        ("http-last-route", format!("http://{http_host}")),
        ("https-last-route", format!("https://{tls_host}")),
        ("miss", "http://no-such-host.invalid/".to_owned()),
    ] {
        let req = parse_request(&url, &Sni::FromHost, Some("10.0.0.1"), &[]).expect("url");
        group.bench_function(name, |b| b.iter(|| ex.explain(&req)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
