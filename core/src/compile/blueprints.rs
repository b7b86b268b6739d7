//! The dynamic config manager's blueprint pools (`ROUTER_HAPROXY_CONFIG_MANAGER=true`). At
//! start-up the manager adds, for each of its three built-in blueprints (plain HTTP, edge and
//! passthrough), `ROUTER_BLUEPRINT_ROUTE_POOL_SIZE` routes straight to the template router, past
//! admission: namespace `_hapcm_blueprint_pool`, names `_blueprint-<kind>-route-<n>`, no host,
//! one service `_hapcm_blueprint_pool.svc` of weight 0 and no endpoints. They become backends
//! without servers and without map entries, ready to be claimed over the runtime API.

use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::{BackendRef, Meta, Route, Str, Tls};
use crate::settings::Settings;

const NAMESPACE: &str = "_hapcm_blueprint_pool";

/// More pool routes than this per blueprint are not generated (the router would try).
const MAX_POOL: i64 = 10_000;

/// The pool routes of the three built-in blueprints.
pub(crate) fn pool_routes(settings: &Settings, diags: &mut Diagnostics) -> Vec<Route> {
    if settings.get("ROUTER_BLUEPRINT_ROUTE_NAMESPACE").is_some() {
        diags.push(
            Diagnostic::warning(
                "routec::settings::not-reproduced",
                "ROUTER_BLUEPRINT_ROUTE_NAMESPACE: custom blueprint routes are not reproduced; the router adds a pool of backends for each route in that namespace (matching ROUTER_BLUEPRINT_ROUTE_LABELS), which this output lacks",
            )
            .help("only the three built-in blueprint pools are generated"),
        );
    }
    // `envInt(…, 10, 0)`: a 32-bit integer, the default when it does not parse or is negative.
    let size = settings
        .get("ROUTER_BLUEPRINT_ROUTE_POOL_SIZE")
        .and_then(|v| v.parse::<i32>().ok())
        .filter(|n| *n >= 0)
        .map_or(10, i64::from);
    if size > MAX_POOL {
        diags.push(
            Diagnostic::warning(
                "routec::settings::not-reproduced",
                format!("ROUTER_BLUEPRINT_ROUTE_POOL_SIZE={size}: routec generates at most {MAX_POOL} blueprint backends per blueprint; the router would write {size} of each"),
            )
            .help("use a pool size the router can reload quickly (the operator default is 10)"),
        );
    }
    let size = size.min(MAX_POOL);
    let mut out = Vec::new();
    for (kind, termination) in [("http", None), ("edge", Some("edge")), ("passthrough", Some("passthrough"))] {
        for n in 1..=size {
            out.push(Route {
                meta: Meta {
                    name: Str { value: format!("_blueprint-{kind}-route-{n}"), span: None },
                    namespace: Str { value: NAMESPACE.to_owned(), span: None },
                    ..Meta::default()
                },
                to: BackendRef {
                    kind: Str { value: "Service".to_owned(), span: None },
                    name: Str { value: format!("{NAMESPACE}.svc"), span: None },
                    weight: 0,
                    ..BackendRef::default()
                },
                tls: termination
                    .map(|t| Box::new(Tls { termination: Str { value: t.to_owned(), span: None }, ..Tls::default() })),
                ..Route::default()
            });
        }
    }
    out
}
