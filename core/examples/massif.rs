fn main() {
    let path = std::env::args().nth(1).expect("input");
    let text = std::fs::read_to_string(&path).expect("read");
    let src = routec_core::SourceFile::new(path, text);
    let mut s = routec_core::Settings::new();
    s.set("ROUTER_METRICS_TYPE", "haproxy");
    s.set("STATS_PORT", "1936");
    let out = routec_core::compile(std::slice::from_ref(&src), &s, &routec_core::Options::default());
    println!("{}", out.files.len());
}
