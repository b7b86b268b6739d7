//! The builtin functions of Go's `text/template` (`and or not len index slice eq ne lt le gt ge
//! print printf println html js urlquery call`), with Go's comparison rules across basic kinds
//! and Go's error texts.

use std::cmp::Ordering;

use super::exec::Val;
use super::fmt::{sprint, sprintf, sprintln};
use super::value::{GoType, Key, Value};

/// A builtin function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Print,
    Printf,
    Println,
    Html,
    Js,
    Urlquery,
    Call,
}

impl Builtin {
    pub(crate) fn named(name: &str) -> Option<Builtin> {
        Some(match name {
            "and" => Builtin::And,
            "or" => Builtin::Or,
            "not" => Builtin::Not,
            "len" => Builtin::Len,
            "index" => Builtin::Index,
            "slice" => Builtin::Slice,
            "eq" => Builtin::Eq,
            "ne" => Builtin::Ne,
            "lt" => Builtin::Lt,
            "le" => Builtin::Le,
            "gt" => Builtin::Gt,
            "ge" => Builtin::Ge,
            "print" => Builtin::Print,
            "printf" => Builtin::Printf,
            "println" => Builtin::Println,
            "html" => Builtin::Html,
            "js" => Builtin::Js,
            "urlquery" => Builtin::Urlquery,
            "call" => Builtin::Call,
            _ => return None,
        })
    }

    /// Go's parameter lists: fixed parameters and the element type of `...`.
    pub(crate) fn signature(self) -> (&'static [GoType], Option<&'static GoType>) {
        use Builtin::*;
        const R: &GoType = &GoType::Reflect;
        const ANY: &GoType = &GoType::Any;
        match self {
            And | Or | Index | Slice | Eq | Call => (&[GoType::Reflect], Some(R)),
            Not | Len => (&[GoType::Reflect], None),
            Ne | Lt | Le | Gt | Ge => (&[GoType::Reflect, GoType::Reflect], None),
            Print | Println | Html | Js | Urlquery => (&[], Some(ANY)),
            Printf => (&[GoType::String], Some(ANY)),
        }
    }
}

/// Go's `indirectInterface`: what an interface holds (nil for a nil interface).
fn ind(v: &Val) -> &Value {
    &v.v
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum BasicKind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Str,
}

fn basic_kind(v: &Value) -> BasicKind {
    match v {
        Value::Bool(_) => BasicKind::Bool,
        Value::Int(_) => BasicKind::Int,
        Value::Uint(_) => BasicKind::Uint,
        Value::Float(_) => BasicKind::Float,
        Value::Str(_) => BasicKind::Str,
        _ => BasicKind::Invalid,
    }
}

const BAD_TYPE: &str = "invalid type for comparison";
const BAD_CMP: &str = "incompatible types for comparison";

fn is_nil(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Object(o) => o.is_nil(),
        _ => false,
    }
}

fn eq2(a: &Value, b: &Value) -> Result<bool, String> {
    let (k1, k2) = (basic_kind(a), basic_kind(b));
    if k1 != k2 {
        return match (a, b) {
            (Value::Int(x), Value::Uint(y)) | (Value::Uint(y), Value::Int(x)) => Ok(*x >= 0 && *x as u64 == *y),
            (Value::Nil, _) | (_, Value::Nil) => Ok(false),
            _ => Err(format!("{BAD_CMP}: {} and {}", a.type_name(), b.type_name())),
        };
    }
    Ok(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Uint(x), Value::Uint(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        _ => {
            if is_nil(a) || is_nil(b) {
                return Ok(is_nil(a) == is_nil(b));
            }
            // Go names both values when their kinds differ, else the second.
            let kind = |v: &Value| std::mem::discriminant(v);
            if kind(a) != kind(b) {
                return Err(format!(
                    "non-comparable types {}: {}, {}: {}",
                    sprintf("%s", std::slice::from_ref(a)),
                    a.type_name(),
                    b.type_name(),
                    sprint(std::slice::from_ref(b))
                ));
            }
            return Err(format!("non-comparable type {}: {}", sprintf("%s", std::slice::from_ref(b)), b.type_name()));
        }
    })
}

fn eq(args: &[Val]) -> Result<bool, String> {
    let a = ind(&args[0]);
    if args.len() < 2 {
        return Err("missing argument for comparison".into());
    }
    for b in &args[1..] {
        if eq2(a, ind(b))? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(a: &Value, b: &Value) -> Result<bool, String> {
    let k1 = basic_kind(a);
    if k1 == BasicKind::Invalid {
        return Err(BAD_TYPE.into());
    }
    let k2 = basic_kind(b);
    if k2 == BasicKind::Invalid {
        return Err(BAD_TYPE.into());
    }
    Ok(match (a, b) {
        (Value::Int(x), Value::Uint(y)) => *x < 0 || (*x as u64) < *y,
        (Value::Uint(x), Value::Int(y)) => *y >= 0 && *x < *y as u64,
        _ if k1 != k2 => return Err(format!("{BAD_CMP}: {} and {}", a.type_name(), b.type_name())),
        (Value::Bool(_), _) => return Err(BAD_TYPE.into()),
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Uint(x), Value::Uint(y)) => x < y,
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y) == Some(Ordering::Less),
        (Value::Str(x), Value::Str(y)) => x < y,
        _ => return Err(BAD_TYPE.into()),
    })
}

fn le(a: &Value, b: &Value) -> Result<bool, String> {
    if lt(a, b)? {
        return Ok(true);
    }
    eq2(a, b)
}

fn index_arg(v: &Value, cap: usize) -> Result<usize, String> {
    let x: i64 = match v {
        Value::Int(i) => *i,
        Value::Uint(u) => *u as i64,
        Value::Nil => return Err("cannot index slice/array with nil".into()),
        v => return Err(format!("cannot index slice/array with type {}", v.type_name())),
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn map_key(v: &Value, int_keys: bool) -> Result<Key, String> {
    let want = if int_keys { "int" } else { "string" };
    match (v, int_keys) {
        (Value::Nil, _) => Err(format!("value is nil; should be of type {want}")),
        (Value::Str(s), false) => Ok(Key::Str(s.to_string())),
        (Value::Int(i), true) => Ok(Key::Int(*i)),
        (Value::Uint(u), true) => Ok(Key::Int(*u as i64)),
        (v, _) => Err(format!("value has type {}; should be {want}", v.type_name())),
    }
}

fn index(args: &[Val]) -> Result<Val, String> {
    let mut item = args[0].clone();
    if matches!(item.v, Value::Nil) {
        return Err("index of untyped nil".into());
    }
    for ix in &args[1..] {
        let ix = ind(ix);
        if is_nil(&item.v) {
            return Err("index of nil pointer".into());
        }
        item = match &item.v {
            Value::List(l) => {
                let x = index_arg(ix, l.items.len())?;
                if x == l.items.len() {
                    // Go's bounds check allows the length, and reflect then panics.
                    return Err("reflect: slice index out of range".into());
                }
                Val { v: l.items[x].clone(), iface: l.elem == GoType::Any }
            }
            Value::Str(s) => {
                let x = index_arg(ix, s.len())?;
                if x == s.len() {
                    return Err("reflect: string index out of range".into());
                }
                Val::of(Value::Uint(u64::from(s.as_bytes()[x])))
            }
            Value::Map(m) => {
                let k = map_key(ix, m.int_keys)?;
                match m.entries.get(&k) {
                    Some(v) => Val { v: v.clone(), iface: m.elem == GoType::Any },
                    None => Val { v: m.zero.clone().unwrap_or_else(|| m.elem.zero()), iface: m.elem == GoType::Any },
                }
            }
            v => return Err(format!("can't index item of type {}", v.type_name())),
        };
    }
    Ok(item)
}

fn slice(args: &[Val]) -> Result<Val, String> {
    let item = ind(&args[0]);
    if matches!(item, Value::Nil) {
        return Err("slice of untyped nil".into());
    }
    let idx = &args[1..];
    if idx.len() > 3 {
        return Err(format!("too many slice indexes: {}", idx.len()));
    }
    let (len, cap) = match item {
        Value::Str(s) => {
            if idx.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            (s.len(), s.len())
        }
        Value::List(l) => (l.items.len(), l.items.len()),
        v => return Err(format!("can't slice item of type {}", v.type_name())),
    };
    let mut ix = [0, len, 0];
    for (i, v) in idx.iter().enumerate() {
        ix[i] = index_arg(ind(v), cap)?;
    }
    if ix[0] > ix[1] {
        return Err(format!("invalid slice index: {} > {}", ix[0], ix[1]));
    }
    if idx.len() == 3 && ix[1] > ix[2] {
        return Err(format!("invalid slice index: {} > {}", ix[1], ix[2]));
    }
    Ok(Val::of(match item {
        Value::Str(s) => Value::from(String::from_utf8_lossy(&s.as_bytes()[ix[0]..ix[1]]).into_owned()),
        Value::List(l) => Value::typed_list(l.elem.clone(), l.items[ix[0]..ix[1]].to_vec()),
        _ => Value::Nil,
    }))
}

fn length(v: &Val) -> Result<Val, String> {
    let n = match &v.v {
        Value::Nil if v.iface => return Err("len of nil pointer".into()),
        Value::Nil => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Value::Object(o) if o.is_nil() => return Err("len of nil pointer".into()),
        Value::Str(s) => s.len(),
        Value::List(l) => l.items.len(),
        Value::Map(m) => m.entries.len(),
        // Go dereferences a pointer first.
        v => return Err(format!("len of type {}", v.type_name().trim_start_matches('*'))),
    };
    Ok(Val::of(Value::Int(n as i64)))
}

/// Go's `evalArgs` for html/js/urlquery: one string as is, else `fmt.Sprint` of printable values.
fn eval_args(args: &[Val]) -> String {
    if let [Val { v: Value::Str(s), .. }] = args {
        return s.to_string();
    }
    // Go's printableValue on each: nil prints as the string `<no value>`, a pointer as what it
    // points to; then fmt.Sprint's spacing (between two operands that are not strings).
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a.v, Value::Nil | Value::Str(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        match &a.v {
            Value::Nil => out.push_str("<no value>"),
            v => out.push_str(&super::fmt::sprint_action(v)),
        }
        prev_string = is_string;
    }
    out
}

/// Go's `template.HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c if super::fmt::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Runs a builtin other than `and`, `or` and `call` on evaluated arguments.
pub(crate) fn builtin(b: Builtin, args: &[Val]) -> Result<Val, String> {
    let vals = || args.iter().map(|a| a.v.clone()).collect::<Vec<_>>();
    let boolean = |r: Result<bool, String>| r.map(|b| Val::of(Value::Bool(b)));
    match b {
        Builtin::Not => Ok(Val::of(Value::Bool(!args[0].v.truth()))),
        Builtin::Len => length(&args[0]),
        Builtin::Index => index(args),
        Builtin::Slice => slice(args),
        Builtin::Eq => boolean(eq(args)),
        Builtin::Ne => boolean(eq(args).map(|e| !e)),
        Builtin::Lt => boolean(lt(ind(&args[0]), ind(&args[1]))),
        Builtin::Le => boolean(le(ind(&args[0]), ind(&args[1]))),
        Builtin::Gt => boolean(le(ind(&args[0]), ind(&args[1])).map(|e| !e)),
        Builtin::Ge => boolean(lt(ind(&args[0]), ind(&args[1])).map(|e| !e)),
        Builtin::Print => Ok(Val::of(Value::from(sprint(&vals())))),
        Builtin::Println => Ok(Val::of(Value::from(sprintln(&vals())))),
        Builtin::Printf => {
            let v = vals();
            let format = match &v[0] {
                Value::Str(s) => s.to_string(),
                _ => String::new(),
            };
            Ok(Val::of(Value::from(sprintf(&format, &v[1..]))))
        }
        Builtin::Html => Ok(Val::of(Value::from(html_escape(&eval_args(args))))),
        Builtin::Js => Ok(Val::of(Value::from(js_escape(&eval_args(args))))),
        Builtin::Urlquery => Ok(Val::of(Value::from(query_escape(&eval_args(args))))),
        Builtin::And | Builtin::Or | Builtin::Call => Err("internal error: not a plain builtin".into()),
    }
}

fn prepare_arg(v: &Value, t: &GoType) -> Result<Value, String> {
    if matches!(v, Value::Nil) {
        if !t.nilable() {
            return Err(format!("value is nil; should be of type {}", t.name()));
        }
        return Ok(Value::Nil);
    }
    if v.assignable_to(t) {
        return Ok(v.clone());
    }
    match (v, t) {
        (Value::Int(i), GoType::Uint) => Ok(Value::Uint(*i as u64)),
        (Value::Uint(u), GoType::Int) => Ok(Value::Int(*u as i64)),
        _ => Err(format!("value has type {}; should be {}", v.type_name(), t.name())),
    }
}

/// The `call` builtin: `args[0]` is the function, the rest its arguments.
pub(crate) fn call(name: &str, args: &[Val]) -> Result<Val, String> {
    let f = match ind(&args[0]) {
        Value::Nil => return Err("call of nil".into()),
        Value::Func(f) => f.clone(),
        v => return Err(format!("non-function {name} of type {}", v.type_name())),
    };
    let rest = &args[1..];
    let n = f.params.len();
    if f.variadic.is_some() {
        if rest.len() < n {
            return Err(format!("wrong number of args for {name}: got {} want at least {n}", rest.len()));
        }
    } else if rest.len() != n {
        return Err(format!("wrong number of args for {name}: got {} want {n}", rest.len()));
    }
    let mut argv = Vec::with_capacity(rest.len());
    for (i, a) in rest.iter().enumerate() {
        let t = f.params.get(i).or(f.variadic.as_ref()).cloned().unwrap_or(GoType::Any);
        argv.push(prepare_arg(ind(a), &t).map_err(|e| format!("arg {i}: {e}"))?);
    }
    (f.call)(&argv).map(Val::of)
}
