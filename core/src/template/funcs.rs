//! The router's template `FuncMap` (`helperFunctions` in template_helper.go, plus the
//! per-file `generateHAProxyMap` that plugin.go adds): the functions that need no compiler
//! data come from `gotmpl::router_funcs`; the rest are here. Each calls the helper the built-in
//! emitter uses (`compile::maps`, `compile::alias`, `annotations`), so both paths share one
//! implementation of every rule.

use crate::sorted::Map;
use std::cell::RefCell;
use std::rc::Rc;

use super::data::{named, SERVICE_ALIAS_CONFIG, SERVICE_UNIT, TEMPLATE_DATA};
use super::object::{bool_field, field, str_field};
use super::re2::Cache;
use crate::compile::maps::{self, Backend, MapFile};
use crate::gotext::quote_meta;
use crate::gotmpl::{router_funcs, Func, FuncMap, GoType, Key, Value};
use crate::objects::{InsecurePolicy, Termination};
use crate::settings::Settings;

/// What the functions share with the renderer: the name of the file being rendered (for
/// `generateHAProxyMap`) and the allow-list files `generateHAProxyAllowlistFile` writes.
#[derive(Default, Clone)]
pub(crate) struct Shared {
    /// The template being executed, e.g. `conf/os_http_be.map`.
    pub current: Rc<RefCell<String>>,
    /// Allow-list files as (file name under `router/allowlists/`, contents).
    pub allowlists: Rc<RefCell<Map<String, String>>>,
}

fn string(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        _ => String::new(),
    }
}

/// A string argument borrowed (Go's type check has run: it is a string or nil).
fn text(v: &Value) -> &str {
    match v {
        Value::Str(s) => s,
        _ => "",
    }
}

fn boolean(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

/// The router's allow-list limit: HAProxy's 64 words per line, minus three.
const INLINE_LIMIT: usize = 61;

/// The router's `ValidateAllowlist`: the non-empty space-separated entries, and whether they
/// fit on one line.
fn allowlist(value: &str) -> (Vec<&str>, bool) {
    let cidrs: Vec<&str> = value.split(' ').filter(|v| !v.is_empty()).collect();
    let fits = cidrs.len() <= INLINE_LIMIT;
    (cidrs, fits)
}

/// Every function of the router's FuncMap, `env` reading `settings`.
pub(crate) fn funcs(settings: &Settings, shared: &Shared) -> FuncMap {
    let env: Map<String, String> = settings.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    let mut m = router_funcs(&env);
    let re = Cache::default();
    let add = |m: &mut FuncMap, name: &str, f: Func| {
        m.insert(name.to_owned(), f);
    };
    let cache = re.clone();
    add(
        &mut m,
        "firstMatch",
        Func::new(vec![GoType::String], "func(string, ...string) string", move |a| {
            let pattern = text(&a[0]);
            for v in &a[1..] {
                // An invalid pattern matches nothing, as the router only logs it.
                if cache.full_match(pattern, text(v)).unwrap_or(false) {
                    return Ok(if matches!(v, Value::Str(_)) { v.clone() } else { Value::from("") });
                }
            }
            Ok(Value::from(""))
        })
        .variadic(GoType::String),
    );
    let cache = re;
    add(
        &mut m,
        "matchPattern",
        Func::new(vec![GoType::String, GoType::String], "func(string, string) bool", move |a| {
            Ok(Value::Bool(cache.full_match(text(&a[0]), text(&a[1])).unwrap_or(false)))
        }),
    );
    add(
        &mut m,
        "generateRouteRegexp",
        Func::new(vec![GoType::String, GoType::String, GoType::Bool], "func(string, string, bool) string", |a| {
            Ok(Value::from(maps::route_re(&string(&a[0]), &string(&a[1]), boolean(&a[2]))))
        }),
    );
    add(
        &mut m,
        "genSubdomainWildcardRegexp",
        Func::new(vec![GoType::String, GoType::String, GoType::Bool], "func(string, string, bool) string", |a| {
            Ok(Value::from(subdomain_wildcard_re(&string(&a[0]), &string(&a[1]), boolean(&a[2]))))
        }),
    );
    add(
        &mut m,
        "genCertificateHostName",
        Func::new(vec![GoType::String, GoType::Bool], "func(string, bool) string", |a| {
            Ok(Value::from(maps::cert_host(&string(&a[0]), boolean(&a[1]))))
        }),
    );
    add(
        &mut m,
        "genBackendNamePrefix",
        Func::new(vec![GoType::String], "func(v1.TLSTerminationType) string", |a| {
            Ok(Value::from(Termination::parse(&string(&a[0])).backend_prefix()))
        }),
    );
    let alias_t = named(SERVICE_ALIAS_CONFIG);
    let unit_t = named(SERVICE_UNIT);
    add(
        &mut m,
        "endpointsForAlias",
        Func::new(
            vec![alias_t.clone(), unit_t.clone()],
            "func(templaterouter.ServiceAliasConfig, templaterouter.ServiceUnit) []templaterouter.Endpoint",
            |a| Ok(endpoints_for_alias(&a[0], &a[1])),
        ),
    );
    add(
        &mut m,
        "processEndpointsForAlias",
        Func::new(
            vec![alias_t, unit_t, GoType::String],
            "func(templaterouter.ServiceAliasConfig, templaterouter.ServiceUnit, string) []templaterouter.Endpoint",
            // "shuffle" asks the router for a random order; routec keeps the table's order so
            // that the output stays deterministic.
            |a| Ok(endpoints_for_alias(&a[0], &a[1])),
        ),
    );
    add(
        &mut m,
        "getHTTPAliasesGroupedByHost",
        Func::new(vec![GoType::Reflect], "func(map[templaterouter.ServiceAliasConfigKey]templaterouter.ServiceAliasConfig) map[string]map[templaterouter.ServiceAliasConfigKey]templaterouter.ServiceAliasConfig", |a| {
            grouped_by_host(&a[0])
        }),
    );
    add(
        &mut m,
        "getPrimaryAliasKey",
        Func::new(vec![GoType::Reflect], "func(map[string]templaterouter.ServiceAliasConfig) string", |a| {
            primary_alias_key(&a[0])
        }),
    );
    let current = shared.current.clone();
    add(
        &mut m,
        "generateHAProxyMap",
        Func::new(vec![named(TEMPLATE_DATA)], "func(templaterouter.templateData) []string", move |a| {
            let name = current.borrow();
            let base = name.rsplit('/').next().unwrap_or(&name);
            let lines = MapFile::named(base).map(|map| map_lines(map, &a[0])).unwrap_or_default();
            Ok(Value::typed_list(GoType::String, lines.into_iter().map(Value::from).collect()))
        }),
    );
    add(
        &mut m,
        "validateHAProxyAllowlist",
        Func::new(vec![GoType::String], "func(string) bool", |a| Ok(Value::Bool(allowlist(&string(&a[0])).1))),
    );
    let files = shared.allowlists.clone();
    add(
        &mut m,
        "generateHAProxyAllowlistFile",
        Func::new(
            vec![GoType::String, GoType::String, GoType::String],
            "func(string, templaterouter.ServiceAliasConfigKey, string) string",
            move |a| {
                let (dir, id, value) = (string(&a[0]), string(&a[1]), string(&a[2]));
                // File names come only from route keys: anything that could leave the
                // directory is refused, as a failed write is in the router ("" back).
                if id.is_empty() || id.contains(['/', '\\', '\0', '\n', '\r']) || id.starts_with('.') {
                    return Ok(Value::from(""));
                }
                let (cidrs, _) = allowlist(&value);
                let name = format!("{id}.txt");
                let mut body = cidrs.join("\n");
                body.push('\n');
                files.borrow_mut().insert(name.clone(), body);
                Ok(Value::from(format!("{}/router/allowlists/{name}", dir.trim_end_matches('/'))))
            },
        ),
    );
    add(
        &mut m,
        "escapeSingleQuotes",
        Func::new(vec![GoType::String], "func(string) string", |a| {
            Ok(Value::from(string(&a[0]).replace('\'', "'\\''").replace(['\n', '\r'], "")))
        }),
    );
    m
}

/// The router's `genSubdomainWildcardRegexp` (legacy; kept for old templates).
fn subdomain_wildcard_re(host: &str, path: &str, exact: bool) -> String {
    let domain = host.split_once('.').map_or("", |(_, d)| d);
    if domain.is_empty() {
        return format!("{host}{path}");
    }
    let expr = quote_meta(&format!(".{domain}{path}"));
    if exact {
        format!(r"^[^\.]*{expr}$")
    } else {
        format!(r"^[^\.]*{expr}(|/.*)$")
    }
}

/// The router's `endpointsForAlias`: the service's endpoints, only those matching the
/// route's target port when it names one.
fn endpoints_for_alias(alias: &Value, unit: &Value) -> Value {
    let prefer = str_field(alias, "PreferPort");
    let table = field(unit, "EndpointTable");
    let Value::List(list) = &table else { return table };
    if prefer.is_empty() {
        return table.clone();
    }
    let items = list
        .items
        .iter()
        .filter(|e| *str_field(e, "PortName") == *prefer || *str_field(e, "Port") == *prefer)
        .cloned()
        .collect();
    Value::typed_list(list.elem.clone(), items)
}

fn alias_map(v: &Value) -> Result<&crate::gotmpl::Map, String> {
    match v {
        Value::Map(m) => Ok(m),
        Value::Nil => Err("expected a map of ServiceAliasConfig; found nil".into()),
        v => Err(format!("expected a map of ServiceAliasConfig; found {}", v.type_name())),
    }
}

/// The router's `getHTTPAliasesGroupedByHost`: non-passthrough aliases by host.
fn grouped_by_host(v: &Value) -> Result<Value, String> {
    let m = alias_map(v)?;
    let groups = Map::grouped(
        m.entries
            .iter()
            .filter(|(_, a)| &*str_field(a, "TLSTermination") != "passthrough")
            .map(|(k, a)| (str_field(a, "Host").to_string(), (k.clone(), a.clone()))),
    );
    let inner = GoType::Named {
        name: format!("map[templaterouter.ServiceAliasConfigKey]{SERVICE_ALIAS_CONFIG}").into(),
        nilable: true,
    };
    let zero = m.zero.clone();
    let entries = groups.into_iter().map(|(h, items)| {
        let map = crate::gotmpl::Map {
            int_keys: false,
            elem: m.elem.clone(),
            entries: items.into_iter().collect(),
            zero: zero.clone(),
        };
        (Key::Str(h), Value::Map(Rc::new(map)))
    });
    Ok(Value::typed_map(false, inner, entries))
}

/// The router's `getPrimaryAliasKey`, including its quirk: the key list starts with as many
/// empty strings as there are aliases, which sort last in reverse order and never win.
fn primary_alias_key(v: &Value) -> Result<Value, String> {
    let m = alias_map(v)?;
    let keys: Vec<String> = m.entries.keys().map(|k| k.to_value()).map(|k| string(&k)).collect();
    match keys.len() {
        0 => return Ok(Value::from("")),
        1 => return Ok(Value::from(keys[0].as_str())),
        _ => {}
    }
    let mut sorted = keys.clone();
    crate::sort::sort_unstable_by(&mut sorted, |a, b| b.cmp(a));
    for k in &sorted {
        let a = m.entries.get_str(k).cloned().unwrap_or_default();
        if matches!(&*str_field(&a, "TLSTermination"), "edge" | "reencrypt") {
            return Ok(Value::from(k.as_str()));
        }
    }
    Ok(Value::from(sorted[0].as_str()))
}

/// The lines of one map file from the template data, as the router's `generateHAProxyMap`
/// builds them from `State`, in the router's order.
fn map_lines(map: MapFile, td: &Value) -> Vec<String> {
    let Value::Map(state) = field(td, "State") else { return Vec::new() };
    let base = str_field(td, "WorkingDir");
    let disable_http2 = bool_field(td, "DisableHTTP2");
    let index = field(td, "CertificateIndex");
    let mut lines = Vec::new();
    for (k, cfg) in &state.entries {
        let key = string(&k.to_value());
        let (host, path) = (str_field(cfg, "Host"), str_field(cfg, "Path"));
        let termination = str_field(cfg, "TLSTermination");
        let policy = str_field(cfg, "InsecureEdgeTerminationPolicy");
        let contents = if host.is_empty() || map != MapFile::CertConfig {
            Rc::from("")
        } else {
            let certs = field(cfg, "Certificates");
            match &certs {
                Value::Map(c) => c.entries.get_str(&host).map_or(Rc::from(""), |c| str_field(c, "Contents")),
                _ => Rc::from(""),
            }
        };
        let b = Backend {
            name: &key,
            host: &host,
            path: &path,
            wildcard: bool_field(cfg, "IsWildcard"),
            termination: Termination::parse(&termination),
            policy: InsecurePolicy::parse(&policy),
            has_cert: !contents.is_empty(),
        };
        let Some((k, v)) = maps::entry(map, &b) else { continue };
        if map == MapFile::CertConfig {
            let uses = match &index {
                Value::Map(i) => match i.entries.get_str(&contents) {
                    Some(Value::Int(n)) => *n,
                    _ => 0,
                },
                _ => 0,
            };
            lines.push(maps::cert_line(&base, &k, !(disable_http2 || uses > 1), &v));
        } else {
            lines.push(format!("{k} {v}"));
        }
    }
    maps::sort_lines(map, &mut lines);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_regexp_helpers() {
        assert_eq!(subdomain_wildcard_re("www.example.test", "/p", true), r"^[^\.]*\.example\.test/p$");
        assert_eq!(subdomain_wildcard_re("www.example.test", "", false), r"^[^\.]*\.example\.test(|/.*)$");
        assert_eq!(subdomain_wildcard_re("localhost", "/x", false), "localhost/x");
    }

    #[test]
    fn allowlists_split_on_single_spaces() {
        assert_eq!(allowlist("a  b"), (vec!["a", "b"], true));
        let long = vec!["10.0.0.1"; 62].join(" ");
        assert!(!allowlist(&long).1);
    }
}
