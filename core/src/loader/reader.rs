//! Typed fields out of a document tree: the scalar, integer, list and mapping accessors every
//! kind's reader uses, and `metadata` with the age fallback. Types are checked once, by
//! `schema`, before a reader runs, so the accessors only take what fits and skip the rest.

use super::time::parse_rfc3339;
use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::*;
use crate::source::Span;
use crate::tree::{Node, Value};

/// The creation time given to objects without one: 2024-01-01T00:00:00Z, plus the object's index
/// in seconds, so that input order stands in for age.
const FALLBACK_EPOCH: i64 = 1_704_067_200;

pub(super) struct Reader<'d> {
    pub(super) diags: &'d mut Diagnostics,
}

impl Reader<'_> {
    /// A scalar field as text; numbers and booleans are kept as written (`schema` has already
    /// reported them where a string belongs).
    pub(super) fn str(&mut self, parent: Option<&Node<'_>>, key: &str) -> Str {
        let Some(node) = parent.and_then(|p| p.get(key)) else { return Str::default() };
        match &node.value {
            Value::Scalar { text, .. } => Str::new(text.to_string(), node.span),
            Value::Null => Str { value: String::new(), span: Some(node.span) },
            _ => Str::default(),
        }
    }

    pub(super) fn int(&mut self, parent: Option<&Node<'_>>, key: &str) -> Option<(i64, Span)> {
        let node = parent.and_then(|p| p.get(key))?;
        node.as_str().and_then(|t| t.parse::<i64>().ok()).filter(|_| node.is_number()).map(|v| (v, node.span))
    }

    pub(super) fn seq<'n, 'a>(&mut self, parent: Option<&'n Node<'a>>, key: &str) -> &'n [Node<'a>] {
        parent.and_then(|p| p.get(key)).and_then(Node::as_seq).unwrap_or(&[])
    }

    pub(super) fn map<'n, 'a>(&mut self, parent: Option<&'n Node<'a>>, key: &str) -> Option<&'n Node<'a>> {
        parent?.get(key).filter(|n| n.as_map().is_some())
    }

    fn string_map(&mut self, parent: Option<&Node<'_>>, key: &str) -> Vec<(String, Str)> {
        let Some(node) = self.map(parent, key) else { return Vec::new() };
        let mut out = Vec::new();
        for (k, v) in node.as_map().unwrap_or(&[]) {
            match &v.value {
                Value::Scalar { text, .. } => out.push((k.text.to_string(), Str::new(text.to_string(), v.span))),
                Value::Null => out.push((k.text.to_string(), Str { value: String::new(), span: Some(v.span) })),
                _ => {}
            }
        }
        out
    }

    pub(super) fn meta(&mut self, doc: &Node<'_>, index: usize, namespaced: bool) -> Meta {
        let m = self.map(Some(doc), "metadata");
        let name = self.str(m, "name");
        if name.is_empty() {
            self.diags.push(
                Diagnostic::error("routec::input::missing-name", "object has no `metadata.name`")
                    .at(doc.span, "this object"),
            );
        }
        let mut namespace = self.str(m, "namespace");
        if namespace.is_empty() && namespaced {
            namespace.value = "default".to_owned();
        }
        let uid = self.str(m, "uid");
        let created = self.str(m, "creationTimestamp");
        let mut created_from_order = false;
        let created_secs = if created.is_empty() {
            created_from_order = true;
            FALLBACK_EPOCH + i64::try_from(index).unwrap_or(i64::MAX - FALLBACK_EPOCH)
        } else {
            match parse_rfc3339(created.as_str()) {
                Some(t) => t,
                None => {
                    self.diags.push(
                        Diagnostic::error(
                            "routec::input::bad-timestamp",
                            format!("`{}` is not an RFC 3339 time", created.value),
                        )
                        .at_opt(created.span, "expected e.g. 2024-01-01T00:00:00Z"),
                    );
                    created_from_order = true;
                    FALLBACK_EPOCH + i64::try_from(index).unwrap_or(0)
                }
            }
        };
        let uid_from_order = uid.is_empty();
        let uid = if uid_from_order { format!("00000000-0000-0000-0000-{index:012}") } else { uid.value };
        let labels = self.string_map(m, "labels").into_iter().map(|(k, v)| (k, v.value)).collect();
        let annotations = self.string_map(m, "annotations");
        let resource_version = self.str(m, "resourceVersion").value;
        Meta {
            name,
            namespace,
            uid,
            created: created_secs,
            created_from_order,
            uid_from_order,
            labels,
            annotations,
            resource_version,
            span: doc.span,
            index,
        }
    }
}
