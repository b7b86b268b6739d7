//! The router's template data (`templateData` and what it holds: `ServiceAliasConfig`,
//! `ServiceUnit`, `Endpoint`, `Certificate`, the header and capture types) with the router's Go
//! field names and types, built from the compiler's own per-route model (`compile::alias`) and
//! shared settings (`compile::context`), so both emitters read one admission and one set of
//! weights.

use crate::hash::FastMap;
use crate::sorted::Map;

use super::object::Struct;
use crate::compile::alias::{Alias, Unit};
use crate::compile::context::{Ctx, GlobalAction};
use crate::endpoints::{Record, Tables};
use crate::gotmpl::{GoType, Key, Value};
use crate::haproxy::emit::single_quoted;
use crate::objects::{HeaderAction, Route, Termination};

/// `templaterouter.ServiceAliasConfig`.
pub(crate) const SERVICE_ALIAS_CONFIG: &str = "templaterouter.ServiceAliasConfig";
/// `templaterouter.ServiceUnit`.
pub(crate) const SERVICE_UNIT: &str = "templaterouter.ServiceUnit";
/// `templaterouter.templateData`.
pub(crate) const TEMPLATE_DATA: &str = "templaterouter.templateData";
const ENDPOINT: &str = "templaterouter.Endpoint";
const CERTIFICATE: &str = "templaterouter.Certificate";
const HTTP_HEADER: &str = "templaterouter.HTTPHeader";

/// The Go type of a struct element, for slices and maps of it.
pub(crate) fn named(name: &str) -> GoType {
    GoType::Named { name: name.into(), nilable: false }
}

fn slice_type(name: &str) -> GoType {
    GoType::Named { name: format!("[]{name}").into(), nilable: true }
}

fn s(v: &str) -> Value {
    Value::from(v)
}

fn int(v: impl Into<i64>) -> Value {
    Value::Int(v.into())
}

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// What the data is built from.
pub(crate) struct Inputs<'a, 'b> {
    /// Admitted routes (and blueprint pool routes), in key order.
    pub routes: &'b [&'a Route],
    /// Endpoint tables.
    pub tables: &'a Tables,
    /// Shared settings.
    pub ctx: &'b Ctx<'a>,
    /// How often each certificate's contents occur.
    pub cert_uses: &'b FastMap<&'a str, usize>,
    /// `ROUTER_ALLOW_WILDCARD_ROUTES`.
    pub wildcards: bool,
}

/// Types and values that tens of thousands of routes share: each is built once and cloned by
/// reference count (templates never change a value, so sharing cannot be observed).
struct Common {
    endpoint: GoType,
    certificate: GoType,
    zero_certificate: Value,
    no_certificates: Value,
    no_headers: Value,
    no_endpoint_table: Value,
    no_associations: Value,
    header: GoType,
    saved: Value,
}

impl Common {
    fn new() -> Self {
        let certificate = named(CERTIFICATE);
        let zero_certificate = certificate_value("", "", "");
        let header = named(HTTP_HEADER);
        Self {
            endpoint: named(ENDPOINT),
            no_certificates: Value::struct_map(certificate.clone(), zero_certificate.clone(), []),
            certificate,
            zero_certificate,
            no_headers: Value::typed_list(header.clone(), Vec::new()),
            header,
            no_endpoint_table: Value::typed_map(false, slice_type(ENDPOINT), []),
            no_associations: Value::typed_map(false, GoType::Bool, []),
            saved: s("saved"),
        }
    }
}

/// The `templateData` value the router executes every template with.
pub(crate) fn template_data(inp: &Inputs<'_, '_>) -> Value {
    let ctx = inp.ctx;
    let settings = ctx.settings;
    let common = Common::new();
    let mut state = Vec::with_capacity(inp.routes.len());
    let mut referenced: Vec<String> = Vec::new();
    for r in inp.routes {
        let a = Alias::new(r, inp.tables, inp.wildcards);
        referenced.extend(a.units.iter().map(|u| u.key.clone()));
        state.push((a.key.clone(), service_alias_config(&a, ctx, &common)));
    }
    // Every service with endpoints, and every other service a route names (with none).
    crate::sort::sort_unstable(&mut referenced);
    referenced.dedup();
    let mut units: Vec<(String, Value)> =
        inp.tables.by_service.iter().map(|(key, records)| (key.clone(), service_unit(key, records, &common))).collect();
    for key in referenced.into_iter().filter(|k| !inp.tables.by_service.contains_key(k)) {
        let unit = service_unit(&key, &[], &common);
        units.push((key, unit));
    }
    let captures = |list: &[(String, i64)]| {
        let items = list
            .iter()
            .map(|(n, l)| {
                Struct::value("templaterouter.CaptureHTTPHeader", vec![("Name", s(n)), ("MaxLength", int(*l))])
            })
            .collect();
        Value::typed_list(named("templaterouter.CaptureHTTPHeader"), items)
    };
    let cookie = match &ctx.startup.capture_cookie {
        Some((name, len)) => {
            let (name, kind) = match name.strip_suffix('=') {
                Some(n) => (n, "exact"),
                None => (name.as_str(), "prefix"),
            };
            Struct::pointer(
                "templaterouter.CaptureHTTPCookie",
                vec![("Name", s(name)), ("MaxLength", int(*len)), ("MatchType", s(kind))],
            )
        }
        None => Struct::nil_pointer("templaterouter.CaptureHTTPCookie", &["Name", "MaxLength", "MatchType"]),
    };
    let adjust: Vec<Value> = ctx
        .h1_case_adjust_names()
        .into_iter()
        .map(|n| {
            Struct::value(
                "templaterouter.HTTPHeaderNameCaseAdjustment",
                vec![("From", Value::from(n.to_ascii_lowercase())), ("To", s(n))],
            )
        })
        .collect();
    // Go's nil slices: empty, `len` 0, false in `if`.
    let adjust = Value::typed_list(named("templaterouter.HTTPHeaderNameCaseAdjustment"), adjust);
    // The router seeds the index with its default certificate's contents ("" without one).
    let mut index: Map<Key, Value> =
        inp.cert_uses.iter().map(|(k, n)| (Key::Str((*k).to_owned()), count(*n))).collect();
    index.get_or_insert_with(Key::Str(settings.get("DEFAULT_CERTIFICATE").unwrap_or("").to_owned()), || int(1));
    let manager = if ctx.dynamic {
        Struct::pointer(
            "haproxy.haproxyConfigManager",
            vec![("ConnectionInfo", s(settings.env("ROUTER_HAPROXY_ADMIN_UNIX_SOCKET", "")))],
        )
    } else {
        Value::Nil
    };
    let stats_port = ctx.stats_port.unwrap_or(-1);
    let unit_zero = service_unit("", &[], &common);
    let cfg_zero = zero_service_alias_config();
    Struct::with_interfaces(
        TEMPLATE_DATA,
        vec![
            ("WorkingDir", s(&ctx.base)),
            ("State", Value::struct_map(named(SERVICE_ALIAS_CONFIG), cfg_zero, state)),
            ("ServiceUnits", Value::struct_map(named(SERVICE_UNIT), unit_zero, units)),
            ("DefaultCertificate", s(&ctx.default_cert_path)),
            ("DefaultDestinationCA", s(ctx.default_dest_ca.unwrap_or(""))),
            ("StatsUser", s(settings.env("STATS_USERNAME", ""))),
            ("StatsPassword", s(settings.env("STATS_PASSWORD", ""))),
            ("StatsPort", int(stats_port)),
            ("BindPorts", Value::Bool(true)),
            ("DynamicConfigManager", manager),
            ("DisableHTTP2", Value::Bool(ctx.disable_http2)),
            ("CaptureHTTPRequestHeaders", captures(&ctx.startup.capture_request)),
            ("CaptureHTTPResponseHeaders", captures(&ctx.startup.capture_response)),
            ("CaptureHTTPCookie", cookie),
            ("HTTPHeaderNameCaseAdjustments", adjust),
            ("HaveClientCA", Value::Bool(settings.get("ROUTER_MUTUAL_TLS_AUTH_CA").is_some())),
            ("HaveCRLs", Value::Bool(false)),
            ("HTTPResponseHeaders", global_headers(&ctx.response_actions, &common)),
            ("HTTPRequestHeaders", global_headers(&ctx.request_actions, &common)),
            ("CertificateIndex", Value::typed_map(false, GoType::Int, index)),
        ],
        &["DynamicConfigManager"],
    )
}

fn service_unit(key: &str, records: &[Record], common: &Common) -> Value {
    let (ns, name) = key.split_once('/').unwrap_or(("", key));
    let endpoints = records.iter().map(endpoint).collect();
    Struct::value(
        SERVICE_UNIT,
        vec![
            ("Name", s(key)),
            ("Hostname", Value::from(if key.is_empty() { String::new() } else { format!("{name}.{ns}.svc") })),
            ("EndpointTable", Value::typed_list(common.endpoint.clone(), endpoints)),
            ("ServiceAliasAssociations", common.no_associations.clone()),
        ],
    )
}

fn endpoint(r: &Record) -> Value {
    // The router names the pod behind a `pod:` record, and the address otherwise.
    let target = match r.id.strip_prefix("pod:") {
        Some(rest) => rest.split(':').next().unwrap_or(""),
        None => r.ip.trim_start_matches('[').trim_end_matches(']'),
    };
    Struct::value(
        ENDPOINT,
        vec![
            ("ID", s(&r.id)),
            ("IP", s(&r.ip)),
            ("Port", s(&r.port)),
            ("TargetName", s(target)),
            ("PortName", s(&r.port_name)),
            ("IdHash", s(&r.id_hash)),
            ("NoHealthCheck", Value::Bool(r.no_health_check)),
            ("AppProtocol", s(&r.app_protocol)),
        ],
    )
}

/// A `Certificate`; `Certificate{}` (all empty) is what `index` gives for a certificate a
/// route does not have.
fn certificate_value(id: &str, contents: &str, key: &str) -> Value {
    Struct::value(CERTIFICATE, vec![("ID", s(id)), ("Contents", s(contents)), ("PrivateKey", s(key))])
}

fn zero_service_alias_config() -> Value {
    Struct::value(SERVICE_ALIAS_CONFIG, SERVICE_ALIAS_FIELDS.iter().map(|f| (*f, Value::Nil)).collect())
}

const SERVICE_ALIAS_FIELDS: [&str; 21] = [
    "Name",
    "Namespace",
    "Host",
    "Path",
    "TLSTermination",
    "Certificates",
    "VerifyServiceHostname",
    "Status",
    "PreferPort",
    "InsecureEdgeTerminationPolicy",
    "RoutingKeyName",
    "IsWildcard",
    "Annotations",
    "ServiceUnits",
    "ServiceUnitNames",
    "ActiveServiceUnits",
    "ActiveEndpoints",
    "EndpointTable",
    "HTTPResponseHeaders",
    "HTTPRequestHeaders",
    "PrimaryServiceUnitKey",
];

fn service_alias_config(a: &Alias<'_>, ctx: &Ctx<'_>, common: &Common) -> Value {
    let r = a.route;
    let tls = r.tls.as_deref().filter(|_| a.termination != Termination::Plain);
    // Plain and passthrough routes have a nil certificate map; the others a map keyed by host.
    let certificates = match tls {
        Some(t) if a.termination != Termination::Passthrough => {
            let host = r.host.as_str();
            let mut m = Vec::new();
            if !t.certificate.is_empty() {
                m.push((host.to_owned(), certificate_value(&a.key, t.certificate.as_str(), t.key.as_str())));
            }
            if !t.ca_certificate.is_empty() {
                m.push((format!("{host}_ca"), certificate_value(&a.key, t.ca_certificate.as_str(), "")));
            }
            if !t.destination_ca.is_empty() {
                m.push((format!("{host}_pod"), certificate_value(&a.key, t.destination_ca.as_str(), "")));
            }
            Value::struct_map(common.certificate.clone(), common.zero_certificate.clone(), m)
        }
        _ => common.no_certificates.clone(),
    };
    let verify = a.termination == Termination::Reencrypt
        && tls.is_some_and(|t| t.destination_ca.is_empty())
        && ctx.default_dest_ca.is_some_and(|p| !p.is_empty());
    let annotations: Map<Key, Value> =
        r.meta.annotations.iter().map(|(k, v)| (Key::Str(k.clone()), s(v.as_str()))).collect();
    let weights = a.units.iter().map(|u| (Key::Str(u.key.clone()), int(u.weight)));
    let names = a.units.iter().filter_map(|u| u.server_weight.map(|w| (Key::Str(u.key.clone()), int(w))));
    // The router fills the per-route endpoint table only for the dynamic config manager.
    let table = if ctx.dynamic {
        let table = a.units.iter().map(|u| (Key::Str(u.key.clone()), unit_endpoints(u, common)));
        Value::typed_map(false, slice_type(ENDPOINT), table)
    } else {
        common.no_endpoint_table.clone()
    };
    let primary = format!("{}/{}", r.meta.namespace.as_str(), r.to.name.as_str());
    Struct::value(
        SERVICE_ALIAS_CONFIG,
        vec![
            ("Name", s(r.meta.name.as_str())),
            ("Namespace", s(r.meta.namespace.as_str())),
            ("Host", s(r.host.as_str())),
            ("Path", s(r.path.as_str())),
            ("TLSTermination", s(r.termination_text())),
            ("Certificates", certificates),
            ("VerifyServiceHostname", Value::Bool(verify)),
            ("Status", common.saved.clone()),
            ("PreferPort", s(r.target_port.as_ref().map_or("", |p| p.as_str()))),
            ("InsecureEdgeTerminationPolicy", s(r.insecure_policy())),
            ("RoutingKeyName", s(&a.routing_key)),
            ("IsWildcard", Value::Bool(a.wildcard)),
            ("Annotations", Value::typed_map(false, GoType::String, annotations)),
            ("ServiceUnits", Value::typed_map(false, GoType::Int, weights)),
            ("ServiceUnitNames", Value::typed_map(false, GoType::Int, names)),
            ("ActiveServiceUnits", count(a.active_units)),
            ("ActiveEndpoints", count(a.active_endpoints)),
            ("EndpointTable", table),
            ("HTTPResponseHeaders", route_headers(&r.response_headers, common)),
            ("HTTPRequestHeaders", route_headers(&r.request_headers, common)),
            ("PrimaryServiceUnitKey", Value::from(primary)),
        ],
    )
}

fn unit_endpoints(u: &Unit<'_>, common: &Common) -> Value {
    Value::typed_list(common.endpoint.clone(), u.servers.iter().map(|r| endpoint(r)).collect())
}

/// The router's `SanitizeHeaderValue`: the value in single quotes, `'` as `'\''`.
fn quoted(v: &str) -> Value {
    let mut out = String::with_capacity(v.len() + 2);
    single_quoted(&mut out, v);
    Value::from(out)
}

fn header(name: &str, value: Option<&str>, action: &str) -> Value {
    Struct::value(
        HTTP_HEADER,
        vec![("Name", quoted(name)), ("Value", value.map_or_else(|| s(""), quoted)), ("Action", s(action))],
    )
}

fn headers(items: Vec<Value>, common: &Common) -> Value {
    if items.is_empty() {
        return common.no_headers.clone();
    }
    Value::typed_list(common.header.clone(), items)
}

/// The router's `getHeadersList`: a Set needs a name and a non-empty value, a Delete a name.
fn route_headers(actions: &[HeaderAction], common: &Common) -> Value {
    let items = actions
        .iter()
        .filter_map(|h| {
            let name = h.name.as_str();
            match h.kind.as_str() {
                "Set" if !name.is_empty() => {
                    let v = h.value.as_ref().filter(|v| !v.is_empty())?;
                    Some(header(name, Some(v.as_str()), "Set"))
                }
                "Delete" if !name.is_empty() => Some(header(name, None, "Delete")),
                _ => None,
            }
        })
        .collect();
    headers(items, common)
}

fn global_headers(actions: &[GlobalAction], common: &Common) -> Value {
    let items = actions
        .iter()
        .map(|a| match a {
            GlobalAction::Set(n, v) => header(n, v.as_deref(), "Set"),
            GlobalAction::Delete(n) => header(n, None, "Delete"),
        })
        .collect();
    headers(items, common)
}
