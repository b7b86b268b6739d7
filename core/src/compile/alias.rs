//! The router's per-route model (`ServiceAliasConfig`, spec §1.6) and the numbers computed from
//! it at render time: per-server weights (§3.5), active service units and active endpoints.

use crate::annotations::RouteAnnotations;
use crate::endpoints::{Record, Tables};
use crate::gotext::md5_hex;
use crate::objects::{InsecurePolicy, Route, Termination};

/// One service unit of a route (`to` or an alternate backend).
pub struct Unit<'a> {
    /// `ns/svc`.
    pub key: String,
    /// Route weight, clamped to 0..=256.
    pub weight: i64,
    /// The service's endpoint records that match the route's target port.
    pub servers: Vec<&'a Record>,
    /// The weight of each of those servers; `None` when the service has no matching endpoints.
    pub server_weight: Option<i32>,
}

impl Unit<'_> {
    /// The service name without the namespace.
    pub fn service(&self) -> &str {
        self.key.split_once('/').map_or(self.key.as_str(), |(_, n)| n)
    }
}

/// One admitted route, ready to render: the seam between admission and the emitters, which
/// read its typed values and never the route's strings.
pub struct Alias<'a> {
    /// The route.
    pub route: &'a Route,
    /// Its annotations, parsed when it was read.
    pub ann: &'a RouteAnnotations,
    /// `ns:name`.
    pub key: String,
    /// Termination.
    pub termination: Termination,
    /// Insecure edge termination policy.
    pub policy: InsecurePolicy,
    /// Wildcard route (router allows wildcards and policy is Subdomain).
    pub wildcard: bool,
    /// md5 of `" ns:name"`.
    pub routing_key: String,
    /// Service units in ascending key order (the order servers are emitted in).
    pub units: Vec<Unit<'a>>,
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
        let prefer = route.target_port.as_ref().map_or("", |p| p.as_str());
        let mut units: Vec<Unit<'a>> = Vec::with_capacity(1 + route.alternates.len());
        for b in std::iter::once(&route.to).chain(&route.alternates) {
            let ukey = format!("{ns}/{}", b.name.value);
            let weight = b.weight.clamp(0, 256);
            // A later entry for the same service overwrites the earlier one, as in the router's map.
            if let Some(u) = units.iter_mut().find(|u| u.key == ukey) {
                u.weight = weight;
                continue;
            }
            let servers = tables
                .by_service
                .get(&ukey)
                .map(|rs| {
                    rs.iter().filter(|r| prefer.is_empty() || r.port_name == prefer || r.port == prefer).collect()
                })
                .unwrap_or_default();
            units.push(Unit { key: ukey, weight, servers, server_weight: None });
        }
        crate::sort::sort_by(&mut units, |a, b| a.key.cmp(&b.key));
        let shares: Vec<(i64, usize)> = units.iter().map(|u| (u.weight, u.servers.len())).collect();
        for (u, w) in units.iter_mut().zip(weights(&shares)) {
            u.server_weight = w;
        }
        let active_units = units.iter().filter(|u| u.weight > 0).count();
        let active_endpoints = units.iter().filter(|u| u.weight > 0).map(|u| u.servers.len()).sum();
        Alias {
            route,
            ann: route.ann(),
            routing_key: md5_hex(&format!(" {key}")),
            key,
            termination: route.termination(),
            policy: InsecurePolicy::parse(route.insecure_policy()),
            wildcard: wildcards_allowed && route.wildcard_policy.as_str() == "Subdomain",
            units,
            active_units,
            active_endpoints,
        }
    }

    /// True when no service has a matching endpoint.
    pub fn has_no_servers(&self) -> bool {
        self.units.iter().all(|u| u.servers.is_empty())
    }

    /// `<prefix>:<ns>:<name>`.
    pub fn backend_name(&self) -> String {
        format!("{}:{}", self.termination.backend_prefix(), self.key)
    }
}

/// The router's `calculateServiceWeights`, with its f32 arithmetic. Takes each service's
/// `(route weight, matching endpoints)` and returns each service's per-server weight, `None`
/// for services without matching endpoints.
pub fn weights(units: &[(i64, usize)]) -> Vec<Option<i32>> {
    let active = units.iter().filter(|(w, n)| *n > 0 && *w > 0).count();
    if active == 1 {
        return units.iter().map(|(w, n)| (*n > 0).then_some(i32::from(*w > 0))).collect();
    }
    #[expect(clippy::cast_precision_loss, reason = "the router computes in f32 on purpose")]
    let ep_w: Vec<Option<f32>> = units.iter().map(|(w, n)| (*n > 0).then(|| *w as f32 / *n as f32)).collect();
    let max = ep_w.iter().flatten().fold(0f32, |m, e| m.max(*e));
    let scale = if max > 0.0 { 256.0f32 / max } else { 0.0 };
    ep_w.into_iter()
        .map(|e| {
            e.map(|e| {
                #[expect(clippy::cast_possible_truncation, reason = "truncation toward zero is the router's rule")]
                let r = (e * scale) as i32;
                if e > 0.0 && r < 1 {
                    1
                } else {
                    r
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calc(ws: &[i64], ns: &[usize]) -> Vec<Option<i32>> {
        let units: Vec<(i64, usize)> = ws.iter().copied().zip(ns.iter().copied()).collect();
        weights(&units)
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
