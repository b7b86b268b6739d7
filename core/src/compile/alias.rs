//! The router's per-route model (`ServiceAliasConfig`, spec §1.6) and the numbers computed from
//! it at render time: per-server weights (§3.5), active service units and active endpoints.

use std::collections::BTreeMap;

use crate::endpoints::{Record, Tables};
use crate::gotext::md5_hex;
use crate::objects::Route;

/// One admitted route, ready to render.
pub struct Alias<'a> {
    /// The route.
    pub route: &'a Route,
    /// `ns:name`.
    pub key: String,
    /// Termination ("", edge, reencrypt, passthrough).
    pub termination: &'a str,
    /// Insecure edge termination policy.
    pub policy: &'a str,
    /// Wildcard route (router allows wildcards and policy is Subdomain).
    pub wildcard: bool,
    /// md5 of `" ns:name"`.
    pub routing_key: String,
    /// `ns/svc` → route weight, clamped.
    pub units: BTreeMap<String, i64>,
    /// Per-server weight of each service with matching endpoints.
    pub server_weights: BTreeMap<String, i32>,
    /// Port-filtered endpoint records by service.
    pub servers: BTreeMap<String, Vec<&'a Record>>,
    /// Services with weight > 0.
    pub active_units: usize,
    /// Matching endpoints of services with weight > 0.
    pub active_endpoints: usize,
}

impl<'a> Alias<'a> {
    /// Builds the model of an admitted route.
    pub fn new(route: &'a Route, tables: &'a Tables, wildcards_allowed: bool) -> Self {
        let ns = route.meta.namespace.as_str();
        let key = route.key();
        let mut units = BTreeMap::new();
        for b in std::iter::once(&route.to).chain(&route.alternates) {
            units.insert(format!("{ns}/{}", b.name.value), b.weight.clamp(0, 256));
        }
        let prefer = route.target_port.as_ref().map_or("", |p| p.as_str());
        let mut servers = BTreeMap::new();
        for svc in units.keys() {
            let recs: Vec<&Record> = tables
                .by_service
                .get(svc)
                .map(|rs| {
                    rs.iter().filter(|r| prefer.is_empty() || r.port_name == prefer || r.port == prefer).collect()
                })
                .unwrap_or_default();
            if !recs.is_empty() {
                servers.insert(svc.clone(), recs);
            }
        }
        let counts: BTreeMap<String, usize> = servers.iter().map(|(k, v)| (k.clone(), v.len())).collect();
        let server_weights = weights(&units, &counts);
        let active_units = units.values().filter(|w| **w > 0).count();
        let active_endpoints =
            units.iter().filter(|(_, w)| **w > 0).map(|(s, _)| counts.get(s).copied().unwrap_or(0)).sum();
        let termination = route.termination();
        Alias {
            route,
            routing_key: md5_hex(&format!(" {key}")),
            key,
            termination,
            policy: route.insecure_policy(),
            wildcard: wildcards_allowed && route.wildcard_policy.as_str() == "Subdomain",
            units,
            server_weights,
            servers,
            active_units,
            active_endpoints,
        }
    }

    /// An annotation value, "" when absent.
    pub fn ann(&self, key: &str) -> &'a str {
        self.route.meta.annotation(key).map_or("", |s| s.as_str())
    }

    /// An annotation value that is safe to emit: "" when it holds CR, LF or NUL.
    pub fn ann_clean(&self, key: &str) -> &'a str {
        let v = self.ann(key);
        if super::guard::clean(v) {
            v
        } else {
            ""
        }
    }

    /// The backend name prefix.
    pub fn prefix(&self) -> &'static str {
        match self.termination {
            "edge" => "be_edge_http",
            "reencrypt" => "be_secure",
            "passthrough" => "be_tcp",
            _ => "be_http",
        }
    }

    /// `<prefix>:<ns>:<name>`.
    pub fn backend_name(&self) -> String {
        format!("{}:{}", self.prefix(), self.key)
    }
}

/// The router's `calculateServiceWeights`, with its f32 arithmetic.
pub fn weights(units: &BTreeMap<String, i64>, counts: &BTreeMap<String, usize>) -> BTreeMap<String, i32> {
    let mut out = BTreeMap::new();
    let mut active = 0;
    for (svc, w) in units {
        if counts.get(svc).copied().unwrap_or(0) == 0 {
            continue;
        }
        if *w > 0 {
            active += 1;
            out.insert(svc.clone(), 1);
        } else {
            out.insert(svc.clone(), 0);
        }
    }
    if active == 1 {
        return out;
    }
    let mut ep_w = BTreeMap::new();
    let mut max = 0f32;
    for (svc, w) in units {
        let n = counts.get(svc).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        #[expect(clippy::cast_precision_loss, reason = "the router computes in f32 on purpose")]
        let e = *w as f32 / n as f32;
        max = max.max(e);
        ep_w.insert(svc.clone(), e);
    }
    let scale = if max > 0.0 { 256.0f32 / max } else { 0.0 };
    for (svc, e) in ep_w {
        #[expect(clippy::cast_possible_truncation, reason = "truncation toward zero is the router's rule")]
        let mut r = (e * scale) as i32;
        if e > 0.0 && r < 1 {
            r = 1;
        }
        out.insert(svc, r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calc(ws: &[i64], ns: &[usize]) -> Vec<Option<i32>> {
        let names: Vec<String> = (0..ws.len()).map(|i| format!("ns/s{i}")).collect();
        let units = names.iter().cloned().zip(ws.iter().copied()).collect();
        let counts = names.iter().cloned().zip(ns.iter().copied()).collect();
        let out = weights(&units, &counts);
        names.iter().map(|n| out.get(n).copied()).collect()
    }

    #[test]
    fn spec_weight_table() {
        let s = |v: &[i32]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
        assert_eq!(calc(&[50, 50], &[1, 1]), s(&[256, 256]));
        assert_eq!(calc(&[25, 75], &[1, 1]), s(&[85, 256]));
        assert_eq!(calc(&[50, 50], &[2, 1]), s(&[128, 256]));
        assert_eq!(calc(&[20, 60], &[2, 1]), s(&[42, 256]));
        assert_eq!(calc(&[3, 256], &[5, 1]), s(&[1, 256]));
        assert_eq!(calc(&[50], &[2]), s(&[1]));
        assert_eq!(calc(&[0], &[2]), s(&[0]));
        assert_eq!(calc(&[50, 0], &[2, 1]), s(&[1, 0]));
        assert_eq!(calc(&[0, 0], &[2, 1]), s(&[0, 0]));
        assert_eq!(calc(&[0, 100, 0], &[2, 1, 1]), s(&[0, 1, 0]));
        assert_eq!(calc(&[100, 100], &[0, 1]), vec![None, Some(1)]);
        assert_eq!(calc(&[100, 1], &[1, 1]), s(&[256, 2]));
        assert_eq!(calc(&[3, 1], &[2, 3]), s(&[256, 56]));
        assert_eq!(calc(&[100, 50, 25], &[1, 1, 1]), s(&[256, 128, 64]));
        assert_eq!(calc(&[100, 100], &[3, 7]), s(&[256, 109]));
        assert_eq!(calc(&[7, 3], &[3, 1]), s(&[199, 256]));
        assert_eq!(calc(&[1, 3], &[3, 1]), s(&[28, 256]));
        assert_eq!(calc(&[33, 67], &[3, 3]), s(&[126, 256]));
        assert_eq!(calc(&[100, 50], &[2, 1]), s(&[256, 256]));
    }
}
