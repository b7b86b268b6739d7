//! Every annotation the router reads (the table of spec §6.1 in `../shared/spec`) has an entry
//! in the annotation registry.

mod common;

#[test]
fn every_spec_annotation_has_a_registry_entry() {
    let spec = std::fs::read_to_string(common::shared().join("spec/openshift-router.md")).expect("router spec");
    let table =
        spec.split("### 6.1 Summary").nth(1).and_then(|rest| rest.split("### 6.2").next()).expect("the §6.1 table");
    let mut keys = Vec::new();
    for line in table.lines().filter(|l| l.starts_with("| `")) {
        let Some(first) = line.split('`').nth(1) else { continue };
        // `…rate-limit-connections.concurrent-tcp` abbreviates the common prefix.
        let key = first.replace('…', "haproxy.router.openshift.io/");
        if key.contains('/') && !key.starts_with("idling.") {
            keys.push(key);
        }
    }
    assert!(keys.len() >= 19, "parsed only {} annotations from §6.1: {keys:?}", keys.len());
    let missing: Vec<&String> = keys.iter().filter(|k| routec_core::annotations::lookup(k).is_none()).collect();
    assert!(missing.is_empty(), "annotations without a registry entry: {missing:?}");
}
