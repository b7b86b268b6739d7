//! Typed views of the Kubernetes objects routec reads (Route, Service, Endpoints, EndpointSlice,
//! Namespace). Only the fields the router reads are kept, each with the span of its node.

use crate::annotations::RouteAnnotations;
use crate::source::Span;

/// A string field and where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Str {
    /// The value ("" when absent).
    pub value: String,
    /// The node's span, when the field was present.
    pub span: Option<Span>,
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl Str {
    /// A present value.
    pub fn new(value: impl Into<String>, span: Span) -> Self {
        Self { value: value.into(), span: Some(span) }
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

/// Object metadata.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// `metadata.name`.
    pub name: Str,
    /// `metadata.namespace` ("" when absent; the loader fills in `default`).
    pub namespace: Str,
    /// `metadata.uid`, after defaulting.
    pub uid: String,
    /// `metadata.creationTimestamp` as seconds since the epoch, after defaulting.
    pub created: i64,
    /// True when `creationTimestamp` was missing (or unreadable) and input order stands in.
    pub created_from_order: bool,
    /// True when `uid` was missing and input order stands in.
    pub uid_from_order: bool,
    /// `metadata.labels`.
    pub labels: Vec<(String, String)>,
    /// `metadata.annotations`, with the span of each value.
    pub annotations: Vec<(String, Str)>,
    /// `metadata.resourceVersion`.
    pub resource_version: String,
    /// The whole object's span.
    pub span: Span,
    /// 0-based index of the object over all inputs.
    pub index: usize,
}

impl Meta {
    /// True when the router's age order between `self` and `other` was decided by input
    /// position rather than by the objects' own timestamps and uids.
    pub fn age_decided_by_order(&self, other: &Meta) -> bool {
        if self.created_from_order || other.created_from_order {
            return true;
        }
        self.created == other.created && (self.uid_from_order || other.uid_from_order)
    }

    /// An annotation value, when set.
    pub fn annotation(&self, key: &str) -> Option<&Str> {
        self.annotations.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A label value, when set.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// `spec.to` or one of `spec.alternateBackends`.
#[derive(Debug, Clone, Default)]
pub struct BackendRef {
    /// `kind`.
    pub kind: Str,
    /// `name`.
    pub name: Str,
    /// `weight` after defaulting (100 when absent).
    pub weight: i64,
    /// Span of the weight when given.
    pub weight_span: Option<Span>,
    /// The entry's span.
    pub span: Option<Span>,
}

/// `spec.tls`.
#[derive(Debug, Clone, Default)]
pub struct Tls {
    /// `termination`, lower-cased by defaulting.
    pub termination: Str,
    /// `insecureEdgeTerminationPolicy`.
    pub insecure_policy: Str,
    /// `certificate`.
    pub certificate: Str,
    /// `key`.
    pub key: Str,
    /// `caCertificate`.
    pub ca_certificate: Str,
    /// `destinationCACertificate`.
    pub destination_ca: Str,
    /// `externalCertificate.name`.
    pub external_certificate: Str,
    /// The `tls` node's span.
    pub span: Option<Span>,
}

/// One `spec.httpHeaders.actions.{request,response}` entry.
#[derive(Debug, Clone, Default)]
pub struct HeaderAction {
    /// `name`.
    pub name: Str,
    /// `action.type`.
    pub kind: Str,
    /// `action.set.value`, when `action.set` is present.
    pub value: Option<Str>,
}

/// A route's TLS termination, the closed set the emitters branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// No `spec.tls` (or an empty termination): plain HTTP.
    Plain,
    /// `edge`.
    Edge,
    /// `reencrypt`.
    Reencrypt,
    /// `passthrough`.
    Passthrough,
    /// A value the API server refuses; with extended validation off the router still writes the
    /// route, matching none of the three.
    Unsupported,
}

impl Termination {
    /// The termination a (defaulted, lower-cased) `spec.tls.termination` names.
    pub fn parse(v: &str) -> Self {
        match v {
            "" => Self::Plain,
            "edge" => Self::Edge,
            "reencrypt" => Self::Reencrypt,
            "passthrough" => Self::Passthrough,
            _ => Self::Unsupported,
        }
    }

    /// TLS is terminated at the router (edge or reencrypt).
    pub fn terminates_tls(self) -> bool {
        matches!(self, Self::Edge | Self::Reencrypt)
    }

    /// The backend name prefix (the router's `GenerateBackendNamePrefix`).
    pub fn backend_prefix(self) -> &'static str {
        match self {
            Self::Edge => "be_edge_http",
            Self::Reencrypt => "be_secure",
            Self::Passthrough => "be_tcp",
            Self::Plain | Self::Unsupported => "be_http",
        }
    }
}

/// What a TLS route does with plain-HTTP requests (`spec.tls.insecureEdgeTerminationPolicy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsecurePolicy {
    /// `None`, unset, or a value the API server refuses: plain HTTP is not served.
    None,
    /// `Allow`: plain HTTP is served too.
    Allow,
    /// `Redirect`: plain HTTP is redirected to HTTPS.
    Redirect,
}

impl InsecurePolicy {
    /// The policy a `spec.tls.insecureEdgeTerminationPolicy` value names.
    pub fn parse(v: &str) -> Self {
        match v {
            "Allow" => Self::Allow,
            "Redirect" => Self::Redirect,
            _ => Self::None,
        }
    }
}

/// A `route.openshift.io/v1` Route.
#[derive(Debug, Clone, Default)]
pub struct Route {
    /// Metadata.
    pub meta: Meta,
    /// `spec.host` (after host generation, once admission has run).
    pub host: Str,
    /// `spec.subdomain`.
    pub subdomain: Str,
    /// `spec.path`.
    pub path: Str,
    /// `spec.to`.
    pub to: BackendRef,
    /// `spec.alternateBackends`.
    pub alternates: Vec<BackendRef>,
    /// `spec.port.targetPort` as text: ints in decimal, strings as they are.
    pub target_port: Option<Str>,
    /// `spec.tls`.
    pub tls: Option<Box<Tls>>,
    /// `spec.wildcardPolicy` after defaulting.
    pub wildcard_policy: Str,
    /// Request header actions.
    pub request_headers: Vec<HeaderAction>,
    /// Response header actions.
    pub response_headers: Vec<HeaderAction>,
    /// The router's annotations, parsed when the route is read; `None` when it has none (see
    /// `Route::ann`).
    pub parsed: Option<Box<RouteAnnotations>>,
}

impl Route {
    /// The router's annotations of this route as typed values.
    pub fn ann(&self) -> &RouteAnnotations {
        static NONE: RouteAnnotations = RouteAnnotations::NONE;
        self.parsed.as_deref().unwrap_or(&NONE)
    }

    /// `ns:name`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.meta.namespace.value, self.meta.name.value)
    }

    /// The termination.
    pub fn termination(&self) -> Termination {
        Termination::parse(self.termination_text())
    }

    /// The termination as written (after defaulting), or "" for plain HTTP: what the router's
    /// template data holds.
    pub fn termination_text(&self) -> &str {
        self.tls.as_ref().map_or("", |t| t.termination.as_str())
    }

    /// The insecure edge termination policy, or "".
    pub fn insecure_policy(&self) -> &str {
        match &self.tls {
            Some(t) if !t.termination.is_empty() => t.insecure_policy.as_str(),
            _ => "",
        }
    }
}

/// A Service or EndpointSlice port.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Port {
    /// `name`.
    pub name: String,
    /// `port`.
    pub port: i64,
    /// `protocol`.
    pub protocol: String,
    /// `appProtocol`.
    pub app_protocol: String,
    /// `targetPort` (services only), as text.
    pub target_port: String,
}

/// A v1 Service.
#[derive(Debug, Clone, Default)]
pub struct Service {
    /// Metadata.
    pub meta: Meta,
    /// `spec.type`.
    pub kind: String,
    /// `spec.clusterIP`.
    pub cluster_ip: String,
    /// `spec.ports`.
    pub ports: Vec<Port>,
    /// True when `spec.selector` is non-empty.
    pub has_selector: bool,
}

/// One address of an Endpoints subset or EndpointSlice endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// The IP text.
    pub ip: String,
    /// `hostname`.
    pub hostname: String,
    /// `targetRef.kind`.
    pub target_kind: String,
    /// `targetRef.name`.
    pub target_name: String,
    /// `targetRef.uid`: with the IP, what makes an address distinct when the API server
    /// repacks subsets.
    pub target_uid: String,
    /// Where the address is.
    pub span: Option<Span>,
}

/// One subset of a v1 Endpoints object.
#[derive(Debug, Clone, Default)]
pub struct Subset {
    /// Ready addresses.
    pub addresses: Vec<Address>,
    /// Not-ready addresses.
    pub not_ready: Vec<Address>,
    /// Ports.
    pub ports: Vec<Port>,
}

/// A v1 Endpoints object.
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    /// Metadata.
    pub meta: Meta,
    /// `subsets`.
    pub subsets: Vec<Subset>,
}

/// One endpoint of an EndpointSlice.
#[derive(Debug, Clone, Default)]
pub struct SliceEndpoint {
    /// `addresses`.
    pub addresses: Vec<String>,
    /// `conditions.ready`.
    pub ready: Option<bool>,
    /// `hostname`.
    pub hostname: String,
    /// `targetRef.kind`.
    pub target_kind: String,
    /// `targetRef.name`.
    pub target_name: String,
    /// Where the endpoint is.
    pub span: Option<Span>,
}

/// A discovery.k8s.io/v1 EndpointSlice.
#[derive(Debug, Clone, Default)]
pub struct EndpointSlice {
    /// Metadata.
    pub meta: Meta,
    /// The `kubernetes.io/service-name` label.
    pub service_name: String,
    /// `addressType`.
    pub address_type: String,
    /// `endpoints`.
    pub endpoints: Vec<SliceEndpoint>,
    /// `ports`.
    pub ports: Vec<Port>,
}

/// A v1 Namespace.
#[derive(Debug, Clone, Default)]
pub struct Namespace {
    /// Metadata.
    pub meta: Meta,
}

/// A v1 Secret, as far as the router's secret manager reads it: its type and the decoded
/// `tls.crt` and `tls.key` (from `data`, with `stringData` merged over it as the API server
/// does on create). `Debug` never shows the key.
#[derive(Clone, Default)]
pub struct Secret {
    /// Metadata.
    pub meta: Meta,
    /// `type` (`kubernetes.io/tls` for a certificate secret; `Opaque` when absent).
    pub kind: String,
    /// `tls.crt`, decoded.
    pub tls_crt: Option<String>,
    /// `tls.key`, decoded.
    pub tls_key: Option<String>,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("meta", &self.meta)
            .field("kind", &self.kind)
            .field("tls_crt", &self.tls_crt.as_ref().map(String::len))
            .field("tls_key", &self.tls_key.as_ref().map(|_| "(redacted)"))
            .finish()
    }
}

/// Everything loaded from the inputs.
#[derive(Debug, Clone, Default)]
pub struct Objects {
    /// Routes in input order. Boxed, like the other kinds, so that growing the list while a
    /// large input streams in moves pointers, not whole objects.
    pub routes: Vec<Box<Route>>,
    /// Services.
    pub services: Vec<Box<Service>>,
    /// Endpoints.
    pub endpoints: Vec<Box<Endpoints>>,
    /// EndpointSlices.
    pub slices: Vec<Box<EndpointSlice>>,
    /// Namespaces.
    pub namespaces: Vec<Namespace>,
    /// Secrets (for `spec.tls.externalCertificate`).
    pub secrets: Vec<Box<Secret>>,
    /// IngressControllers, cluster config objects and Deployments, for `cluster`.
    pub cluster: crate::cluster::Inputs,
}
