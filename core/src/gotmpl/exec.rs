//! The evaluator: walks a tree over a value as Go's `text/template/exec.go` does — pipelines,
//! variables and their scopes, field and method lookup, `if`/`with`/`range` (slices, maps in
//! key order, integers), `break`/`continue`, `template`/`block` — with Go's error messages and
//! bounds on template depth, output size and steps.

use std::rc::Rc;

use super::error::{Detail, Error};
use super::funcs::{self, Builtin};
use super::parse::{Arg, Command, Node, Pipe, Tree};
use super::value::{Func, GoType, Value};

/// Bounds on one execution, so no template or data can exhaust memory, stack or time.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Nested `{{template}}` calls (Go allows 100000; Rust's stack is fixed, so fewer).
    pub max_depth: usize,
    /// Bytes of output.
    pub max_output: usize,
    /// Nodes evaluated, a bound on running time (`{{range 1000000000}}`).
    pub max_steps: u64,
    /// Open blocks, pipelines and template calls at once: a bound on stack use.
    pub max_nesting: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 200, max_output: 64 << 20, max_steps: 20_000_000, max_nesting: 300 }
    }
}

/// A value with the static type Go would see: a map or slice element, or a field of type
/// `interface{}`, is an interface until a pipeline ends ("dig down one level").
#[derive(Debug, Clone, Default)]
pub(crate) struct Val {
    pub(crate) v: Value,
    pub(crate) iface: bool,
}

impl Val {
    pub(crate) fn of(v: Value) -> Val {
        Val { v, iface: false }
    }

    fn invalid() -> Val {
        Val::default()
    }

    /// Go's `reflect.Value.IsValid` (a nil inside an interface is valid).
    fn valid(&self) -> bool {
        self.iface || !matches!(self.v, Value::Nil)
    }

    fn type_name(&self) -> String {
        if self.iface {
            "interface {}".into()
        } else {
            self.v.type_name()
        }
    }

    /// End of a pipeline command: an `interface{}` becomes what it holds.
    fn dig(self) -> Val {
        Val::of(self.v)
    }
}

/// Where an error is: the node Go would name in `at <…>`.
#[derive(Clone, Copy)]
pub(crate) enum At<'a> {
    None,
    Node(&'a Node),
    Pipe(&'a Pipe),
    Cmd(&'a Command),
    Arg(&'a Arg),
}

impl At<'_> {
    fn pos(&self) -> Option<usize> {
        match self {
            At::None => None,
            At::Node(n) => n.pos(),
            At::Pipe(p) => Some(p.pos),
            At::Cmd(c) => Some(c.pos),
            At::Arg(a) => Some(a.pos()),
        }
    }

    /// The bytes of `text` the node covers, for the label. Go's position of a field chain is
    /// its second field, and of a `{{template}}` its name; the label starts at the real start.
    fn span(&self, text: &str, pos: usize, ctx: &str) -> (usize, usize) {
        let start = match self {
            At::Arg(Arg::Field { idents, .. }) if idents.len() > 1 => pos.saturating_sub(1 + idents[0].len()),
            At::Arg(Arg::Variable { idents, .. }) if idents.len() > 1 => pos.saturating_sub(idents[0].len()),
            At::Node(Node::Template { .. }) => text[..pos.min(text.len())].rfind("{{").unwrap_or(pos),
            _ => pos,
        };
        let end = match self {
            At::Node(Node::Template { .. }) => {
                text[pos.min(text.len())..].find("}}").map_or(text.len(), |e| pos + e + 2)
            }
            _ => start + ctx.len(),
        };
        (start.min(text.len()), end.min(text.len()))
    }

    fn context(&self) -> String {
        match self {
            At::None => String::new(),
            At::Node(n) => n.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Arg(a) => a.to_string(),
        }
    }
}

/// What a failing step reports before it is located.
pub(crate) enum Fail {
    Exec(String),
    NoField(String, Option<String>),
    NoTemplate(String),
    Limit(String),
}

pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
}

type R<T> = Result<T, Error>;

/// The functions a template calls, by name: looked up on every call (a large render makes
/// millions), so hashed with a hasher made for short keys.
pub(crate) type Funcs = crate::hash::FastMap<String, Func>;

pub(crate) struct State<'a> {
    /// By name, sorted.
    pub(crate) trees: &'a [(String, Rc<Tree>)],
    pub(crate) funcs: &'a Funcs,
    pub(crate) tree: &'a Tree,
    pub(crate) at: At<'a>,
    pub(crate) vars: Vec<(&'a str, Val)>,
    pub(crate) depth: usize,
    pub(crate) nest: usize,
    pub(crate) out: &'a mut String,
    pub(crate) steps: &'a mut u64,
    pub(crate) limits: Limits,
}

impl<'a> State<'a> {
    pub(crate) fn error(&self, f: Fail) -> Error {
        let name = &self.tree.name;
        let (prefix, span) = match self.at.pos() {
            None => (format!("template: {name}: "), (0, 0)),
            Some(pos) => {
                let text = &self.tree.text[..pos.min(self.tree.text.len())];
                let line = 1 + text.matches('\n').count();
                let col = match text.rfind('\n') {
                    None => pos,
                    Some(i) => pos - (i + 1),
                };
                let ctx = self.at.context();
                let span = self.at.span(&self.tree.text, pos, &ctx);
                (
                    format!(
                        "template: {}:{line}:{col}: executing {} at <{ctx}>: ",
                        self.tree.parse_name,
                        super::fmt::quote(name)
                    ),
                    span,
                )
            }
        };
        match f {
            Fail::Exec(m) => Error::Exec(Detail { message: prefix + &m, span, help: None }),
            Fail::NoField(m, help) => Error::NoField(Detail { message: prefix + &m, span, help }),
            Fail::NoTemplate(m) => Error::NoTemplate(Detail {
                message: prefix + &m,
                span,
                help: Some(format!(
                    "defined templates: {}",
                    self.trees.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(", ")
                )),
            }),
            Fail::Limit(m) => Error::Limit(Detail { message: prefix + &m, span, help: None }),
        }
    }

    pub(crate) fn fail<T>(&self, msg: impl Into<String>) -> R<T> {
        Err(self.error(Fail::Exec(msg.into())))
    }

    fn step(&mut self) -> R<()> {
        *self.steps += 1;
        if *self.steps > self.limits.max_steps {
            return Err(self.error(Fail::Limit(format!("exceeded {} evaluation steps", self.limits.max_steps))));
        }
        Ok(())
    }

    fn enter(&mut self) -> R<()> {
        if self.nest >= self.limits.max_nesting {
            return Err(
                self.error(Fail::Limit(format!("exceeded maximum nesting depth ({})", self.limits.max_nesting)))
            );
        }
        self.nest += 1;
        Ok(())
    }

    fn write(&mut self, s: &str) -> R<()> {
        if self.out.len() + s.len() > self.limits.max_output {
            return Err(self.error(Fail::Limit(format!("output exceeds {} bytes", self.limits.max_output))));
        }
        self.out.push_str(s);
        Ok(())
    }

    fn var_value(&self, name: &str) -> R<Val> {
        match self.vars.iter().rev().find(|(n, _)| *n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => self.fail(format!("undefined variable: {name}")),
        }
    }

    fn set_var(&mut self, name: &str, v: Val) -> R<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| *n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => self.fail(format!("undefined variable: {name}")),
        }
    }

    pub(crate) fn walk_list(&mut self, dot: &Val, list: &'a [Node]) -> R<Flow> {
        for n in list {
            match self.walk(dot, n)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Val, node: &'a Node) -> R<Flow> {
        if matches!(node, Node::Text { .. } | Node::Action { .. } | Node::Break { .. } | Node::Continue { .. }) {
            return self.walk_node(dot, node);
        }
        self.at = At::Node(node);
        self.enter()?;
        let r = self.walk_node(dot, node);
        self.nest -= 1;
        r
    }

    fn walk_node(&mut self, dot: &Val, node: &'a Node) -> R<Flow> {
        self.at = At::Node(node);
        self.step()?;
        match node {
            Node::Text { text } => self.write(text)?,
            Node::Action { pipe, .. } => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at = At::Node(node);
                    self.print_value(node, &v)?;
                }
            }
            Node::If { pipe, list, else_list, .. } => return self.walk_if_with(false, dot, pipe, list, else_list),
            Node::With { pipe, list, else_list, .. } => return self.walk_if_with(true, dot, pipe, list, else_list),
            Node::Range { pipe, list, else_list, .. } => return self.walk_range(node, dot, pipe, list, else_list),
            Node::Template { name, pipe, .. } => self.walk_template(node, dot, name, pipe.as_ref())?,
            Node::Break { .. } => return Ok(Flow::Break),
            Node::Continue { .. } => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn print_value(&mut self, node: &Node, v: &Val) -> R<()> {
        if !v.valid() {
            return self.write("<no value>");
        }
        if let Value::Func(f) = &v.v {
            return self.fail(format!("can't print {node} of type {}", f.type_name));
        }
        // Strings and numbers are most of what a template prints; `%v` of them is the text.
        match &v.v {
            Value::Str(s) => self.write(s),
            Value::Int(i) => self.write(&i.to_string()),
            Value::Bool(b) => self.write(if *b { "true" } else { "false" }),
            other => {
                let s = super::fmt::sprint_action(other);
                self.write(&s)
            }
        }
    }

    fn walk_if_with(
        &mut self,
        with: bool,
        dot: &Val,
        pipe: &'a Pipe,
        list: &'a [Node],
        else_list: &'a Option<Vec<Node>>,
    ) -> R<Flow> {
        let mark = self.vars.len();
        let r = (|| {
            let val = self.eval_pipeline(dot, pipe)?;
            if val.v.truth() {
                if with {
                    self.walk_list(&val, list)
                } else {
                    self.walk_list(dot, list)
                }
            } else if let Some(el) = else_list {
                self.walk_list(dot, el)
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.vars.truncate(mark);
        r
    }

    fn walk_range(
        &mut self,
        node: &'a Node,
        dot: &Val,
        pipe: &'a Pipe,
        list: &'a [Node],
        else_list: &'a Option<Vec<Node>>,
    ) -> R<Flow> {
        self.at = At::Node(node);
        let outer = self.vars.len();
        let r = self.walk_range_inner(dot, pipe, list, else_list);
        self.vars.truncate(outer);
        r
    }

    fn walk_range_inner(
        &mut self,
        dot: &Val,
        pipe: &'a Pipe,
        list: &'a [Node],
        else_list: &'a Option<Vec<Node>>,
    ) -> R<Flow> {
        let val = self.eval_pipeline(dot, pipe)?;
        let mark = self.vars.len();
        let ndecl = pipe.decl.len();
        // One pass of the body; returns false on {{break}}.
        let one = |s: &mut Self, index: Val, elem: Val| -> R<bool> {
            if ndecl > 0 {
                if pipe.is_assign {
                    if ndecl > 1 {
                        s.set_var(&pipe.decl[0], index.clone())?;
                    } else {
                        s.set_var(&pipe.decl[0], elem.clone())?;
                    }
                } else {
                    let n = s.vars.len();
                    s.vars[n - 1].1 = elem.clone();
                }
            }
            if ndecl > 1 {
                if pipe.is_assign {
                    s.set_var(&pipe.decl[1], elem.clone())?;
                } else {
                    let n = s.vars.len();
                    s.vars[n - 2].1 = index;
                }
            }
            let r = s.walk_list(&elem, list);
            s.vars.truncate(mark);
            Ok(!matches!(r?, Flow::Break))
        };
        let ran = match &val.v {
            Value::List(l) => {
                let iface = l.elem == GoType::Any;
                for (i, e) in l.items.iter().enumerate() {
                    if !one(self, Val::of(Value::Int(i as i64)), Val { v: e.clone(), iface })? {
                        break;
                    }
                }
                !l.items.is_empty()
            }
            Value::Map(m) => {
                let iface = m.elem == GoType::Any;
                for (k, e) in &m.entries {
                    if !one(self, Val::of(k.to_value()), Val { v: e.clone(), iface })? {
                        break;
                    }
                }
                !m.entries.is_empty()
            }
            Value::Int(_) | Value::Uint(_) => {
                if ndecl > 1 {
                    let shown = super::fmt::sprint(std::slice::from_ref(&val.v));
                    return self.fail(format!("can't use {shown} to iterate over more than one variable"));
                }
                let n = match val.v {
                    Value::Int(i) => i.max(0) as u64,
                    Value::Uint(u) => u,
                    _ => 0,
                };
                for i in 0..n {
                    self.step()?;
                    let v = match val.v {
                        Value::Uint(_) => Value::Uint(i),
                        _ => Value::Int(i as i64),
                    };
                    if !one(self, Val::invalid(), Val::of(v))? {
                        break;
                    }
                }
                n > 0
            }
            Value::Nil => false,
            Value::Object(o) if o.is_nil() => false,
            v => {
                let shown = super::fmt::sprint(std::slice::from_ref(v));
                return self.fail(format!("range can't iterate over {shown}"));
            }
        };
        if !ran {
            if let Some(el) = else_list {
                // As in Go, this range swallows a {{break}} from its else list, while a
                // {{continue}} there belongs to the enclosing range.
                if let Flow::Continue = self.walk_list(dot, el)? {
                    return Ok(Flow::Continue);
                }
            }
        }
        Ok(Flow::Normal)
    }

    fn walk_template(&mut self, node: &'a Node, dot: &Val, name: &str, pipe: Option<&'a Pipe>) -> R<()> {
        self.at = At::Node(node);
        let Some(tree) = crate::sorted::get(self.trees, name) else {
            return Err(self.error(Fail::NoTemplate(format!("template {} not defined", super::fmt::quote(name)))));
        };
        if self.depth >= self.limits.max_depth {
            return Err(self.error(Fail::Limit(format!("exceeded maximum template depth ({})", self.limits.max_depth))));
        }
        let dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Val::invalid(),
        };
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$", dot.clone())]);
        let saved_tree = std::mem::replace(&mut self.tree, tree);
        self.depth += 1;
        let r = self.walk_list(&dot, &tree.root);
        self.depth -= 1;
        self.tree = saved_tree;
        self.vars = saved_vars;
        r.map(|_| ())
    }

    pub(crate) fn eval_pipeline(&mut self, dot: &Val, pipe: &'a Pipe) -> R<Val> {
        self.at = At::Pipe(pipe);
        self.enter()?;
        let r = self.eval_pipeline_inner(dot, pipe);
        self.nest -= 1;
        r
    }

    fn eval_pipeline_inner(&mut self, dot: &Val, pipe: &'a Pipe) -> R<Val> {
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            self.step()?;
            value = Some(self.eval_command(dot, cmd, value)?.dig());
        }
        let value = value.unwrap_or_default();
        for v in &pipe.decl {
            if pipe.is_assign {
                self.set_var(v, value.clone())?;
            } else {
                self.vars.push((v.as_str(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<Val>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.fail(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val, cmd: &'a Command, fin: Option<Val>) -> R<Val> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { idents, .. } => {
                self.at = At::Arg(first);
                return self.eval_field_chain(dot, dot.clone(), first, idents, &cmd.args, fin);
            }
            Arg::Chain { .. } => return self.eval_chain(dot, first, &cmd.args, fin),
            Arg::Identifier { name, .. } => {
                self.at = At::Arg(first);
                return self.eval_function(dot, name, At::Cmd(cmd), &cmd.args, fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable { .. } => return self.eval_variable(dot, first, &cmd.args, fin),
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool { val, .. } => Ok(Val::of(Value::Bool(*val))),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => self.fail("nil is not a command"),
            Arg::Number { num, .. } => self.ideal_constant(first, num).map(Val::of),
            Arg::Str { text, .. } => Ok(Val::of(Value::Str(text.clone()))),
            _ => self.fail(format!("can't evaluate command {first}")),
        }
    }

    fn ideal_constant(&mut self, at: &'a Arg, n: &super::number::Number) -> R<Value> {
        self.at = At::Arg(at);
        let t = &n.text;
        let hex_int =
            t.len() > 2 && t.starts_with('0') && matches!(t.as_bytes()[1], b'x' | b'X') && !t.contains(['p', 'P']);
        if n.is_float && !hex_int && !n.is_char && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float));
        }
        if n.is_int {
            return Ok(Value::Int(n.int));
        }
        if n.is_uint {
            return self.fail(format!("{t} overflows int"));
        }
        Ok(Value::Nil)
    }

    fn eval_chain(&mut self, dot: &Val, chain: &'a Arg, args: &'a [Arg], fin: Option<Val>) -> R<Val> {
        self.at = At::Arg(chain);
        let Arg::Chain { node, fields, .. } = chain else { return self.fail("internal error: not a chain") };
        if let Arg::Nil { .. } = **node {
            return self.fail(format!("indirection through explicit nil in {chain}"));
        }
        let recv = self.eval_arg(dot, None, node)?;
        self.eval_field_chain(dot, recv, chain, fields, args, fin)
    }

    fn eval_variable(&mut self, dot: &Val, var: &'a Arg, args: &'a [Arg], fin: Option<Val>) -> R<Val> {
        self.at = At::Arg(var);
        let Arg::Variable { idents, .. } = var else { return self.fail("internal error: not a variable") };
        let value = self.var_value(&idents[0])?;
        if idents.len() == 1 {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, var, &idents[1..], args, fin)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &mut self,
        dot: &Val,
        mut recv: Val,
        node: &'a Arg,
        idents: &[String],
        args: &'a [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let n = idents.len();
        for id in &idents[..n - 1] {
            recv = self.eval_field(dot, id, node, &[], None, recv)?;
        }
        self.eval_field(dot, &idents[n - 1], node, args, fin, recv)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        dot: &Val,
        name: &str,
        node: &'a Arg,
        args: &'a [Arg],
        fin: Option<Val>,
        recv: Val,
    ) -> R<Val> {
        if !recv.valid() {
            return Ok(Val::invalid());
        }
        // The type's name and the field names are only for messages; building them on every
        // field access was a sixth of a large render.
        if recv.iface && matches!(recv.v, Value::Nil) {
            return self.fail(format!("nil pointer evaluating {}.{name}", recv.type_name()));
        }
        if let Value::Object(o) = &recv.v {
            if let Some(m) = o.method(name) {
                return self.eval_call(dot, Callee::Func(&m), At::Arg(node), name, args, fin);
            }
        }
        let has_args = args.len() > 1 || fin.is_some();
        match &recv.v {
            Value::Object(o) => {
                if o.is_nil() {
                    if o.field_names().iter().any(|f| f == name) {
                        return self.fail(format!("nil pointer evaluating {}.{name}", recv.type_name()));
                    }
                } else if let Some(v) = o.field(name) {
                    if has_args {
                        return self.fail(format!("{name} has arguments but cannot be invoked as function"));
                    }
                    return Ok(Val { v, iface: o.field_is_interface(name) });
                } else if o.unexported_field(name) {
                    return self.fail(format!("{name} is an unexported field of struct type {}", recv.type_name()));
                }
                let typ = recv.type_name();
                let names = o.field_names();
                let help = crate::suggest::closest(name, names.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`? {} has: {}", o.type_name(), names.join(", ")))
                    .or_else(|| Some(format!("{} has: {}", o.type_name(), names.join(", "))));
                return Err(self.error(Fail::NoField(format!("can't evaluate field {name} in type {typ}"), help)));
            }
            Value::Map(m) if !m.int_keys => {
                if has_args {
                    return self.fail(format!("{name} is not a method but has arguments"));
                }
                return Ok(match m.entries.get_str(name) {
                    Some(v) => Val { v: v.clone(), iface: m.elem == GoType::Any },
                    None => Val::invalid(),
                });
            }
            _ => {}
        }
        Err(self.error(Fail::NoField(format!("can't evaluate field {name} in type {}", recv.type_name()), None)))
    }

    fn eval_function(&mut self, dot: &Val, name: &str, loc: At<'a>, args: &'a [Arg], fin: Option<Val>) -> R<Val> {
        if let Some(f) = self.funcs.get(name) {
            return self.eval_call(dot, Callee::Func(f), loc, name, args, fin);
        }
        if let Some(b) = Builtin::named(name) {
            return self.eval_call(dot, Callee::Builtin(b), loc, name, args, fin);
        }
        self.fail(format!("{} is not a defined function", super::fmt::quote(name)))
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Val,
        callee: Callee<'_>,
        loc: At<'a>,
        name: &str,
        args: &'a [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let args = if args.is_empty() { args } else { &args[1..] };
        let (params, variadic): (&[GoType], Option<&GoType>) = match &callee {
            Callee::Func(f) => (&f.params, f.variadic.as_ref()),
            Callee::Builtin(b) => b.signature(),
        };
        let num_in = args.len() + usize::from(fin.is_some());
        let total_params = params.len() + usize::from(variadic.is_some());
        let num_fixed = if variadic.is_some() { params.len() } else { args.len() };
        if variadic.is_some() {
            if num_in < num_fixed {
                return self.fail(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    params.len(),
                    args.len()
                ));
            }
        } else if num_in != params.len() {
            return self.fail(format!("wrong number of args for {name}: want {} got {num_in}", params.len()));
        }
        let _ = total_params;
        if let Callee::Builtin(b @ (Builtin::And | Builtin::Or)) = callee {
            let want = b == Builtin::Or;
            let mut v = Val::invalid();
            for a in args {
                v = self.eval_arg(dot, Some(&GoType::Reflect), a)?;
                if v.v.truth() == want {
                    return Ok(v.dig());
                }
            }
            if let Some(f) = fin {
                v = self.validate_type(f, Some(&GoType::Reflect))?;
            }
            return Ok(v.dig());
        }
        let mut argv: Vec<Val> = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            let t = params.get(i).unwrap_or(&GoType::Any);
            argv.push(self.eval_arg(dot, Some(t), &args[i])?);
            i += 1;
        }
        if let Some(vt) = variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, Some(vt), &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = match variadic {
                Some(vt) if num_in > num_fixed => vt,
                _ => params.get(num_in - 1).unwrap_or(&GoType::Any),
            };
            argv.push(self.validate_type(f, Some(t))?);
        }
        let result = match callee {
            Callee::Func(f) => {
                let vals: Vec<Value> = argv.into_iter().map(|a| a.v).collect();
                (f.call)(&vals).map(Val::of)
            }
            Callee::Builtin(Builtin::Call) => {
                let callee_name = match args.first() {
                    Some(a) => a.to_string(),
                    None => super::fmt::sprint(&[argv[0].v.clone()]),
                };
                funcs::call(&callee_name, &argv)
            }
            Callee::Builtin(b) => funcs::builtin(b, &argv),
        };
        match result {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at = loc;
                self.fail(format!("error calling {name}: {e}"))
            }
        }
    }

    fn eval_arg(&mut self, dot: &Val, typ: Option<&GoType>, n: &'a Arg) -> R<Val> {
        self.at = At::Arg(n);
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), typ),
            Arg::Nil { .. } => {
                return match typ {
                    None => Ok(Val::invalid()),
                    Some(t) if t.nilable() => Ok(Val::of(Value::Nil)),
                    Some(t) => self.fail(format!("cannot assign nil to {}", t.name())),
                };
            }
            Arg::Field { idents, .. } => {
                let v = self.eval_field_chain(dot, dot.clone(), n, idents, &[], None)?;
                return self.validate_type(v, typ);
            }
            Arg::Variable { .. } => {
                let v = self.eval_variable(dot, n, &[], None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier { name, .. } => {
                let v = self.eval_function(dot, name, At::Arg(n), &[], None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain { .. } => {
                let v = self.eval_chain(dot, n, &[], None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        let Some(typ) = typ else {
            return self.literal_any(n);
        };
        match typ {
            GoType::Bool => match n {
                Arg::Bool { val, .. } => Ok(Val::of(Value::Bool(*val))),
                _ => self.fail(format!("expected bool; found {n}")),
            },
            GoType::String => match n {
                Arg::Str { text, .. } => Ok(Val::of(Value::Str(text.clone()))),
                _ => self.fail(format!("expected string; found {n}")),
            },
            GoType::Int => match n {
                Arg::Number { num, .. } if num.is_int => Ok(Val::of(Value::Int(num.int))),
                _ => self.fail(format!("expected integer; found {n}")),
            },
            GoType::Uint => match n {
                Arg::Number { num, .. } if num.is_uint => Ok(Val::of(Value::Uint(num.uint))),
                _ => self.fail(format!("expected unsigned integer; found {n}")),
            },
            GoType::Float => match n {
                Arg::Number { num, .. } if num.is_float => Ok(Val::of(Value::Float(num.float))),
                _ => self.fail(format!("expected float; found {n}")),
            },
            GoType::Any | GoType::Reflect => self.literal_any(n),
            GoType::Named { name, .. } => self.fail(format!("can't handle {n} for arg of type {name}")),
        }
    }

    fn literal_any(&mut self, n: &'a Arg) -> R<Val> {
        self.at = At::Arg(n);
        match n {
            Arg::Bool { val, .. } => Ok(Val::of(Value::Bool(*val))),
            Arg::Number { num, .. } => self.ideal_constant(n, num).map(Val::of),
            Arg::Str { text, .. } => Ok(Val::of(Value::Str(text.clone()))),
            _ => self.fail(format!("can't handle assignment of {n} to empty interface argument")),
        }
    }

    fn validate_type(&mut self, v: Val, typ: Option<&GoType>) -> R<Val> {
        let Some(typ) = typ else { return Ok(v) };
        if !v.valid() {
            if typ.nilable() || *typ == GoType::Reflect {
                return Ok(Val::invalid());
            }
            return self.fail(format!("invalid value; expected {}", typ.name()));
        }
        if matches!(typ, GoType::Reflect | GoType::Any) {
            return Ok(v);
        }
        if !v.iface && v.v.assignable_to(typ) {
            return Ok(v);
        }
        if v.iface && !matches!(v.v, Value::Nil) {
            if v.v.assignable_to(typ) {
                return Ok(v.dig());
            }
            return self.fail(format!("wrong type for value; expected {}; got {}", typ.name(), v.v.type_name()));
        }
        self.fail(format!("wrong type for value; expected {}; got {}", typ.name(), v.type_name()))
    }
}

pub(crate) enum Callee<'f> {
    Func(&'f Func),
    Builtin(Builtin),
}
