//! A pure implementation of Go's `text/template`, the language the OpenShift router's
//! `haproxy-config.template` is written in: lexing, parsing, execution, builtins and the part of
//! `fmt` templates reach, with Go's output and error messages. Differentially tested against Go
//! itself (core/tests/gotmpl_oracle.rs) and by fixtures (fixtures/templates/).
//!
//! ```
//! use routec_core::gotmpl::{Template, Value};
//!
//! let t = Template::parse("main", "{{range $k, $v := .}}{{$k}}={{$v}} {{end}}", Default::default()).unwrap();
//! let data = Value::map([("b".into(), Value::Int(2)), ("a".into(), Value::Int(1))]);
//! assert_eq!(t.execute(&data).unwrap(), "a=1 b=2 ");
//! ```

mod error;
pub(crate) mod exec;
mod fmt;

/// Go's `strconv.Quote` (`%q`), for messages that reproduce Go's text outside templates.
pub(crate) use fmt::quote as go_quote;
mod funcs;
mod lex;
mod number;
mod parse;
mod router_funcs;
mod value;

use crate::sorted;
use std::rc::Rc;

pub use error::{Detail, Error};
pub use exec::Limits;
pub use router_funcs::router_funcs;
pub use value::{Body, Func, GoType, Key, List, Map, Object, Value};

/// Functions a template may call besides the builtins (Go's `template.FuncMap`).
pub type FuncMap = sorted::Map<String, Func>;

/// Templates parsed from one text: the named one and every `define`/`block` in it.
#[derive(Debug)]
pub struct Template {
    name: String,
    /// By name, sorted (`crate::sorted`).
    trees: Vec<(String, Rc<parse::Tree>)>,
    funcs: exec::Funcs,
    limits: Limits,
}

/// Deepest nesting of actions and parentheses the parser accepts, so that a hostile template
/// cannot exhaust the stack.
const MAX_PARSE_DEPTH: usize = 100;

impl Template {
    /// Parses `text` as the template `name`, with `funcs` callable besides the builtins.
    pub fn parse(name: &str, text: &str, funcs: FuncMap) -> Result<Template, Error> {
        if let Some(pos) = too_deep(text) {
            return Err(Error::Parse(Detail {
                message: format!("template: {name}: nesting deeper than {MAX_PARSE_DEPTH} levels"),
                span: (pos, pos + 2),
                help: Some("split the template into smaller `define`d templates".into()),
            }));
        }
        let has = |f: &str| funcs.contains_key(f) || funcs::Builtin::named(f).is_some();
        let set = parse::parse(name, text, &has).map_err(|f| {
            let message = format!("template: {name}:{}: {}", f.line, f.msg);
            let end = text[f.pos.min(text.len())..].find("}}").map_or(text.len(), |e| f.pos + e + 2);
            let detail = Detail { message, span: (f.pos.min(text.len()), end.min(text.len())), help: None };
            if f.msg.starts_with("function ") && f.msg.ends_with(" not defined") {
                let mut names: Vec<&str> = funcs.keys().map(String::as_str).collect();
                names.extend(BUILTINS);
                let wanted = f.msg.split('"').nth(1).unwrap_or_default();
                let near = names
                    .iter()
                    .map(|n| (crate::suggest::distance(n, wanted), *n))
                    .filter(|(d, _)| *d <= 1 + wanted.len() / 4)
                    .min()
                    .map(|(_, n)| n);
                let help = Some(match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => format!("the functions are: {}", names.join(", ")),
                });
                Error::UndefinedFunction(Detail { help, ..detail })
            } else {
                Error::Parse(detail)
            }
        })?;
        let trees = set.into_iter().map(|(k, v)| (k, Rc::new(v))).collect();
        let funcs = funcs.into_iter().collect();
        Ok(Template { name: name.into(), trees, funcs, limits: Limits::default() })
    }

    /// The same templates with other execution bounds.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Template {
        self.limits = limits;
        self
    }

    /// Names of every template in the set.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.trees.iter().map(|(k, _)| k.as_str())
    }

    /// Executes the template named at parse time over `data`.
    pub fn execute(&self, data: &Value) -> Result<String, Error> {
        self.execute_template(&self.name, data)
    }

    /// Executes the template `name` over `data` (Go's `ExecuteTemplate`). On error, the output
    /// so far is discarded.
    pub fn execute_template(&self, name: &str, data: &Value) -> Result<String, Error> {
        let Some(tree) = crate::sorted::get(&self.trees, name) else {
            return Err(Error::NoTemplate(Detail {
                message: format!(
                    "template: no template {} associated with template {}",
                    fmt::quote(name),
                    fmt::quote(&self.name)
                ),
                span: (0, 0),
                help: Some(format!("defined templates: {}", self.names().collect::<Vec<_>>().join(", "))),
            }));
        };
        let mut out = String::new();
        let mut steps = 0;
        let dot = exec::Val::of(data.clone());
        let mut st = exec::State {
            trees: &self.trees,
            funcs: &self.funcs,
            tree,
            at: exec::At::None,
            vars: vec![("$", dot.clone())],
            depth: 0,
            nest: 0,
            out: &mut out,
            steps: &mut steps,
            limits: self.limits,
        };
        st.walk_list(&dot, &tree.root)?;
        Ok(out)
    }
}

const BUILTINS: [&str; 19] = [
    "and", "call", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or", "print", "printf",
    "println", "slice", "urlquery",
];

/// The offset of the first `{{` or `(` nested deeper than the parser allows, counting block
/// keywords and parentheses coarsely (strings are skipped).
fn too_deep(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    // Open blocks, each with how many levels it adds: `{{else if}}` nests one more if in Go's
    // tree, all closed by the one `{{end}}`.
    let mut blocks: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut inside = false;
    while i < b.len() {
        if !inside {
            if b[i..].starts_with(b"{{") {
                inside = true;
                let rest = text[i + 2..].trim_start_matches(['-', ' ', '\t', '\r', '\n']);
                if ["if", "range", "with", "block", "define"].iter().any(|k| rest.starts_with(k)) {
                    blocks.push(1);
                    depth += 1;
                } else if rest.starts_with("else") && rest[4..].trim_start().starts_with(['i', 'w']) {
                    if let Some(top) = blocks.last_mut() {
                        *top += 1;
                        depth += 1;
                    }
                } else if rest.starts_with("end") {
                    depth = depth.saturating_sub(blocks.pop().unwrap_or(0));
                }
                if depth > MAX_PARSE_DEPTH {
                    return Some(i);
                }
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        match b[i] {
            b'}' if b[i..].starts_with(b"}}") => {
                inside = false;
                i += 2;
                continue;
            }
            b'"' | b'`' | b'\'' => {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' && q != b'`' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' => {
                depth += 1;
                if depth > MAX_PARSE_DEPTH {
                    return Some(i);
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}
