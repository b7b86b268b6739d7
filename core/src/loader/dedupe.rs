//! The same object more than once (two files, or one file twice): the last definition wins,
//! as with `oc apply` of each file in turn, and a warning points at both. Without this, two
//! copies of one Route compile to two backends of one name, which HAProxy refuses, taking
//! every route on the router down.
//!
//! The survivor keeps the first definition's place and, where input order stands in for
//! them, its age and uid: a sequential `oc apply` creates the object once and updates it.

use crate::hash::FastMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::{Meta, Objects};

/// Removes repeated objects of each kind, keeping the last content in the first place.
pub(super) fn dedupe(objs: &mut Objects, diags: &mut Diagnostics) {
    keep_last(&mut objs.routes, "Route", |r| &mut r.meta, diags);
    keep_last(&mut objs.services, "Service", |s| &mut s.meta, diags);
    keep_last(&mut objs.endpoints, "Endpoints", |e| &mut e.meta, diags);
    keep_last(&mut objs.slices, "EndpointSlice", |s| &mut s.meta, diags);
    keep_last(&mut objs.secrets, "Secret", |s| &mut s.meta, diags);
}

fn keep_last<T>(items: &mut Vec<T>, kind: &str, meta: impl Fn(&mut T) -> &mut Meta, diags: &mut Diagnostics) {
    let mut first: FastMap<(String, String), usize> =
        FastMap::with_capacity_and_hasher(items.len(), Default::default());
    let mut later: Vec<(usize, usize)> = Vec::new();
    for (i, item) in items.iter_mut().enumerate() {
        let m = meta(item);
        if m.name.is_empty() {
            continue;
        }
        let key = (m.namespace.value.clone(), m.name.value.clone());
        match first.get(&key) {
            Some(&f) => later.push((f, i)),
            None => {
                first.insert(key, i);
            }
        }
    }
    if later.is_empty() {
        return;
    }
    let mut dropped = vec![false; items.len()];
    for &(f, i) in &later {
        // `items[f]` holds the previous winner (it may already be a replacement).
        let (head, tail) = items.split_at_mut(i);
        let (Some(old), Some(new)) = (head.get_mut(f), tail.first_mut()) else { continue };
        let (old, new) = (meta(old), meta(new));
        let name = format!("{}/{}", new.namespace.value, new.name.value);
        diags.push(
            Diagnostic::warning(
                "routec::input::duplicate-object",
                format!("{kind} {name} is defined more than once; the last definition wins, as with `oc apply` of each file in turn"),
            )
            .at(new.name.span.unwrap_or(new.span), "this definition wins")
            .related(old.name.span.unwrap_or(old.span), "an earlier definition, replaced")
            .help("keep one definition of each object (check overlapping folders, kustomize overlays or copied files)"),
        );
        if new.created_from_order {
            new.created = old.created;
            new.created_from_order = old.created_from_order;
        }
        if new.uid_from_order {
            new.uid.clone_from(&old.uid);
            new.uid_from_order = old.uid_from_order;
        }
        new.index = old.index;
        items.swap(f, i);
        dropped[i] = true;
    }
    let mut k = 0;
    items.retain(|_| {
        k += 1;
        !dropped[k - 1]
    });
}
