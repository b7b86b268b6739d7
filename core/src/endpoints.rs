//! Endpoint tables: EndpointSlices (or Endpoints, with `ROUTER_WATCH_ENDPOINTS`) turned into the
//! router's per-service list of server records (spec §1.3–1.4), including address filtering,
//! the EndpointSlice mirroring the cluster does for bare Endpoints, and un-idling.

use crate::hash::{FastMap, FastSet};
use crate::sorted::Map;
use std::net::IpAddr;

use crate::diag::{Diagnostic, Diagnostics};
use crate::gotext::md5_hex;
use crate::objects::{Address, Objects, Port, Service, Subset};
use crate::settings::Settings;

/// One server record of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `pod:<pod>:<svc>:<portName>:<ip>:<port>` or `ept:<svc>:<portName>:<ip>:<port>`.
    pub id: String,
    /// The address as emitted (IPv6 in brackets).
    pub ip: String,
    /// The port number in decimal.
    pub port: String,
    /// The port name.
    pub port_name: String,
    /// The port's appProtocol.
    pub app_protocol: String,
    /// MD5 of the ID: the sticky-cookie value.
    pub id_hash: String,
    /// True only for the idled service's cluster-IP record.
    pub no_health_check: bool,
}

/// Endpoint tables by service-unit key `ns/svc`. A service with no table has no endpoints event.
#[derive(Debug, Default)]
pub struct Tables {
    /// Records by `ns/svc`.
    pub by_service: FastMap<String, Vec<Record>>,
    /// Notes for status.yaml's `derived` list, in input order.
    pub derived: Vec<String>,
    /// Idled services without a cluster IP (`routerErrors`).
    pub errors: Vec<String>,
}

/// Builds every service's endpoint table. The addresses of Endpoints objects are moved into
/// the tables rather than copied; the objects are not needed afterwards.
pub fn build(objs: &mut Objects, settings: &Settings, diags: &mut Diagnostics) -> Tables {
    let mut tables = Tables::default();
    for e in &mut objs.endpoints {
        e.subsets = repack(std::mem::take(&mut e.subsets));
    }
    let subsets_by_svc = if settings.is_true("ROUTER_WATCH_ENDPOINTS") {
        from_endpoints(objs)
    } else {
        from_slices(objs, &mut tables.derived)
    };
    let services: FastMap<(&str, &str), &Service> =
        objs.services.iter().map(|s| ((s.meta.namespace.as_str(), s.meta.name.as_str()), &**s)).collect();
    for ((ns, svc), mut subsets) in subsets_by_svc {
        for s in &mut subsets {
            filter_addresses(&mut s.addresses, diags);
            filter_addresses(&mut s.not_ready, diags);
        }
        let mut idled = false;
        if subsets.iter().all(|s| s.addresses.is_empty()) {
            if let Some(service) = services.get(&(ns.as_str(), svc.as_str())) {
                let idled_at =
                    service.meta.annotation("idling.alpha.openshift.io/idled-at").is_some_and(|v| !v.is_empty());
                if idled_at {
                    if service.cluster_ip.is_empty() || service.cluster_ip == "None" {
                        tables.errors.push(format!(
                            "headless service {ns}/{svc} was marked as idled, but cannot setup unidling without a cluster IP"
                        ));
                    } else {
                        idled = true;
                        subsets = vec![Subset {
                            addresses: vec![Address { ip: service.cluster_ip.clone(), ..Address::default() }],
                            not_ready: Vec::new(),
                            ports: service.ports.clone(),
                        }];
                    }
                }
            }
        }
        let records = records(&svc, &subsets, idled);
        tables.by_service.insert(format!("{ns}/{svc}"), records);
    }
    tables
}

/// The router's endpoint ID (`pod:target:service:port-name:ip:port`, or `ept:` without the
/// target), written into one buffer of the right size: a large compile makes one per server.
fn record_id(a: &Address, svc: &str, p: &Port) -> String {
    let port = p.port.to_string();
    let pod_parts;
    let ept_parts;
    let (tag, parts): (&str, &[&str]) = if a.target_kind == "Pod" {
        pod_parts = [a.target_name.as_str(), svc, &p.name, &a.ip, &port];
        ("pod", &pod_parts)
    } else {
        ept_parts = [svc, &p.name, &a.ip, &port];
        ("ept", &ept_parts)
    };
    let mut id = String::with_capacity(tag.len() + parts.iter().map(|s| s.len() + 1).sum::<usize>());
    id.push_str(tag);
    for part in parts {
        id.push(':');
        id.push_str(part);
    }
    id
}

fn records(svc: &str, subsets: &[Subset], idled: bool) -> Vec<Record> {
    let mut out = Vec::new();
    let mut seen = FastSet::default();
    for s in subsets {
        for p in &s.ports {
            if p.protocol == "UDP" {
                continue;
            }
            for a in &s.addresses {
                let id = record_id(a, svc, p);
                // Duplicates are rare: scan small tables, hash large ones.
                let dup = if out.len() < 32 {
                    out.iter().any(|r: &Record| r.id == id)
                } else {
                    if seen.is_empty() {
                        seen.extend(out.iter().map(|r: &Record| r.id.clone()));
                    }
                    !seen.insert(id.clone())
                };
                if dup {
                    continue;
                }
                let ip = server_address(&a.ip);
                out.push(Record {
                    id_hash: md5_hex(&id),
                    id,
                    ip,
                    port: p.port.to_string(),
                    port_name: p.name.clone(),
                    app_protocol: p.app_protocol.clone(),
                    no_health_check: idled,
                });
            }
        }
    }
    out
}

/// The API server's `RepackSubsets` + `SortSubsets` on an Endpoints object: addresses (distinct
/// by IP and target UID; not-ready on a port wins over ready) are grouped by the exact set of
/// ports they serve, so two subsets with the same ports become one, and each subset's addresses
/// are sorted by IP text, then UID. Kubernetes then orders ports and subsets by a hash of their
/// contents; here they stay in the order they first appear in the input (documented in the
/// README), which the router's output depends on only when one service has several subsets.
pub fn repack(subsets: Vec<Subset>) -> Vec<Subset> {
    type PortKey = (String, i64, String, String);
    let port_key = |p: &Port| (p.name.clone(), p.port, p.protocol.clone(), p.app_protocol.clone());
    // Distinct addresses in first-seen order, and per port (in first-seen order; a subset
    // without ports uses a sentinel) the addresses that serve it with their readiness.
    let mut addrs: Vec<Address> = Vec::new();
    let mut addr_index: FastMap<(String, String), usize> = FastMap::default();
    // Per port, one readiness per address index: absent, not ready or ready. Dense rather than
    // a map: a map per element type costs the wasm module kilobytes, and the lists are short.
    let mut ports: Vec<(Option<Port>, Vec<Ready>)> = Vec::new();
    let mut port_index: FastMap<Option<PortKey>, usize> = FastMap::default();
    for s in subsets {
        let subset_ports: Vec<Option<Port>> =
            if s.ports.is_empty() { vec![None] } else { s.ports.into_iter().map(Some).collect() };
        let members: Vec<(usize, bool)> = s
            .addresses
            .into_iter()
            .map(|a| (a, true))
            .chain(s.not_ready.into_iter().map(|a| (a, false)))
            .map(|(a, ready)| {
                let key = (a.ip.clone(), a.target_uid.clone());
                let idx = *addr_index.entry(key).or_insert_with(|| {
                    addrs.push(a);
                    addrs.len() - 1
                });
                (idx, ready)
            })
            .collect();
        // A port without addresses leaves no trace, as in Kubernetes.
        if members.is_empty() {
            continue;
        }
        for p in subset_ports {
            let key = p.as_ref().map(port_key);
            let pi = *port_index.entry(key).or_insert_with(|| {
                ports.push((p, Vec::new()));
                ports.len() - 1
            });
            let Some((_, set)) = ports.get_mut(pi) else { continue };
            set.resize(addrs.len(), Ready::Absent);
            for &(idx, ready) in &members {
                if let Some(slot) = set.get_mut(idx) {
                    *slot = match (*slot, ready) {
                        (Ready::Absent | Ready::Yes, true) => Ready::Yes,
                        _ => Ready::No,
                    };
                }
            }
        }
    }
    // Ports that serve exactly the same addresses (with the same readiness) share a subset.
    let mut groups: Vec<(Vec<Ready>, Vec<Port>)> = Vec::new();
    for (port, mut set) in ports {
        set.resize(addrs.len(), Ready::Absent);
        let gi = match groups.iter().position(|(g, _)| *g == set) {
            Some(gi) => gi,
            None => {
                groups.push((set, Vec::new()));
                groups.len() - 1
            }
        };
        if let (Some(p), Some((_, list))) = (port, groups.get_mut(gi)) {
            list.push(p);
        }
    }
    groups
        .into_iter()
        .map(|(set, ports)| {
            let mut s = Subset { addresses: Vec::new(), not_ready: Vec::new(), ports };
            for (a, ready) in addrs.iter().zip(set) {
                match ready {
                    Ready::Yes => s.addresses.push(a.clone()),
                    Ready::No => s.not_ready.push(a.clone()),
                    Ready::Absent => {}
                }
            }
            crate::sort::sort_by(&mut s.addresses, api_addr_order);
            crate::sort::sort_by(&mut s.not_ready, api_addr_order);
            s
        })
        .collect()
}

/// How an address serves a port in `repack`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ready {
    Absent,
    No,
    Yes,
}

/// `addrsByIPAndUID`: IP text, then target UID.
fn api_addr_order(a: &Address, b: &Address) -> std::cmp::Ordering {
    (&a.ip, &a.target_uid).cmp(&(&b.ip, &b.target_uid))
}

/// The router's `formatIPAddr`: brackets only for an IPv6 address Go's `To4` cannot turn into
/// IPv4, so an IPv4-mapped `::ffff:10.128.0.9` is written bare.
fn server_address(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() && ip.matches(':').count() >= 2 => format!("[{ip}]"),
        _ => ip.to_owned(),
    }
}

/// Subsets by (namespace, service), sorted by key (`crate::sorted`).
type BySvc = Vec<((String, String), Vec<Subset>)>;

/// `ROUTER_WATCH_ENDPOINTS=true`: Endpoints as the endpoints controller writes them, addresses in
/// IP text order.
fn from_endpoints(objs: &mut Objects) -> BySvc {
    // A service with a selector and no Endpoints has an empty table; its Endpoints, when
    // present, come later and win.
    let mut out: BySvc = objs
        .services
        .iter()
        .filter(|s| s.has_selector)
        .map(|s| ((s.meta.namespace.value.clone(), s.meta.name.value.clone()), Vec::new()))
        .collect();
    for e in &mut objs.endpoints {
        let mut subsets = std::mem::take(&mut e.subsets);
        for s in &mut subsets {
            crate::sort::sort_by(&mut s.addresses, |a, b| a.ip.cmp(&b.ip));
            crate::sort::sort_by(&mut s.not_ready, |a, b| a.ip.cmp(&b.ip));
        }
        out.push(((e.meta.namespace.value.clone(), e.meta.name.value.clone()), subsets));
    }
    crate::sorted::last_wins(out.into_iter())
}

struct SliceView {
    name: String,
    address_type: String,
    ready: Vec<Address>,
    not_ready: Vec<Address>,
    ports: Vec<Port>,
}

/// The default: EndpointSlices, with bare Endpoints mirrored into slices as the cluster would.
fn from_slices(objs: &mut Objects, derived: &mut Vec<String>) -> BySvc {
    let given = objs.slices.iter().filter(|s| !s.service_name.is_empty()).map(|s| {
        let (mut ready, mut not_ready) = (Vec::new(), Vec::new());
        for e in &s.endpoints {
            for ip in &e.addresses {
                let a = Address {
                    ip: ip.clone(),
                    hostname: e.hostname.clone(),
                    target_kind: e.target_kind.clone(),
                    target_name: e.target_name.clone(),
                    target_uid: String::new(),
                    span: e.span,
                };
                if e.ready == Some(false) {
                    not_ready.push(a)
                } else {
                    ready.push(a)
                }
            }
        }
        let view = SliceView {
            name: s.meta.name.value.clone(),
            address_type: s.address_type.clone(),
            ready,
            not_ready,
            ports: s.ports.clone(),
        };
        ((s.meta.namespace.value.clone(), s.service_name.clone()), view)
    });
    let mut slices: Map<(String, String), Vec<SliceView>> = Map::grouped(given);
    // Mirrored and placeholder slices are gathered apart and merged once: the keys they add
    // are new, and adding them one by one would shift the sorted map each time.
    let mut added: Vec<((String, String), Vec<SliceView>)> = Vec::new();
    let mut added_keys: FastSet<(String, String)> = FastSet::default();
    for e in &mut objs.endpoints {
        let key = (e.meta.namespace.value.clone(), e.meta.name.value.clone());
        if slices.contains_key(&key) || added_keys.contains(&key) {
            continue;
        }
        let mut views = Vec::new();
        for s in &mut e.subsets {
            let (ready_all, not_ready_all) = (std::mem::take(&mut s.addresses), std::mem::take(&mut s.not_ready));
            // The mirroring controller's `IsIPv6String`: an IPv4-mapped address counts as IPv4.
            let is_v6 =
                |a: &Address| matches!(a.ip.parse::<IpAddr>(), Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none());
            let (ready6, ready4): (Vec<Address>, Vec<Address>) = ready_all.into_iter().partition(is_v6);
            let (nr6, nr4): (Vec<Address>, Vec<Address>) = not_ready_all.into_iter().partition(is_v6);
            for (v6, ready, not_ready) in [(false, ready4, nr4), (true, ready6, nr6)] {
                if ready.is_empty() && not_ready.is_empty() {
                    continue;
                }
                views.push(SliceView {
                    name: format!("{}-mirror-{}", key.1, views.len()),
                    address_type: if v6 { "IPv6" } else { "IPv4" }.to_owned(),
                    ready,
                    not_ready,
                    ports: s.ports.clone(),
                });
            }
        }
        derived.push(format!("Endpoints {}/{} mirrored into {} EndpointSlice(s)", key.0, key.1, views.len()));
        if !views.is_empty() {
            added_keys.insert(key.clone());
            added.push((key, views));
        }
    }
    for s in &objs.services {
        let key = (s.meta.namespace.value.clone(), s.meta.name.value.clone());
        if s.has_selector && !slices.contains_key(&key) && !added_keys.contains(&key) {
            derived.push(format!(
                "EndpointSlice {}/{}-placeholder created empty (service has a selector but no endpoints were given)",
                key.0, key.1
            ));
            let view = SliceView {
                name: format!("{}-placeholder", key.1),
                address_type: "IPv4".to_owned(),
                ready: Vec::new(),
                not_ready: Vec::new(),
                ports: Vec::new(),
            };
            added_keys.insert(key.clone());
            added.push((key, vec![view]));
        }
    }
    slices.extend(added);
    let mut out = BySvc::new();
    for (key, mut views) in slices {
        crate::sort::sort_by(&mut views, |a, b| a.name.cmp(&b.name));
        let mut subsets = Vec::new();
        for v in views {
            if v.address_type != "IPv4" && v.address_type != "IPv6" {
                continue;
            }
            let mut s = Subset { addresses: v.ready, not_ready: v.not_ready, ports: v.ports };
            crate::sort::sort_by(&mut s.addresses, addr_order);
            crate::sort::sort_by(&mut s.not_ready, addr_order);
            crate::sort::sort_by(&mut s.ports, |a, b| {
                (a.port, &a.protocol, &a.name).cmp(&(b.port, &b.protocol, &b.name))
            });
            subsets.push(s);
        }
        // `slices` is a map, so the keys come sorted and once each.
        out.push((key, subsets));
    }
    out
}

/// The 16-byte form the router sorts by; unparsable addresses sort first.
fn ip16(ip: &str) -> (bool, [u8; 16]) {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => (true, v4.to_ipv6_mapped().octets()),
        Ok(IpAddr::V6(v6)) => (true, v6.octets()),
        Err(_) => (false, [0; 16]),
    }
}

fn addr_order(a: &Address, b: &Address) -> std::cmp::Ordering {
    (ip16(&a.ip), &a.hostname).cmp(&(ip16(&b.ip), &b.hostname))
}

/// Why the router would drop an endpoint address, if it would.
pub fn forbidden_reason(ip: &str) -> Option<&'static str> {
    let Ok(addr) = ip.parse::<IpAddr>() else { return Some("not an IP address") };
    let check = |a: IpAddr| -> Option<&'static str> {
        match a {
            IpAddr::V4(v4) => {
                let o = v4.octets();
                if v4.is_unspecified() {
                    Some("unspecified address")
                } else if v4.is_loopback() {
                    Some("loopback address")
                } else if o[0] == 169 && o[1] == 254 {
                    Some("link-local address (cloud metadata range)")
                } else if v4.is_multicast() {
                    Some("multicast address")
                } else if o == [168, 63, 129, 16] {
                    Some("Azure metadata address")
                } else {
                    None
                }
            }
            IpAddr::V6(v6) => {
                let s = v6.segments();
                if v6.is_unspecified() {
                    Some("unspecified address")
                } else if v6.is_loopback() {
                    Some("loopback address")
                } else if s[0] & 0xffc0 == 0xfe80 {
                    Some("link-local address")
                } else if v6.is_multicast() {
                    Some("multicast address")
                } else if s == [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254] {
                    Some("AWS metadata address")
                } else {
                    None
                }
            }
        }
    };
    check(addr).or_else(|| match addr {
        IpAddr::V6(v6) => {
            let o = v6.octets();
            let embedded = o[..10].iter().all(|b| *b == 0) && (o[10..12] == [0xff, 0xff] || o[10..12] == [0, 0]);
            if embedded {
                check(IpAddr::V4(std::net::Ipv4Addr::new(o[12], o[13], o[14], o[15])))
            } else {
                None
            }
        }
        IpAddr::V4(_) => None,
    })
}

/// Drops addresses the router drops. Loopback addresses are the one deliberate exception: they
/// are kept (with a warning) so that local traffic tests can point routes at 127.0.0.x.
fn filter_addresses(addrs: &mut Vec<Address>, diags: &mut Diagnostics) {
    addrs.retain(|a| {
        let Some(reason) = forbidden_reason(&a.ip) else { return true };
        let keep = reason == "loopback address";
        let what = if keep { "kept for local testing, but a real router drops it" } else { "the router drops it" };
        let mut d = Diagnostic::warning(
            "routec::endpoints::forbidden-address",
            format!("endpoint address `{}` is a {reason}; {what}", a.ip),
        );
        if let Some(span) = a.span {
            d = d.at(span, reason);
        }
        diags.push(d.help(
            "endpoints must be pod or node IPs; the API server refuses loopback, link-local and metadata addresses",
        ));
        keep
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(ip: &str, uid: &str) -> Address {
        Address { ip: ip.to_owned(), target_uid: uid.to_owned(), ..Address::default() }
    }

    fn port(name: &str, n: i64) -> Port {
        Port { name: name.to_owned(), port: n, protocol: "TCP".to_owned(), ..Port::default() }
    }

    fn ips(a: &[Address]) -> Vec<&str> {
        a.iter().map(|a| a.ip.as_str()).collect()
    }

    #[test]
    fn repack_merges_same_ports_and_splits_by_port_set() {
        let subsets = vec![
            Subset {
                addresses: vec![addr("10.0.0.3", "c"), addr("10.0.0.10", "a")],
                ports: vec![port("http", 80)],
                ..Subset::default()
            },
            Subset { addresses: vec![addr("10.0.0.2", "b")], ports: vec![port("http", 80)], ..Subset::default() },
            // 10.0.0.3 also serves 443, so it gets a subset of its own for that port set.
            Subset { addresses: vec![addr("10.0.0.3", "c")], ports: vec![port("https", 443)], ..Subset::default() },
            // A subset without addresses leaves nothing behind.
            Subset { ports: vec![port("metrics", 9090)], ..Subset::default() },
        ];
        let out = repack(subsets);
        assert_eq!(out.len(), 2);
        assert_eq!(ips(&out[0].addresses), ["10.0.0.10", "10.0.0.2", "10.0.0.3"]);
        assert_eq!(out[0].ports.len(), 1);
        assert_eq!(ips(&out[1].addresses), ["10.0.0.3"]);
        assert_eq!(out[1].ports.first().map(|p| p.port), Some(443));
    }

    #[test]
    fn repack_not_ready_wins_and_same_ip_other_uid_stays() {
        let subsets = vec![
            Subset {
                addresses: vec![addr("10.0.0.1", "a"), addr("10.0.0.1", "z")],
                ports: vec![port("http", 80)],
                ..Subset::default()
            },
            Subset { not_ready: vec![addr("10.0.0.1", "a")], ports: vec![port("http", 80)], ..Subset::default() },
        ];
        let out = repack(subsets);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].addresses.iter().map(|a| a.target_uid.as_str()).collect::<Vec<_>>(), ["z"]);
        assert_eq!(out[0].not_ready.iter().map(|a| a.target_uid.as_str()).collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn ipv4_mapped_servers_are_bare() {
        assert_eq!(server_address("::ffff:10.128.0.9"), "::ffff:10.128.0.9");
        assert_eq!(server_address("fd01::9"), "[fd01::9]");
        assert_eq!(server_address("::10.128.0.9"), "[::10.128.0.9]");
        assert_eq!(server_address("10.128.0.9"), "10.128.0.9");
    }
}
