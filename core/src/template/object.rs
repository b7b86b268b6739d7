//! One generic Go struct for the router's template data: a Go type name, fields in
//! declaration order, and the one method the router's types have (`ServiceUnit.TemplateSafeName`).

use std::rc::Rc;

use crate::gotmpl::{Func, Object, Value};

/// A struct value (or a pointer to one) with the router's Go field names.
#[derive(Debug)]
pub(crate) struct Struct {
    /// Go's spelling of the type, e.g. `templaterouter.ServiceAliasConfig`.
    ty: &'static str,
    fields: Vec<(&'static str, Value)>,
    pointer: bool,
    nil: bool,
    /// Fields declared as interfaces (`DynamicConfigManager`), whose values keep a dynamic type.
    interfaces: &'static [&'static str],
}

impl Struct {
    /// A struct value.
    pub(crate) fn value(ty: &'static str, fields: Vec<(&'static str, Value)>) -> Value {
        Value::Object(Rc::new(Struct { ty, fields, pointer: false, nil: false, interfaces: &[] }))
    }

    /// A pointer to a struct.
    pub(crate) fn pointer(ty: &'static str, fields: Vec<(&'static str, Value)>) -> Value {
        Value::Object(Rc::new(Struct { ty, fields, pointer: true, nil: false, interfaces: &[] }))
    }

    /// A nil pointer of a struct type with these field names.
    pub(crate) fn nil_pointer(ty: &'static str, names: &[&'static str]) -> Value {
        let fields = names.iter().map(|n| (*n, Value::Nil)).collect();
        Value::Object(Rc::new(Struct { ty, fields, pointer: true, nil: true, interfaces: &[] }))
    }

    /// A struct with some interface-typed fields.
    pub(crate) fn with_interfaces(
        ty: &'static str,
        fields: Vec<(&'static str, Value)>,
        interfaces: &'static [&'static str],
    ) -> Value {
        Value::Object(Rc::new(Struct { ty, fields, pointer: false, nil: false, interfaces }))
    }
}

impl Object for Struct {
    fn type_name(&self) -> String {
        if self.pointer {
            format!("*{}", self.ty)
        } else {
            self.ty.to_owned()
        }
    }

    fn field_names(&self) -> Vec<String> {
        self.fields.iter().map(|(n, _)| (*n).to_owned()).collect()
    }

    fn field(&self, name: &str) -> Option<Value> {
        if self.nil {
            return None;
        }
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
    }

    fn field_is_interface(&self, name: &str) -> bool {
        self.interfaces.contains(&name)
    }

    fn method(&self, name: &str) -> Option<Func> {
        if self.ty != super::data::SERVICE_UNIT || name != "TemplateSafeName" || self.nil {
            return None;
        }
        let unit = match self.field("Name") {
            Some(Value::Str(s)) => s.replace('/', "-"),
            _ => String::new(),
        };
        Some(Func::new(Vec::new(), "func() string", move |_| Ok(Value::from(unit.as_str()))))
    }

    fn is_pointer(&self) -> bool {
        self.pointer
    }

    fn is_nil(&self) -> bool {
        self.nil
    }
}

/// A string field of a struct value, "" when absent or not a string.
pub(crate) fn str_field(v: &Value, name: &str) -> Rc<str> {
    match v {
        Value::Object(o) => match o.field(name) {
            Some(Value::Str(s)) => s,
            _ => "".into(),
        },
        _ => "".into(),
    }
}

/// A bool field of a struct value, false when absent.
pub(crate) fn bool_field(v: &Value, name: &str) -> bool {
    matches!(v, Value::Object(o) if matches!(o.field(name), Some(Value::Bool(true))))
}

/// Any field of a struct value, nil when absent.
pub(crate) fn field(v: &Value, name: &str) -> Value {
    match v {
        Value::Object(o) => o.field(name).unwrap_or_default(),
        _ => Value::Nil,
    }
}
