//! Reading the cluster objects' fields from their document trees, with the checks the API
//! server applies to them (types, enums, ranges, unknown fields) reported in the API server's
//! own words, each pointing at the node in the user's file.

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::tree::{Node, Value};

use super::convert::parse_go_duration;

/// The code for a value the API server refuses.
pub(crate) const INVALID: &str = "routec::ingress::invalid-value";

/// A field reader that reports what the API server would refuse.
pub(crate) struct Fields<'d> {
    pub(crate) diags: &'d mut Diagnostics,
    /// The object, for messages (`IngressController default`).
    pub(crate) object: String,
}

impl Fields<'_> {
    /// Reports an invalid value at `span`.
    pub(crate) fn invalid(&mut self, span: Span, path: &str, detail: impl Into<String>) {
        let detail = detail.into();
        self.diags.push(
            Diagnostic::error(INVALID, format!("{}: {path}: {detail}", self.object))
                .at(span, "the API server refuses this value")
                .help("the API server rejects the whole object, so the cluster keeps its previous router settings; routec ignores this field"),
        );
    }

    fn wrong_type(&mut self, node: &Node<'_>, path: &str, ty: &str) {
        let found = node.as_str().map_or_else(|| node.type_name().to_owned(), str::to_owned);
        self.invalid(node.span, path, format!("Invalid value: \"{found}\": {path} in body must be of type {ty}"));
    }

    /// A mapping child.
    pub(crate) fn map<'n>(
        &mut self,
        parent: Option<&'n Node<'static>>,
        key: &str,
        path: &str,
    ) -> Option<&'n Node<'static>> {
        let node = parent?.get(key)?;
        match &node.value {
            Value::Map(_) => Some(node),
            Value::Null => None,
            _ => {
                self.wrong_type(node, path, "object");
                None
            }
        }
    }

    /// A sequence child (empty when absent).
    pub(crate) fn seq<'n>(&mut self, parent: Option<&'n Node<'static>>, key: &str, path: &str) -> &'n [Node<'static>] {
        let Some(node) = parent.and_then(|p| p.get(key)) else { return &[] };
        match &node.value {
            Value::Seq(items) => items,
            Value::Null => &[],
            _ => {
                self.wrong_type(node, path, "array");
                &[]
            }
        }
    }

    /// A string child; numbers and booleans written unquoted are refused, as in the API server's
    /// JSON schema check.
    pub(crate) fn string(&mut self, parent: Option<&Node<'static>>, key: &str, path: &str) -> Option<(String, Span)> {
        let node = parent?.get(key)?;
        self.as_string(node, path)
    }

    /// A node as a string.
    pub(crate) fn as_string(&mut self, node: &Node<'static>, path: &str) -> Option<(String, Span)> {
        match &node.value {
            Value::Null => None,
            Value::Scalar { text, quoted } => {
                if !quoted && (is_yaml_bool(text) || node.is_number()) {
                    self.wrong_type(node, path, "string");
                    return None;
                }
                Some((text.to_string(), node.span))
            }
            _ => {
                self.wrong_type(node, path, "string");
                None
            }
        }
    }

    /// An integer child.
    pub(crate) fn int(&mut self, parent: Option<&Node<'static>>, key: &str, path: &str) -> Option<(i64, Span)> {
        let node = parent?.get(key)?;
        if node.is_null() {
            return None;
        }
        match node.as_str().and_then(|t| t.parse::<i64>().ok()) {
            Some(v) if node.is_number() => Some((v, node.span)),
            _ => {
                self.wrong_type(node, path, "integer");
                None
            }
        }
    }

    /// An integer child within `min..=max`.
    pub(crate) fn int_in(
        &mut self,
        parent: Option<&Node<'static>>,
        key: &str,
        path: &str,
        min: Option<i64>,
        max: Option<i64>,
    ) -> Option<(i64, Span)> {
        let (v, span) = self.int(parent, key, path)?;
        if let Some(m) = min.filter(|m| v < *m) {
            self.invalid(
                span,
                path,
                format!("Invalid value: {v}: {path} in body should be greater than or equal to {m}"),
            );
            return None;
        }
        if let Some(m) = max.filter(|m| v > *m) {
            self.invalid(span, path, format!("Invalid value: {v}: {path} in body should be less than or equal to {m}"));
            return None;
        }
        Some((v, span))
    }

    /// A string child that must be one of `allowed`.
    pub(crate) fn one_of(
        &mut self,
        parent: Option<&Node<'static>>,
        key: &str,
        path: &str,
        allowed: &[&'static str],
    ) -> Option<(&'static str, Span)> {
        let (v, span) = self.string(parent, key, path)?;
        match allowed.iter().find(|a| **a == v) {
            Some(a) => Some((a, span)),
            None => {
                let list = allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(", ");
                self.invalid(span, path, format!("Unsupported value: \"{v}\": supported values: {list}"));
                None
            }
        }
    }

    /// A duration child (`metav1.Duration`, Go syntax), in nanoseconds.
    pub(crate) fn duration(&mut self, parent: Option<&Node<'static>>, key: &str, path: &str) -> Option<(i128, Span)> {
        let (v, span) = self.string(parent, key, path)?;
        match parse_go_duration(&v) {
            Ok(ns) => Some((ns, span)),
            Err(e) => {
                self.invalid(span, path, format!("Invalid value: \"{v}\": {e}"));
                None
            }
        }
    }

    /// Warns about every key of `node` not in `known`: the API server prunes unknown fields, so
    /// a misspelt one silently does nothing.
    pub(crate) fn known(&mut self, node: Option<&Node<'static>>, path: &str, known: &[&str]) {
        let Some(entries) = node.and_then(Node::as_map) else { return };
        for (k, _) in entries {
            if known.contains(&k.text.as_ref()) {
                continue;
            }
            let best = known.iter().map(|c| (crate::suggest::distance(c, &k.text), *c)).min();
            let mut d = Diagnostic::warning(
                "routec::ingress::unknown-field",
                format!("{}: unknown field \"{path}.{}\"", self.object, k.text),
            )
            .at(k.span, "the API server drops this field");
            if let Some((dist, c)) = best.filter(|(d, _)| *d <= 3) {
                let _ = dist;
                d = d.help(format!("did you mean `{c}`?"));
            }
            self.diags.push(d);
        }
    }
}

fn is_yaml_bool(t: &str) -> bool {
    matches!(t, "true" | "false" | "True" | "False" | "TRUE" | "FALSE")
}
