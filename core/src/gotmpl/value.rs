//! The dynamic values templates see: a model of the Go data the router hands `text/template`
//! (nil, bool, int, uint, float64, string, slices, maps, structs with fields and methods, funcs),
//! with Go's type names so error messages read as Go's do.

use std::fmt;
use std::rc::Rc;

/// A Go static type, as far as templates can observe it: element types of slices and maps and
/// parameter types of functions. Its name appears in error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoType {
    /// `interface {}`: values inside keep their own dynamic type.
    Any,
    /// `bool`.
    Bool,
    /// `int`.
    Int,
    /// `uint`.
    Uint,
    /// `float64`.
    Float,
    /// `string`.
    String,
    /// `reflect.Value`: what the builtins take, anything goes.
    Reflect,
    /// Any other named type (a struct, a pointer, a slice type); nil-able when `nilable`.
    Named {
        /// Go's spelling, e.g. `main.Item` or `[]string`.
        name: Rc<str>,
        /// Whether nil is a value of the type (pointers, slices, maps).
        nilable: bool,
    },
}

impl GoType {
    /// Go's spelling of the type.
    pub fn name(&self) -> String {
        match self {
            GoType::Any => "interface {}".into(),
            GoType::Bool => "bool".into(),
            GoType::Int => "int".into(),
            GoType::Uint => "uint".into(),
            GoType::Float => "float64".into(),
            GoType::String => "string".into(),
            GoType::Reflect => "reflect.Value".into(),
            GoType::Named { name, .. } => name.to_string(),
        }
    }

    /// The zero value of the type (what `index` returns for a missing map key).
    pub fn zero(&self) -> Value {
        match self {
            GoType::Bool => Value::Bool(false),
            GoType::Int => Value::Int(0),
            GoType::Uint => Value::Uint(0),
            GoType::Float => Value::Float(0.0),
            GoType::String => Value::from(""),
            _ => Value::Nil,
        }
    }

    /// Whether nil can be assigned to the type (Go's `canBeNil`: `reflect.Value` can).
    pub fn nilable(&self) -> bool {
        matches!(self, GoType::Any | GoType::Reflect | GoType::Named { nilable: true, .. })
    }
}

/// A map key: maps are keyed by strings or by integers, and iterate in sorted key order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// An `int` key.
    Int(i64),
    /// A `string` key.
    Str(String),
}

impl Key {
    /// The key as a template value.
    pub fn to_value(&self) -> Value {
        match self {
            Key::Int(i) => Value::Int(*i),
            Key::Str(s) => Value::from(s.as_str()),
        }
    }
}

/// A map's entries, sorted by key: templates never change a map, so a sorted vector serves
/// lookups and ordered iteration at a fraction of a tree's memory (the router's data holds
/// tens of thousands of one-entry maps).
#[derive(Debug, Clone, Default)]
pub struct Entries(Vec<(Key, Value)>);

impl Entries {
    /// The value at `key`.
    pub fn get(&self, key: &Key) -> Option<&Value> {
        self.0.binary_search_by(|(k, _)| k.cmp(key)).ok().and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    /// The value at the string key `key`, without building a `Key`.
    pub fn get_str(&self, key: &str) -> Option<&Value> {
        let at = self.0.binary_search_by(|(k, _)| match k {
            Key::Int(_) => std::cmp::Ordering::Less,
            Key::Str(s) => s.as_str().cmp(key),
        });
        at.ok().and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Key, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Key> {
        self.0.iter().map(|(k, _)| k)
    }
}

impl FromIterator<(Key, Value)> for Entries {
    /// Sorts by key; of equal keys the last one stays, as in a Go map literal's assignments.
    fn from_iter<I: IntoIterator<Item = (Key, Value)>>(iter: I) -> Self {
        let mut v: Vec<(Key, Value)> = iter.into_iter().collect();
        if !v.is_sorted_by(|a, b| a.0 < b.0) {
            // Stable, so equal keys keep their order and the last of them can be kept.
            crate::sort::sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            let mut out: Vec<(Key, Value)> = Vec::with_capacity(v.len());
            for e in v {
                match out.last_mut() {
                    Some(last) if last.0 == e.0 => *last = e,
                    _ => out.push(e),
                }
            }
            v = out;
        }
        v.shrink_to_fit();
        Self(v)
    }
}

impl<'a> IntoIterator for &'a Entries {
    type Item = (&'a Key, &'a Value);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (Key, Value)>, fn(&'a (Key, Value)) -> (&'a Key, &'a Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// A Go slice `[]elem`.
#[derive(Debug, Clone)]
pub struct List {
    /// Element type.
    pub elem: GoType,
    /// Elements.
    pub items: Vec<Value>,
}

/// A Go map `map[key]elem` with string or int keys.
#[derive(Debug, Clone)]
pub struct Map {
    /// Whether keys are ints (`map[int]…`) rather than strings.
    pub int_keys: bool,
    /// Element type.
    pub elem: GoType,
    /// Entries, in key order.
    pub entries: Entries,
    /// The zero value of a struct element type (what `index` returns for a missing key);
    /// `None` uses the element type's own zero.
    pub zero: Option<Value>,
}

impl Map {
    /// Go's spelling of the map's type.
    pub fn type_name(&self) -> String {
        format!("map[{}]{}", if self.int_keys { "int" } else { "string" }, self.elem.name())
    }
}

/// A function body: arguments in, a value or an error message out.
pub type Body = dyn Fn(&[Value]) -> Result<Value, String>;

/// A callable: a template function, a method bound to its receiver, or a func-typed value.
#[derive(Clone)]
pub struct Func {
    /// Fixed parameter types.
    pub params: Vec<GoType>,
    /// Element type of a final `...T` parameter.
    pub variadic: Option<GoType>,
    /// Go's spelling of the function's type, e.g. `func(string) string`.
    pub type_name: Rc<str>,
    /// The body: the arguments in, a value or an error message out.
    pub call: Rc<Body>,
}

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.type_name)
    }
}

impl Func {
    /// A function with fixed parameters.
    pub fn new(
        params: Vec<GoType>,
        type_name: &str,
        call: impl Fn(&[Value]) -> Result<Value, String> + 'static,
    ) -> Self {
        Func { params, variadic: None, type_name: type_name.into(), call: Rc::new(call) }
    }

    /// The same function with a final `...T` parameter.
    #[must_use]
    pub fn variadic(mut self, elem: GoType) -> Self {
        self.variadic = Some(elem);
        self
    }
}

/// A Go struct (or pointer to one) seen through reflection: named fields, methods, a type name.
/// Router data such as `ServiceAliasConfig` implements this to expose its Go field names.
pub trait Object: fmt::Debug {
    /// Go's spelling of the type: `main.Item`, or `*main.Item` for a pointer.
    fn type_name(&self) -> String;
    /// Exported field names in declaration order (for `%v` printing and "did you mean").
    fn field_names(&self) -> Vec<String>;
    /// The value of a field, `None` when the struct has no such field.
    fn field(&self, name: &str) -> Option<Value>;
    /// Every field in declaration order, unexported ones too, as `%v` prints a struct.
    fn all_fields(&self) -> Vec<(String, Value)> {
        self.field_names()
            .into_iter()
            .map(|n| {
                let v = self.field(&n).unwrap_or_default();
                (n, v)
            })
            .collect()
    }
    /// Whether the field is declared `interface{}` (its value keeps a dynamic type).
    fn field_is_interface(&self, _name: &str) -> bool {
        false
    }
    /// Whether the struct has an unexported field of that name (Go reports it differently).
    fn unexported_field(&self, _name: &str) -> bool {
        false
    }
    /// A method bound to this receiver.
    fn method(&self, _name: &str) -> Option<Func> {
        None
    }
    /// Whether this is a pointer type.
    fn is_pointer(&self) -> bool {
        false
    }
    /// Whether this is a nil pointer.
    fn is_nil(&self) -> bool {
        false
    }
}

/// A template value.
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// An untyped nil (also what a missing map entry becomes after a pipeline).
    #[default]
    Nil,
    /// `bool`.
    Bool(bool),
    /// `int`.
    Int(i64),
    /// `uint` (and `uint8`, from indexing a string).
    Uint(u64),
    /// `float64`.
    Float(f64),
    /// `string`.
    Str(Rc<str>),
    /// A slice.
    List(Rc<List>),
    /// A map.
    Map(Rc<Map>),
    /// A struct or pointer to struct.
    Object(Rc<dyn Object>),
    /// A function value (for `call`).
    Func(Rc<Func>),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s.into())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl Value {
    /// A `[]interface{}` of the values.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::new(List { elem: GoType::Any, items }))
    }

    /// A `[]elem` of the values.
    pub fn typed_list(elem: GoType, items: Vec<Value>) -> Value {
        Value::List(Rc::new(List { elem, items }))
    }

    /// A `map[string]interface{}`.
    pub fn map(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
        Value::typed_map(false, GoType::Any, entries.into_iter().map(|(k, v)| (Key::Str(k), v)))
    }

    /// A map with the given key kind and element type.
    pub fn typed_map(int_keys: bool, elem: GoType, entries: impl IntoIterator<Item = (Key, Value)>) -> Value {
        Value::Map(Rc::new(Map { int_keys, elem, entries: entries.into_iter().collect(), zero: None }))
    }

    /// A string-keyed map of structs: `zero` is the struct's zero value, what `index` returns
    /// for a missing key (Go's `index` never yields nil for a struct element).
    pub fn struct_map(elem: GoType, zero: Value, entries: impl IntoIterator<Item = (String, Value)>) -> Value {
        let entries = entries.into_iter().map(|(k, v)| (Key::Str(k), v)).collect();
        Value::Map(Rc::new(Map { int_keys: false, elem, entries, zero: Some(zero) }))
    }

    /// Go's spelling of the value's dynamic type (`<nil>` for nil).
    pub fn type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Uint(_) => "uint".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::List(l) => format!("[]{}", l.elem.name()),
            Value::Map(m) => m.type_name(),
            Value::Object(o) => o.type_name(),
            Value::Func(f) => f.type_name.to_string(),
        }
    }

    /// Go's truth: not the zero value of its type (structs are always true).
    pub fn truth(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Uint(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.entries.is_empty(),
            Value::Object(o) => !o.is_nil(),
            Value::Func(_) => true,
        }
    }

    /// Whether the value's type is assignable to `t` (Go's assignability for these types).
    pub fn assignable_to(&self, t: &GoType) -> bool {
        match (t, self) {
            (GoType::Any | GoType::Reflect, _) => true,
            (GoType::Bool, Value::Bool(_))
            | (GoType::Int, Value::Int(_))
            | (GoType::Uint, Value::Uint(_))
            | (GoType::Float, Value::Float(_))
            | (GoType::String, Value::Str(_)) => true,
            (GoType::Named { name, .. }, v) => **name == *v.type_name(),
            _ => false,
        }
    }
}
