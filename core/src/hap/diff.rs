//! Semantic comparison of two models: every difference in what HAProxy would do, reported at
//! the element that explains it (a setting with both values, a server option, a rule family
//! whose order or content changed, a map entry missing, extra, changed or out of order).

use super::mapfile::MapEntry;
use super::model::{Item, Model, Origin, SectionModel, Server};

/// One semantic difference. `expected` is the left model (what routec compiles), `found` the
/// right one (what is deployed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The section or file, e.g. `backend be_http:demo:web` or `map conf/os_http_be.map`.
    pub place: String,
    /// The element, e.g. `balance`, `server pod:web-0:... weight`, `http-request rules`.
    pub field: String,
    /// What kind of difference.
    pub kind: Kind,
    /// The left value, when it has one.
    pub expected: Option<String>,
    /// The right value, when it has one.
    pub found: Option<String>,
    /// Where on the left.
    pub expected_at: Option<Origin>,
    /// Where on the right.
    pub found_at: Option<Origin>,
}

/// Kinds of differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Only on the left.
    Missing,
    /// Only on the right.
    Extra,
    /// On both sides with different values.
    Changed,
    /// The same elements in a different order where order matters.
    Order,
}

impl Kind {
    /// `missing`, `extra`, `changed`, `order`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::Extra => "extra",
            Kind::Changed => "changed",
            Kind::Order => "order",
        }
    }
}

struct Out(Vec<Difference>);

impl Out {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        place: &str,
        field: impl Into<String>,
        kind: Kind,
        expected: Option<String>,
        found: Option<String>,
        expected_at: Option<&Origin>,
        found_at: Option<&Origin>,
    ) {
        self.0.push(Difference {
            place: place.to_owned(),
            field: field.into(),
            kind,
            expected,
            found,
            expected_at: expected_at.cloned(),
            found_at: found_at.cloned(),
        });
    }
}

/// The keys of two maps, sorted and once each. A sorted vector rather than a `BTreeSet`: one
/// sort serves every caller, where each set type is kilobytes of code in the wasm module.
fn union<'a>(a: impl Iterator<Item = &'a String>, b: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
    let mut keys: Vec<&String> = a.chain(b).collect();
    crate::sort::sort(&mut keys);
    keys.dedup();
    keys
}

/// Every semantic difference between `left` (expected) and `right` (found), in a stable order.
pub fn diff(left: &Model, right: &Model) -> Vec<Difference> {
    let mut out = Out(Vec::new());
    let keys = union(left.sections.keys(), right.sections.keys());
    for k in keys {
        match (left.sections.get(k), right.sections.get(k)) {
            (Some(a), Some(b)) => section(k, a, b, &mut out),
            (Some(a), None) => out.push(k, "section", Kind::Missing, Some(k.clone()), None, Some(&a.origin), None),
            (None, Some(b)) => out.push(k, "section", Kind::Extra, None, Some(k.clone()), None, Some(&b.origin)),
            (None, None) => {}
        }
    }
    let maps = union(left.maps.keys(), right.maps.keys());
    for m in maps {
        let place = format!("map {m}");
        match (left.maps.get(m), right.maps.get(m)) {
            (Some(a), Some(b)) => entries(&place, m, a, b, &mut out),
            (Some(_), None) => out.push(&place, "file", Kind::Missing, Some(m.clone()), None, None, None),
            (None, Some(_)) => out.push(&place, "file", Kind::Extra, None, Some(m.clone()), None, None),
            (None, None) => {}
        }
    }
    let lists = union(left.crt_lists.keys(), right.crt_lists.keys());
    for l in lists {
        let place = format!("crt-list {l}");
        let show = |e: &super::mapfile::CrtEntry| {
            let opts = if e.options.is_empty() { String::new() } else { format!(" [{}]", e.options.join(" ")) };
            format!("{}{opts} {}", e.cert, e.filters.join(" ")).trim_end().to_owned()
        };
        let a: Vec<String> = left.crt_lists.get(l).map(|v| v.iter().map(show).collect()).unwrap_or_default();
        let b: Vec<String> = right.crt_lists.get(l).map(|v| v.iter().map(show).collect()).unwrap_or_default();
        let origin = |m: &Model, idx: usize| {
            m.crt_lists.get(l).and_then(|v| v.get(idx)).map(|e| Origin {
                file: l.as_str().into(),
                line: e.line,
                span: e.span.clone(),
            })
        };
        sequence(&place, "entry", &a, &b, &mut out, |i| origin(left, i), |i| origin(right, i));
    }
    out.0
}

fn words(i: &Item) -> String {
    i.words.join(" ")
}

fn section(place: &str, a: &SectionModel, b: &SectionModel, out: &mut Out) {
    if a.header != b.header {
        out.push(
            place,
            "header",
            Kind::Changed,
            Some(a.header.join(" ")),
            Some(b.header.join(" ")),
            Some(&a.origin),
            Some(&b.origin),
        );
    }
    let keys = union(a.settings.keys(), b.settings.keys());
    for k in keys {
        match (a.settings.get(k), b.settings.get(k)) {
            (Some(x), Some(y)) if x != y => {
                out.push(
                    place,
                    k.as_str(),
                    Kind::Changed,
                    Some(words(x)),
                    Some(words(y)),
                    Some(&x.origin),
                    Some(&y.origin),
                );
            }
            (Some(x), None) => out.push(place, k.as_str(), Kind::Missing, Some(words(x)), None, Some(&x.origin), None),
            (None, Some(y)) => out.push(place, k.as_str(), Kind::Extra, None, Some(words(y)), None, Some(&y.origin)),
            _ => {}
        }
    }
    let fams = union(a.families.keys(), b.families.keys());
    for f in fams {
        let x: Vec<&Item> = a.families.get(f).map(|v| v.iter().collect()).unwrap_or_default();
        let y: Vec<&Item> = b.families.get(f).map(|v| v.iter().collect()).unwrap_or_default();
        let xs: Vec<String> = x.iter().map(|i| words(i)).collect();
        let ys: Vec<String> = y.iter().map(|i| words(i)).collect();
        sequence(
            place,
            &format!("{f} rule"),
            &xs,
            &ys,
            out,
            |i| x.get(i).map(|it| it.origin.clone()),
            |i| y.get(i).map(|it| it.origin.clone()),
        );
    }
    let sets = union(a.sets.keys(), b.sets.keys());
    for s in sets {
        let x: Vec<&Item> = a.sets.get(s).map(|v| v.iter().collect()).unwrap_or_default();
        let y: Vec<&Item> = b.sets.get(s).map(|v| v.iter().collect()).unwrap_or_default();
        let mut ys: Vec<Option<&Item>> = y.iter().map(|i| Some(*i)).collect();
        for i in &x {
            match ys.iter_mut().find(|o| o.is_some_and(|j| j == *i)) {
                Some(slot) => *slot = None,
                None => out.push(place, s.as_str(), Kind::Missing, Some(words(i)), None, Some(&i.origin), None),
            }
        }
        for j in ys.into_iter().flatten() {
            out.push(place, s.as_str(), Kind::Extra, None, Some(words(j)), None, Some(&j.origin));
        }
    }
    servers(place, &a.servers, &b.servers, out);
}

/// Each server with its occurrence among servers of the same name: HAProxy refuses duplicate
/// names, but a file must still equal itself, so the k-th `s` on the left pairs with the k-th
/// `s` on the right.
fn keyed(list: &[Server]) -> Vec<(&str, usize)> {
    let mut seen: crate::hash::FastMap<&str, usize> = crate::hash::FastMap::default();
    list.iter()
        .map(|s| {
            let n = seen.entry(s.name.as_str()).or_default();
            *n += 1;
            (s.name.as_str(), *n)
        })
        .collect()
}

fn index<'a>(keys: &[(&'a str, usize)]) -> crate::hash::FastMap<(&'a str, usize), usize> {
    keys.iter().enumerate().map(|(i, k)| (*k, i)).collect()
}

fn servers(place: &str, a: &[Server], b: &[Server], out: &mut Out) {
    let (ak, bk) = (keyed(a), keyed(b));
    let (ai, bi) = (index(&ak), index(&bk));
    for (s, key) in a.iter().zip(&ak) {
        let Some(t) = bi.get(key).and_then(|&j| b.get(j)) else {
            out.push(
                place,
                format!("server {}", s.name),
                Kind::Missing,
                Some(s.address.clone()),
                None,
                Some(&s.origin),
                None,
            );
            continue;
        };
        if s.address != t.address {
            out.push(
                place,
                format!("server {} address", s.name),
                Kind::Changed,
                Some(s.address.clone()),
                Some(t.address.clone()),
                Some(&s.origin),
                Some(&t.origin),
            );
        }
        let opts = union(s.options.keys(), t.options.keys());
        for o in opts {
            let show = |v: &Vec<String>| if v.is_empty() { o.clone() } else { format!("{o} {}", v.join(" ")) };
            match (s.options.get(o), t.options.get(o)) {
                (Some(x), Some(y)) if x != y => out.push(
                    place,
                    format!("server {} {o}", s.name),
                    Kind::Changed,
                    Some(show(x)),
                    Some(show(y)),
                    Some(&s.origin),
                    Some(&t.origin),
                ),
                (Some(x), None) => out.push(
                    place,
                    format!("server {} {o}", s.name),
                    Kind::Missing,
                    Some(show(x)),
                    None,
                    Some(&s.origin),
                    Some(&t.origin),
                ),
                (None, Some(y)) => out.push(
                    place,
                    format!("server {} {o}", s.name),
                    Kind::Extra,
                    None,
                    Some(show(y)),
                    Some(&s.origin),
                    Some(&t.origin),
                ),
                _ => {}
            }
        }
    }
    for (t, key) in b.iter().zip(&bk) {
        if !ai.contains_key(key) {
            out.push(
                place,
                format!("server {}", t.name),
                Kind::Extra,
                None,
                Some(t.address.clone()),
                None,
                Some(&t.origin),
            );
        }
    }
    let an: Vec<&(&str, usize)> = ak.iter().filter(|k| bi.contains_key(*k)).collect();
    let bn: Vec<&(&str, usize)> = bk.iter().filter(|k| ai.contains_key(*k)).collect();
    if an != bn {
        let names = |v: &[&(&str, usize)]| v.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
        out.push(
            place,
            "server order",
            Kind::Order,
            Some(names(&an)),
            Some(names(&bn)),
            a.first().map(|s| &s.origin),
            b.first().map(|s| &s.origin),
        );
    }
}

/// Compares two ordered lists: missing and extra elements, then order among the common ones.
fn sequence(
    place: &str,
    what: &str,
    a: &[String],
    b: &[String],
    out: &mut Out,
    left_at: impl Fn(usize) -> Option<Origin>,
    right_at: impl Fn(usize) -> Option<Origin>,
) {
    if a == b {
        return;
    }
    let mut used = vec![false; b.len()];
    let mut common: Vec<(usize, usize)> = Vec::new();
    for (i, x) in a.iter().enumerate() {
        match (0..b.len()).find(|&j| !used[j] && b.get(j) == Some(x)) {
            Some(j) => {
                used[j] = true;
                common.push((i, j));
            }
            None => out.push(place, what, Kind::Missing, Some(x.clone()), None, left_at(i).as_ref(), None),
        }
    }
    for (j, y) in b.iter().enumerate() {
        if !used.get(j).copied().unwrap_or(true) {
            out.push(place, what, Kind::Extra, None, Some(y.clone()), None, right_at(j).as_ref());
        }
    }
    // In left order, where each common element sits on the right: a descent is an element
    // out of order.
    if let Some(k) = common.windows(2).position(|w| w[0].1 > w[1].1) {
        if let Some(&(i, j)) = common.get(k + 1) {
            out.push(
                place,
                format!("{what} order"),
                Kind::Order,
                a.get(i).map(|s| format!("{s} (position {})", i + 1)),
                Some(format!("position {}", j + 1)),
                left_at(i).as_ref(),
                right_at(j).as_ref(),
            );
        }
    }
}

fn entries(place: &str, file: &str, a: &[MapEntry], b: &[MapEntry], out: &mut Out) {
    let show = |e: &MapEntry| if e.value.is_empty() { e.key.clone() } else { format!("{} {}", e.key, e.value) };
    let xs: Vec<String> = a.iter().map(show).collect();
    let ys: Vec<String> = b.iter().map(show).collect();
    let origin =
        |v: &[MapEntry], i: usize| v.get(i).map(|e| Origin { file: file.into(), line: e.line, span: e.span.clone() });
    sequence(place, "entry", &xs, &ys, out, |i| origin(a, i), |i| origin(b, i));
}
