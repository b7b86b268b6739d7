//! Router settings from the cluster's own objects: the `IngressController` the ingress operator
//! turns into the router Deployment, the cluster config objects it also reads
//! (`ingresses.config.openshift.io/cluster`, `apiservers.config.openshift.io/cluster`, and the
//! `networks` and `infrastructures` configs), and the router `Deployment` itself.
//!
//! The loader hands every document of these kinds to [`Inputs::push`]; [`resolve`] picks the
//! IngressController and Deployment of the selected name and derives one settings layer from
//! each; [`in_effect`] merges them under the caller's settings. Precedence, highest first:
//! `--set` > `--router-env` > Deployment > IngressController (the caller's two layers arrive
//! already merged, as one [`Settings`]). Every value keeps where it came from.

mod config;
mod convert;
mod deployment;
mod fields;
mod ingress_controller;
mod tls_profile;

use std::borrow::Cow;

use crate::diag::{Diagnostic, Diagnostics};
use crate::settings::Settings;
use crate::sorted::Map;
use crate::source::Span;
use crate::tree::{Key, Node, Value};

/// The namespace the operator reads IngressControllers from.
pub const OPERATOR_NAMESPACE: &str = "openshift-ingress-operator";
/// The namespace the operator puts router Deployments in.
pub const ROUTER_NAMESPACE: &str = "openshift-ingress";

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A field of the IngressController (`spec.tuningOptions.threadCount`).
    IngressController {
        /// The field path.
        path: String,
        /// The field's node.
        span: Option<Span>,
    },
    /// A value the operator always sets, or its default when the field is unset.
    Operator {
        /// Why (`operator default for spec.tuningOptions.threadCount`).
        note: String,
    },
    /// A field of a cluster config object.
    ClusterConfig {
        /// `ingresses.config.openshift.io/cluster`, …
        object: &'static str,
        /// The field path.
        path: String,
        /// The field's node.
        span: Option<Span>,
    },
    /// An `env` entry of the router Deployment's `router` container.
    Deployment {
        /// The entry's node.
        span: Span,
    },
    /// The caller's settings (`--router-env` files and `--set`).
    Caller,
}

impl Origin {
    /// The span the origin points at, when there is one.
    pub fn span(&self) -> Option<Span> {
        match self {
            Origin::IngressController { span, .. } | Origin::ClusterConfig { span, .. } => *span,
            Origin::Deployment { span } => Some(*span),
            Origin::Operator { .. } | Origin::Caller => None,
        }
    }

    /// The layer's name, for display: `ingress-controller`, `operator-default`,
    /// `cluster-config`, `deployment`, `caller`.
    pub fn kind(&self) -> &'static str {
        match self {
            Origin::IngressController { .. } => "ingress-controller",
            Origin::Operator { .. } => "operator-default",
            Origin::ClusterConfig { .. } => "cluster-config",
            Origin::Deployment { .. } => "deployment",
            Origin::Caller => "caller",
        }
    }
}

/// One derived setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// The environment variable.
    pub key: String,
    /// Its value.
    pub value: String,
    /// Where the value came from.
    pub origin: Origin,
}

/// The cluster objects found among the inputs, kept as owned trees so that diagnostics can
/// point into them after loading.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    docs: Vec<Doc>,
}

#[derive(Debug, Clone)]
struct Doc {
    kind: Kind,
    name: String,
    namespace: String,
    tree: Node<'static>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    IngressController,
    IngressConfig,
    ApiServerConfig,
    NetworkConfig,
    InfrastructureConfig,
    Deployment,
}

fn kind_of(group: &str, kind: &str) -> Option<Kind> {
    Some(match (group, kind) {
        ("operator.openshift.io", "IngressController") => Kind::IngressController,
        ("config.openshift.io", "Ingress") => Kind::IngressConfig,
        ("config.openshift.io", "APIServer") => Kind::ApiServerConfig,
        ("config.openshift.io", "Network") => Kind::NetworkConfig,
        ("config.openshift.io", "Infrastructure") => Kind::InfrastructureConfig,
        ("apps", "Deployment") => Kind::Deployment,
        _ => return None,
    })
}

impl Inputs {
    /// True when the loader should hand a document of this API group and kind here.
    pub fn reads(group: &str, kind: &str) -> bool {
        kind_of(group, kind).is_some()
    }

    /// Keeps one document (the loader calls this for the kinds [`Inputs::reads`] accepts).
    pub fn push(&mut self, group: &str, kind: &str, doc: &Node<'_>) {
        let Some(kind) = kind_of(group, kind) else { return };
        let meta = doc.get("metadata");
        let text = |k: &str| meta.and_then(|m| m.get(k)).and_then(Node::as_str).unwrap_or("").to_owned();
        self.docs.push(Doc { kind, name: text("name"), namespace: text("namespace"), tree: owned(doc) });
    }

    /// How many documents are kept.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when no cluster object was found.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Drops the documents after the first `len` (the loader undoes a false start).
    pub fn truncate(&mut self, len: usize) {
        self.docs.truncate(len);
    }

    fn named(&self, kind: Kind, name: &str) -> Option<&Doc> {
        self.docs.iter().rev().find(|d| d.kind == kind && d.name == name)
    }
}

/// The layers derived from the cluster objects.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// What the operator would put on the router Deployment, when an IngressController of the
    /// selected name is among the inputs.
    pub ingress_controller: Option<Vec<Setting>>,
    /// The router container's environment, when the selected router Deployment is among the
    /// inputs.
    pub deployment: Option<Vec<Setting>>,
    /// `spec.domain` of `ingresses.config.openshift.io/cluster`: the domain the API server
    /// gives host-less routes.
    pub ingress_domain: Option<String>,
}

/// Picks the IngressController `name` (in `openshift-ingress-operator`) and its Deployment
/// `router-<name>` (in `openshift-ingress`) and derives their settings.
pub fn resolve(inputs: &Inputs, name: &str, diags: &mut Diagnostics) -> Resolved {
    let mut out = Resolved::default();
    if inputs.is_empty() {
        return out;
    }
    let cfg = config::Cluster::read(inputs, diags);
    out.ingress_domain = cfg.ingress.as_ref().and_then(|i| i.domain.clone()).map(|(d, _)| d);
    let deployment_name = format!("router-{name}");
    let mut ic = None;
    let mut dep = None;
    for d in &inputs.docs {
        let at = d.tree.get("metadata").and_then(|m| m.get("name")).map_or(d.tree.span, |n| n.span);
        match d.kind {
            Kind::IngressController => {
                if d.name != name {
                    diags.push(
                        not_selected(at, format!("IngressController {} is not the selected one ({name})", d.name))
                            .help("pick another with --ingress-controller-name NAME"),
                    );
                } else if !d.namespace.is_empty() && d.namespace != OPERATOR_NAMESPACE {
                    diags.push(not_selected(
                        at,
                        format!(
                            "IngressController {name} is in namespace {}; the operator reads only {OPERATOR_NAMESPACE}",
                            d.namespace
                        ),
                    ));
                } else {
                    ic = Some(d);
                }
            }
            Kind::Deployment => {
                if d.name != deployment_name {
                    diags.push(not_selected(
                        at,
                        format!("Deployment {} is not the router Deployment {deployment_name}", d.name),
                    ));
                } else if !d.namespace.is_empty() && d.namespace != ROUTER_NAMESPACE {
                    diags.push(not_selected(
                        at,
                        format!(
                            "Deployment {} is in namespace {}; the router runs in {ROUTER_NAMESPACE}",
                            d.name, d.namespace
                        ),
                    ));
                } else {
                    dep = Some(d);
                }
            }
            _ => {}
        }
    }
    if let Some(d) = ic {
        out.ingress_controller = Some(ingress_controller::derive(&d.tree, name, &cfg, diags));
    }
    if let Some(d) = dep {
        out.deployment = deployment::env(&d.tree, diags);
    }
    if let (Some(a), Some(b)) = (&out.ingress_controller, &out.deployment) {
        compare(a, b, diags);
    }
    out
}

fn not_selected(at: Span, msg: String) -> Diagnostic {
    Diagnostic::advice("routec::ingress::not-selected", msg).at(at, "not read")
}

/// Reports every key where the Deployment and the IngressController disagree: a Deployment
/// the operator has not (yet) reconciled, or an operator that maps a field differently.
fn compare<'a>(ic: &'a [Setting], dep: &'a [Setting], diags: &mut Diagnostics) {
    let ic_map = crate::sorted::last_wins(ic.iter().map(|s| (s.key.as_str(), s)));
    let dep_map = crate::sorted::last_wins(dep.iter().map(|s| (s.key.as_str(), s)));
    let get = |m: &[(&str, &'a Setting)], k: &str| crate::sorted::get(m, &k).copied();
    for &(k, d) in &dep_map {
        let ours = get(&ic_map, k);
        if ours.is_some_and(|s| s.value == d.value) {
            continue;
        }
        let msg = match ours {
            Some(s) => {
                format!("the router Deployment sets {k}={}, the IngressController gives {k}={}", d.value, s.value)
            }
            None => format!("the router Deployment sets {k}={}, which the IngressController does not give", d.value),
        };
        let mut diag = Diagnostic::warning("routec::ingress::deployment-differs", msg)
            .at_opt(d.origin.span(), "the Deployment's value wins")
            .help("the Deployment is what the router runs; an IngressController change the operator has not rolled out yet also shows up here");
        if let Some(span) = ours.and_then(|s| s.origin.span()) {
            diag = diag.related(span, "the IngressController's value");
        }
        diags.push(diag);
    }
    for &(k, s) in &ic_map {
        if get(&dep_map, k).is_some() {
            continue;
        }
        diags.push(
            Diagnostic::warning(
                "routec::ingress::deployment-differs",
                format!("the IngressController gives {k}={}, which the router Deployment does not set", s.value),
            )
            .at_opt(s.origin.span(), "not in the Deployment")
            .help(
                "routec keeps the IngressController's value, as the precedence says; the router itself runs without it",
            ),
        );
    }
}

/// One setting in effect, with the layers it overrode.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The value.
    pub value: String,
    /// Where it came from.
    pub origin: Origin,
    /// Lower layers' values for the same key, highest first.
    pub shadowed: Vec<(String, Origin)>,
}

/// The settings in effect and where each came from.
#[derive(Debug, Clone, Default)]
pub struct InEffect {
    settings: Settings,
    entries: Map<String, Entry>,
}

impl InEffect {
    /// The merged settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Every setting with its origin, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(k, e)| (k.as_str(), e))
    }

    /// True when some setting came from a cluster object.
    pub fn from_cluster(&self) -> bool {
        self.entries.iter().any(|(_, e)| e.origin != Origin::Caller)
    }
}

/// Merges the layers: IngressController, then Deployment, then the caller's settings, each
/// overriding the ones before key by key.
pub fn in_effect(resolved: &Resolved, caller: &Settings) -> InEffect {
    // A few dozen settings, so inserting one by one is cheap.
    let mut entries: Map<String, Entry> = Map::new();
    let mut apply = |key: &str, value: &str, origin: Origin| match entries.get_mut(key) {
        Some(e) => {
            let old_value = std::mem::replace(&mut e.value, value.to_owned());
            let old_origin = std::mem::replace(&mut e.origin, origin);
            e.shadowed.insert(0, (old_value, old_origin));
        }
        None => {
            entries.insert(key.to_owned(), Entry { value: value.to_owned(), origin, shadowed: Vec::new() });
        }
    };
    for layer in [&resolved.ingress_controller, &resolved.deployment].into_iter().flatten() {
        for s in layer {
            apply(&s.key, &s.value, s.origin.clone());
        }
    }
    for (k, v) in caller.iter() {
        apply(k, v, Origin::Caller);
    }
    let mut settings = Settings::new();
    for (k, e) in &entries {
        // Keep where each value was written, so that settings diagnostics point there.
        let span = match e.origin {
            Origin::Caller => caller.span(k),
            ref o => o.span(),
        };
        match span {
            Some(span) => settings.set_at(k.clone(), e.value.clone(), span),
            None => settings.set(k.clone(), e.value.clone()),
        }
    }
    InEffect { settings, entries }
}

/// A deep copy of a tree that owns its text.
fn owned(n: &Node<'_>) -> Node<'static> {
    let value = match &n.value {
        Value::Null => Value::Null,
        Value::Scalar { text, quoted } => Value::Scalar { text: Cow::Owned(text.to_string()), quoted: *quoted },
        Value::Seq(items) => Value::Seq(items.iter().map(owned).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (Key { text: Cow::Owned(k.text.to_string()), span: k.span }, owned(v)))
                .collect(),
        ),
    };
    Node { value, span: n.span }
}
