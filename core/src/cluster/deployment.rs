//! The router Deployment's `router` container environment: the settings the router really
//! runs with. `valueFrom` entries (Secrets, ConfigMaps, the downward API) cannot be resolved
//! from a manifest and are reported; variables the router binary does not read as router
//! settings (proxy and metrics-server variables) are left out, with one advice listing them.

use crate::diag::{Diagnostic, Diagnostics};
use crate::settings::KNOWN;
use crate::tree::Node;

use super::fields::Fields;
use super::{Origin, Setting};

/// The environment of the Deployment `doc`'s `router` container, in order; a later entry with
/// the same name wins, as in the kubelet. `None` when there is no `router` container.
pub(crate) fn env(doc: &Node<'static>, diags: &mut Diagnostics) -> Option<Vec<Setting>> {
    let name = doc.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str).unwrap_or("").to_owned();
    let mut f = Fields { diags, object: format!("Deployment {name}") };
    let spec = f.map(Some(doc), "spec", "spec");
    let template = f.map(spec, "template", "spec.template");
    let pod = f.map(template, "spec", "spec.template.spec");
    let containers = f.seq(pod, "containers", "spec.template.spec.containers");
    let Some(router) = containers.iter().find(|c| c.get("name").and_then(Node::as_str) == Some("router")) else {
        f.diags.push(
            Diagnostic::warning(
                "routec::ingress::no-router-container",
                format!("Deployment {name} has no container named `router`"),
            )
            .at(pod.map_or(doc.span, |p| p.span), "no router container")
            .help("routec reads the environment of the container the operator names `router`"),
        );
        return None;
    };
    let mut out: Vec<Setting> = Vec::new();
    let mut skipped = Vec::new();
    let path = "spec.template.spec.containers[router].env";
    for entry in f.seq(Some(router), "env", path) {
        let Some((key, _)) = f.string(Some(entry), "name", &format!("{path}[].name")) else { continue };
        if let Some(vf) = entry.get("valueFrom").filter(|n| !n.is_null()) {
            f.diags.push(
                Diagnostic::warning(
                    "routec::ingress::value-from",
                    format!("{} {key} comes from `valueFrom`, which routec cannot resolve", f.object),
                )
                .at(vf.span, "unresolved")
                .help(format!("give the value with --set {key}=VALUE")),
            );
            continue;
        }
        let value = f.string(Some(entry), "value", &format!("{path}[].value")).map(|(v, _)| v).unwrap_or_default();
        if !KNOWN.contains(&key.as_str()) {
            skipped.push((key, entry.span));
            continue;
        }
        out.retain(|s| s.key != key);
        out.push(Setting { key, value, origin: Origin::Deployment { span: entry.span } });
    }
    if let Some((_, first)) = skipped.first() {
        let names: Vec<&str> = skipped.iter().map(|(k, _)| k.as_str()).collect();
        f.diags.push(
            Diagnostic::advice(
                "routec::ingress::not-mapped",
                format!(
                    "{}: {} {} not router settings routec models",
                    f.object,
                    names.join(", "),
                    if names.len() == 1 { "is" } else { "are" }
                ),
            )
            .at(*first, "not a haproxy.config setting")
            .help("these configure the metrics server or outbound proxies, not haproxy.config"),
        );
    }
    Some(out)
}
