//! The parser: lexer items to trees, one per template name (`define` and `block` add more), with
//! Go's checks (undefined functions and variables, `break` outside `range`, pipelines that start
//! with a literal after a `|`) and Go's messages. Nodes print back as Go's `String()` does, which
//! exec errors quote in `at <…>`.

use crate::sorted::Map;
use std::fmt::{self, Write as _};
use std::rc::Rc;

use super::lex::{lex, Item, Kind};
use super::number::{parse_number, Number};

/// A parsed template: its name, the name of the text it came from, and its body.
#[derive(Debug)]
pub(crate) struct Tree {
    pub(crate) name: String,
    pub(crate) parse_name: Rc<str>,
    pub(crate) text: Rc<str>,
    pub(crate) root: Vec<Node>,
}

/// A parse failure, located by line (as Go reports it) and by byte offset (for the label).
#[derive(Debug, Clone)]
pub(crate) struct ParseFailure {
    pub(crate) line: usize,
    pub(crate) pos: usize,
    pub(crate) msg: String,
}

/// Statement-level nodes.
#[derive(Debug)]
pub(crate) enum Node {
    Text { text: String },
    Action { pos: usize, pipe: Pipe },
    If { pos: usize, pipe: Pipe, list: Vec<Node>, else_list: Option<Vec<Node>> },
    With { pos: usize, pipe: Pipe, list: Vec<Node>, else_list: Option<Vec<Node>> },
    Range { pos: usize, pipe: Pipe, list: Vec<Node>, else_list: Option<Vec<Node>> },
    Template { pos: usize, name: String, pipe: Option<Pipe> },
    Break { pos: usize },
    Continue { pos: usize },
}

/// A pipeline: optional declarations and `|`-separated commands.
#[derive(Debug)]
pub(crate) struct Pipe {
    pub(crate) pos: usize,
    pub(crate) is_assign: bool,
    pub(crate) decl: Vec<String>,
    pub(crate) cmds: Vec<Command>,
}

/// One command: a function or value and its arguments.
#[derive(Debug)]
pub(crate) struct Command {
    pub(crate) pos: usize,
    pub(crate) args: Vec<Arg>,
}

/// An operand.
#[derive(Debug)]
pub(crate) enum Arg {
    Field { pos: usize, idents: Vec<String> },
    Variable { pos: usize, idents: Vec<String> },
    Chain { pos: usize, node: Box<Arg>, fields: Vec<String> },
    Identifier { pos: usize, name: String },
    Dot { pos: usize },
    Nil { pos: usize },
    Bool { pos: usize, val: bool },
    Number { pos: usize, num: Number },
    Str { pos: usize, quoted: String, text: std::rc::Rc<str> },
    Pipe(Box<Pipe>),
}

impl Arg {
    pub(crate) fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Chain { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::Str { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { idents, .. } => idents.iter().try_for_each(|i| write!(f, ".{i}")),
            Arg::Variable { idents, .. } => f.write_str(&idents.join(".")),
            Arg::Chain { node, fields, .. } => {
                match &**node {
                    Arg::Pipe(p) => write!(f, "({p})")?,
                    n => write!(f, "{n}")?,
                }
                fields.iter().try_for_each(|i| write!(f, ".{i}"))
            }
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_str("."),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { val, .. } => write!(f, "{val}"),
            Arg::Number { num, .. } => f.write_str(&num.text),
            Arg::Str { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{p}"),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            match a {
                Arg::Pipe(p) => write!(f, "({p})")?,
                a => write!(f, "{a}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, list: &[Node]) -> fmt::Result {
    list.iter().try_for_each(|n| write!(f, "{n}"))
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let control = |f: &mut fmt::Formatter<'_>, kw: &str, pipe: &Pipe, list: &[Node], el: &Option<Vec<Node>>| {
            write!(f, "{{{{{kw} {pipe}}}}}")?;
            write_list(f, list)?;
            if let Some(el) = el {
                f.write_str("{{else}}")?;
                write_list(f, el)?;
            }
            f.write_str("{{end}}")
        };
        match self {
            Node::Text { text } => f.write_str(&super::fmt::quote(text)),
            Node::Action { pipe, .. } => write!(f, "{{{{{pipe}}}}}"),
            Node::If { pipe, list, else_list, .. } => control(f, "if", pipe, list, else_list),
            Node::With { pipe, list, else_list, .. } => control(f, "with", pipe, list, else_list),
            Node::Range { pipe, list, else_list, .. } => control(f, "range", pipe, list, else_list),
            Node::Template { name, pipe, .. } => match pipe {
                None => write!(f, "{{{{template {}}}}}", super::fmt::quote(name)),
                Some(p) => write!(f, "{{{{template {} {p}}}}}", super::fmt::quote(name)),
            },
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
        }
    }
}

impl Node {
    pub(crate) fn pos(&self) -> Option<usize> {
        match self {
            Node::Text { .. } => None,
            Node::Action { pos, .. }
            | Node::If { pos, .. }
            | Node::With { pos, .. }
            | Node::Range { pos, .. }
            | Node::Template { pos, .. }
            | Node::Break { pos }
            | Node::Continue { pos } => Some(*pos),
        }
    }
}

/// What ended an item list.
enum End {
    End,
    Else,
}

type PResult<T> = Result<T, ParseFailure>;

/// Parses `text` as template `name`; returns every tree it defines, keyed by name.
pub(crate) fn parse(
    name: &str,
    text: &str,
    has_func: &dyn Fn(&str) -> bool,
) -> Result<Map<String, Tree>, ParseFailure> {
    let items = lex(text, !has_func("break"), !has_func("continue"));
    let mut p = Parser {
        items,
        i: 0,
        furthest: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        has_func,
        action_line: 0,
        set: Map::new(),
        parse_name: name.into(),
        text: text.into(),
    };
    let mut root = Vec::new();
    loop {
        if p.peek().kind == Kind::Eof {
            break;
        }
        if p.peek().kind == Kind::LeftDelim {
            let save = p.i;
            p.next();
            if p.next_non_space().kind == Kind::Define {
                let saved_vars = std::mem::replace(&mut p.vars, vec!["$".into()]);
                let saved_depth = std::mem::replace(&mut p.range_depth, 0);
                p.definition()?;
                p.vars = saved_vars;
                p.range_depth = saved_depth;
                continue;
            }
            p.i = save;
        }
        match p.text_or_action()? {
            Step::Node(n) => root.push(n),
            Step::End(end) => return Err(p.fail(format!("unexpected {}", end_name(&end)))),
        }
    }
    p.add(name.to_string(), root)?;
    Ok(p.set)
}

fn end_name(e: &End) -> &'static str {
    match e {
        End::End => "{{end}}",
        End::Else => "{{else}}",
    }
}

/// Go's `IsEmptyTree`: only whitespace text (and nothing else).
pub(crate) fn is_empty_tree(list: &[Node]) -> bool {
    list.iter().all(|n| matches!(n, Node::Text { text } if text.trim_matches([' ', '\t', '\r', '\n']).is_empty()))
}

enum Step {
    Node(Node),
    End(End),
}

struct Parser<'f> {
    items: Vec<Item>,
    i: usize,
    furthest: usize,
    vars: Vec<String>,
    range_depth: usize,
    has_func: &'f dyn Fn(&str) -> bool,
    action_line: usize,
    set: Map<String, Tree>,
    parse_name: Rc<str>,
    text: Rc<str>,
}

const TOKEN_STARTS: [Kind; 12] = [
    Kind::Bool,
    Kind::CharConstant,
    Kind::Complex,
    Kind::Dot,
    Kind::Field,
    Kind::Identifier,
    Kind::Number,
    Kind::Nil,
    Kind::RawString,
    Kind::String,
    Kind::Variable,
    Kind::LeftParen,
];

impl Parser<'_> {
    fn peek(&self) -> &Item {
        let last = self.items.len() - 1;
        &self.items[self.i.min(last)]
    }

    fn next(&mut self) -> Item {
        let last = self.items.len() - 1;
        let at = self.i.min(last);
        let it = self.items[at].clone();
        self.furthest = self.furthest.max(at);
        self.i += 1;
        it
    }

    fn backup(&mut self) {
        self.i -= 1;
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let it = self.next();
            if it.kind != Kind::Space {
                return it;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let it = self.next_non_space();
        self.backup();
        it
    }

    fn fail(&self, msg: String) -> ParseFailure {
        let it = &self.items[self.furthest.min(self.items.len() - 1)];
        ParseFailure { line: it.line, pos: it.pos, msg }
    }

    fn unexpected(&self, it: &Item, context: &str) -> ParseFailure {
        if it.kind == Kind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != it.line {
                extra = format!(" in action started at {}:{}", self.parse_name, self.action_line);
                if it.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            let mut f = self.fail(format!("{}{extra}", it.val));
            f.pos = it.pos;
            return f;
        }
        let mut f = self.fail(format!("unexpected {} in {context}", it.describe()));
        f.pos = it.pos;
        f
    }

    fn expect(&mut self, kind: Kind, context: &str) -> PResult<Item> {
        let it = self.next_non_space();
        if it.kind != kind {
            return Err(self.unexpected(&it, context));
        }
        Ok(it)
    }

    /// Go's `Tree.add`: a name may be defined once with a non-empty body.
    fn add(&mut self, name: String, root: Vec<Node>) -> PResult<()> {
        if let Some(old) = self.set.get(&name) {
            if !is_empty_tree(&old.root) {
                if !is_empty_tree(&root) {
                    return Err(
                        self.fail(format!("template: multiple definition of template {}", super::fmt::quote(&name)))
                    );
                }
                return Ok(());
            }
        }
        let t = Tree { name: name.clone(), parse_name: self.parse_name.clone(), text: self.text.clone(), root };
        self.set.insert(name, t);
        Ok(())
    }

    fn definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let it = self.next_non_space();
        if !matches!(it.kind, Kind::String | Kind::RawString) {
            return Err(self.unexpected(&it, context));
        }
        let name = unquote(&it.val).map_err(|e| self.fail(e))?;
        self.expect(Kind::RightDelim, context)?;
        let (list, end) = self.item_list()?;
        if !matches!(end, End::End) {
            return Err(self.fail(format!("unexpected {} in {context}", end_name(&end))));
        }
        self.add(name, list)
    }

    fn item_list(&mut self) -> PResult<(Vec<Node>, End)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Step::Node(n) => list.push(n),
                Step::End(e) => return Ok((list, e)),
            }
        }
        Err(self.fail("unexpected EOF".into()))
    }

    fn text_or_action(&mut self) -> PResult<Step> {
        let it = self.next_non_space();
        match it.kind {
            Kind::Text => Ok(Step::Node(Node::Text { text: it.val })),
            Kind::LeftDelim => {
                self.action_line = it.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => Err(self.unexpected(&it, "input")),
        }
    }

    fn action(&mut self) -> PResult<Step> {
        let it = self.next_non_space();
        match it.kind {
            Kind::Block => return self.block().map(Step::Node),
            Kind::Break | Kind::Continue => {
                let word = if it.kind == Kind::Break { "break" } else { "continue" };
                let t = self.next_non_space();
                if t.kind != Kind::RightDelim {
                    return Err(self.unexpected(&t, &format!("{{{{{word}}}}}")));
                }
                if self.range_depth == 0 {
                    return Err(self.fail(format!("{{{{{word}}}}} outside {{{{range}}}}")));
                }
                return Ok(Step::Node(if it.kind == Kind::Break {
                    Node::Break { pos: it.pos }
                } else {
                    Node::Continue { pos: it.pos }
                }));
            }
            Kind::Else => {
                let peek = self.peek_non_space();
                if matches!(peek.kind, Kind::If | Kind::With) {
                    return Ok(Step::End(End::Else));
                }
                self.expect(Kind::RightDelim, "else")?;
                return Ok(Step::End(End::Else));
            }
            Kind::End => {
                self.expect(Kind::RightDelim, "end")?;
                return Ok(Step::End(End::End));
            }
            Kind::If => return self.control("if").map(Step::Node),
            Kind::Range => return self.control("range").map(Step::Node),
            Kind::With => return self.control("with").map(Step::Node),
            Kind::Template => return self.template().map(Step::Node),
            _ => {}
        }
        self.backup();
        let pos = self.peek().pos;
        let pipe = self.pipeline("command", Kind::RightDelim)?;
        Ok(Step::Node(Node::Action { pos, pipe }))
    }

    fn control(&mut self, context: &str) -> PResult<Node> {
        let mark = self.vars.len();
        let r = self.control_inner(context);
        self.vars.truncate(mark);
        r
    }

    fn control_inner(&mut self, context: &str) -> PResult<Node> {
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, end) = r?;
        let mut else_list = None;
        if let End::Else = end {
            if context == "if" && self.peek().kind == Kind::If {
                self.next();
                else_list = Some(vec![self.control("if")?]);
            } else if context == "with" && self.peek().kind == Kind::With {
                self.next();
                else_list = Some(vec![self.control("with")?]);
            } else {
                let (el, end) = self.item_list()?;
                if !matches!(end, End::End) {
                    return Err(self.fail(format!("expected end; found {}", end_name(&end))));
                }
                else_list = Some(el);
            }
        }
        let pos = pipe.pos;
        Ok(match context {
            "if" => Node::If { pos, pipe, list, else_list },
            "with" => Node::With { pos, pipe, list, else_list },
            _ => Node::Range { pos, pipe, list, else_list },
        })
    }

    fn template_name(&mut self, it: &Item, context: &str) -> PResult<String> {
        match it.kind {
            Kind::String | Kind::RawString => unquote(&it.val).map_err(|e| self.fail(e)),
            _ => Err(self.unexpected(it, context)),
        }
    }

    fn template(&mut self) -> PResult<Node> {
        let context = "template clause";
        let it = self.next_non_space();
        let name = self.template_name(&it, context)?;
        let mut pipe = None;
        if self.next_non_space().kind != Kind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, Kind::RightDelim)?);
        }
        Ok(Node::Template { pos: it.pos, name, pipe })
    }

    fn block(&mut self) -> PResult<Node> {
        let context = "block clause";
        let it = self.next_non_space();
        let name = self.template_name(&it, context)?;
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_depth = std::mem::replace(&mut self.range_depth, 0);
        let r = self.item_list();
        self.vars = saved_vars;
        self.range_depth = saved_depth;
        let (list, end) = r?;
        if !matches!(end, End::End) {
            return Err(self.fail(format!("unexpected {} in {context}", end_name(&end))));
        }
        self.add(name.clone(), list)?;
        Ok(Node::Template { pos: it.pos, name, pipe: Some(pipe) })
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> PResult<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe { pos: start.pos, is_assign: false, decl: Vec::new(), cmds: Vec::new() };
        'decls: loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            self.next_non_space();
            let after_var = self.peek().clone();
            let next = self.peek_non_space();
            if next.kind == Kind::Assign || next.kind == Kind::Declare {
                pipe.is_assign = next.kind == Kind::Assign;
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val);
            } else if next.kind == Kind::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(v.val.clone());
                self.vars.push(v.val.clone());
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().kind {
                        Kind::Variable | Kind::RightDelim | Kind::RightParen => continue 'decls,
                        _ => return Err(self.fail("range can only initialize variables".into())),
                    }
                }
                return Err(self.fail(format!("too many declarations in {context}")));
            } else {
                // Not a declaration: put the variable back (and the space after it).
                let _ = after_var;
                self.i = self.index_of(v.pos);
            }
            break;
        }
        loop {
            let it = self.next_non_space();
            if it.kind == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            if TOKEN_STARTS.contains(&it.kind) {
                self.backup();
                let cmd = self.command()?;
                pipe.cmds.push(cmd);
            } else {
                return Err(self.unexpected(&it, context));
            }
        }
    }

    fn index_of(&self, pos: usize) -> usize {
        self.items.iter().position(|it| it.pos == pos && it.kind != Kind::Space).unwrap_or(self.i)
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return Err(self.fail(format!("missing value for {context}")));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(Arg::Bool { .. } | Arg::Dot { .. } | Arg::Nil { .. } | Arg::Number { .. } | Arg::Str { .. })
            ) {
                return Err(self.fail(format!("non executable command in pipeline stage {}", i + 1)));
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command { pos, args: Vec::new() };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let it = self.next();
            match it.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return Err(self.unexpected(&it, "operand")),
            }
            break;
        }
        if cmd.args.is_empty() {
            return Err(self.fail("empty command".into()));
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else { return Ok(None) };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            fields.push(self.next().val[1..].to_string());
        }
        Ok(Some(match node {
            // Go re-creates the node at the position of the first added field.
            Arg::Field { mut idents, .. } => {
                idents.extend(fields);
                Arg::Field { pos: chain_pos, idents }
            }
            Arg::Variable { mut idents, .. } => {
                idents.extend(fields);
                Arg::Variable { pos: chain_pos, idents }
            }
            n @ (Arg::Bool { .. } | Arg::Str { .. } | Arg::Number { .. } | Arg::Nil { .. } | Arg::Dot { .. }) => {
                return Err(self.fail(format!("unexpected . after term {}", super::fmt::quote(&n.to_string()))));
            }
            n => Arg::Chain { pos: chain_pos, node: Box::new(n), fields },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let it = self.next_non_space();
        let pos = it.pos;
        Ok(Some(match it.kind {
            Kind::Identifier => {
                if !(self.has_func)(&it.val) {
                    return Err(self.fail(format!("function {} not defined", super::fmt::quote(&it.val))));
                }
                Arg::Identifier { pos, name: it.val }
            }
            Kind::Dot => Arg::Dot { pos },
            Kind::Nil => Arg::Nil { pos },
            Kind::Variable => {
                let idents: Vec<String> = split_var(&it.val);
                if !self.vars.iter().any(|v| *v == idents[0]) {
                    return Err(self.fail(format!("undefined variable {}", super::fmt::quote(&idents[0]))));
                }
                Arg::Variable { pos, idents }
            }
            Kind::Field => Arg::Field { pos, idents: it.val[1..].split('.').map(str::to_string).collect() },
            Kind::Bool => Arg::Bool { pos, val: it.val == "true" },
            Kind::CharConstant | Kind::Complex | Kind::Number => {
                let num = parse_number(&it.val, it.kind == Kind::CharConstant, it.kind == Kind::Complex)
                    .map_err(|e| self.fail(e))?;
                Arg::Number { pos, num }
            }
            Kind::LeftParen => Arg::Pipe(Box::new(self.pipeline("parenthesized pipeline", Kind::RightParen)?)),
            Kind::String | Kind::RawString => {
                let text = unquote(&it.val).map_err(|e| self.fail(e))?;
                Arg::Str { pos, quoted: it.val, text: text.into() }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

fn split_var(v: &str) -> Vec<String> {
    v.split('.').map(str::to_string).collect()
}

/// Go's `strconv.Unquote` for the two string forms the lexer produces.
pub(crate) fn unquote(s: &str) -> Result<String, String> {
    let syntax = || "invalid syntax".to_string();
    if let Some(raw) = s.strip_prefix('`') {
        let raw = raw.strip_suffix('`').ok_or_else(syntax)?;
        return Ok(raw.replace('\r', ""));
    }
    let body = s.strip_prefix('"').and_then(|b| b.strip_suffix('"')).ok_or_else(syntax)?;
    let mut out = String::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (c, tail) = super::number::unquote_char(rest, '"').ok_or_else(syntax)?;
        out.push_str(&c);
        rest = tail;
    }
    Ok(out)
}
