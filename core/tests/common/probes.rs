//! Requests for every route of a route table and the near misses around each (other paths,
//! upper case, a trailing dot, a `Host` with a port, the other scheme, no SNI), written as the
//! lines of a `requests.txt`. Shared by the explain consistency test and the HAProxy agreement
//! test, which includes this file with `#[path]`.

use routec_core::explain::table::RouteTable;

/// `everything` adds raw TLS to every host and two client addresses; without it raw TLS goes
/// only to passthrough routes (anything else would wait for HAProxy's request timeout) and the
/// client is the caller's own address.
pub(crate) fn probes(table: &RouteTable, everything: bool) -> Vec<String> {
    let mut out = vec!["http://nobody.invalid/".to_owned(), "https://nobody.invalid/".to_owned()];
    for r in &table.routes {
        if r.host.is_empty() {
            continue;
        }
        let host = r.host.replace("*.", "any.");
        let path = if r.path.is_empty() { "/".to_owned() } else { r.path.clone() };
        // A client cannot send a blank in a path.
        if path.contains(' ') {
            continue;
        }
        for scheme in ["http", "https"] {
            out.push(format!("{scheme}://{host}{path}"));
            out.push(format!("{scheme}://{host}{path}/deeper?q=1"));
            out.push(format!("{scheme}://{}{path}", host.to_ascii_uppercase()));
            out.push(format!("{scheme}://{host}.{path}"));
            out.push(format!("{scheme}://{host}/zz-no-such-path"));
            out.push(format!("{scheme}://{host}{path} header=Host:{host}:8080"));
        }
        out.push(format!("https://{host}{path} no-sni"));
        if everything || r.termination == "passthrough" {
            out.push(format!("tls://{host}"));
            out.push(format!("tls://{}", host.to_ascii_uppercase()));
        }
        if everything {
            out.push(format!("https://{host}{path} client=10.1.2.3"));
            out.push(format!("https://{host}{path} client=192.0.2.1"));
        }
    }
    out
}
