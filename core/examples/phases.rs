//! Times the compile phases on one input file and prints resident memory after each
//! (development aid for the benchmark targets).
#![allow(clippy::print_stdout, clippy::disallowed_methods, reason = "a development tool")]

use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_mib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

fn main() {
    let path = std::env::args().nth(1).expect("input file");
    let text = std::fs::read_to_string(&path).expect("read");
    println!("read: peak {} MiB", rss_mib());
    let src = routec_core::SourceFile::new(path, text);
    let t = Instant::now();
    let mut d = routec_core::diag::Diagnostics::default();
    let mut objs = routec_core::loader::load(std::slice::from_ref(&src), &mut d);
    println!("load: {:?} ({} routes) peak {} MiB", t.elapsed(), objs.routes.len(), rss_mib());
    let mut s = routec_core::Settings::new();
    s.set("ROUTER_METRICS_TYPE", "haproxy");
    let t = Instant::now();
    let tables = routec_core::endpoints::build(&mut objs, &s, &mut d);
    println!("endpoints: {:?} peak {} MiB", t.elapsed(), rss_mib());
    drop((objs, tables));
    let t = Instant::now();
    let out = routec_core::compile(std::slice::from_ref(&src), &s, &routec_core::Options::default());
    println!("compile total: {:?} ({} files) peak {} MiB", t.elapsed(), out.files.len(), rss_mib());
}
