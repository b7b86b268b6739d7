//! libFuzzer target `yaml_fast`: the body in fuzz/bodies.rs.
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::differential::yaml_fast(data));
