//! The validate stage: the checks the API server would make before the router ever saw the
//! objects, annotation values, services and endpoints a route depends on, certificate dates,
//! and values the router accepts but HAProxy then refuses. Admission (`crate::admission`) adds
//! the router's own decisions. Everything here only reports; nothing changes the output.

mod annotations;
mod backends;
mod certs;
mod fields;

use crate::diag::Diagnostics;
use crate::endpoints::Tables;
use crate::objects::Objects;

/// The checks on each route's own fields, before admission. `now` (seconds since the epoch)
/// enables the certificate date checks; the core has no clock of its own.
pub fn routes(objs: &Objects, now: Option<i64>, diags: &mut Diagnostics) {
    for r in &objs.routes {
        fields::check(r, diags);
        annotations::check(r, diags);
        if let Some(now) = now {
            certs::check(r, now, diags);
        }
    }
}

/// The checks of what the admitted routes (indices into `objs.routes`) send traffic to.
pub fn backends(objs: &Objects, tables: &Tables, admitted: &[usize], diags: &mut Diagnostics) {
    backends::check(objs, tables, admitted, diags);
}

/// `ns/name` of an object, for messages.
fn who(meta: &crate::objects::Meta) -> String {
    format!("{}/{}", meta.namespace.value, meta.name.value)
}
