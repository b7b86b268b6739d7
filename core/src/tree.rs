//! A format-neutral document tree with byte spans, built by the JSON and YAML readers, so that
//! every later diagnostic can point at the exact node in the user's file.

use std::borrow::Cow;

use crate::source::Span;

/// One node of a parsed YAML or JSON document.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    /// What the node holds.
    pub value: Value<'a>,
    /// Where the node's text is.
    pub span: Span,
}

/// The value of a node.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    /// `null`, `~` or an empty YAML value.
    Null,
    /// A scalar; `quoted` is true for YAML quoted/block scalars and JSON strings, which are
    /// always strings, never numbers or booleans.
    Scalar {
        /// The scalar's text.
        text: Cow<'a, str>,
        /// Quoted or block style (always a string).
        quoted: bool,
    },
    /// A sequence.
    Seq(Vec<Node<'a>>),
    /// A mapping, in document order. Keys are kept as text.
    Map(Vec<(Key<'a>, Node<'a>)>),
}

/// A mapping key and its span.
#[derive(Debug, Clone)]
pub struct Key<'a> {
    /// The key's text.
    pub text: Cow<'a, str>,
    /// Where the key is.
    pub span: Span,
}

impl<'a> Node<'a> {
    /// The child under `key`, when this is a mapping that has it. The last duplicate wins, as in
    /// the Kubernetes decoders.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Map(entries) => entries.iter().rev().find(|(k, _)| k.text == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar text, when this is a non-null scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The items, when this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entries, when this is a mapping.
    pub fn as_map(&self) -> Option<&[(Key<'a>, Node<'a>)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// True when the node is null.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// True for an unquoted scalar that reads as an integer (a YAML/JSON number).
    pub fn is_number(&self) -> bool {
        match &self.value {
            Value::Scalar { text, quoted: false } => {
                let t = text.strip_prefix(['-', '+']).unwrap_or(text);
                !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
            }
            _ => false,
        }
    }

    /// A short name of the node's type, for diagnostics.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Scalar { .. } => "scalar",
            Value::Seq(_) => "sequence",
            Value::Map(_) => "mapping",
        }
    }
}
