//! Reading the JS arguments: plain objects, arrays and strings walked with `Reflect`, not serde.
//! serde and serde-wasm-bindgen cost the package 10 KB gzipped for a handful of small shapes;
//! strings are copied once, straight into Rust, however large the input is.
//!
//! The rules are serde's: a missing or `undefined`/`null` optional field takes its default,
//! unknown fields are ignored, and a field of the wrong type is an error that names it.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// One field of a JS object, `undefined` when it is missing.
fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// `v` when it is a JS object (arrays included), for reading fields from.
pub(crate) fn object<'a>(v: &'a JsValue, what: &str) -> Result<&'a JsValue, String> {
    if v.is_object() {
        Ok(v)
    } else {
        Err(format!("{what} must be an object"))
    }
}

/// The items of a JS array.
pub(crate) fn array(v: &JsValue, what: &str) -> Result<Vec<JsValue>, String> {
    if Array::is_array(v) {
        Ok(v.unchecked_ref::<Array>().iter().collect())
    } else {
        Err(format!("{what} must be an array"))
    }
}

/// A required string field.
pub(crate) fn string(v: &JsValue, key: &str) -> Result<String, String> {
    opt_string(v, key)?.ok_or_else(|| format!("missing field `{key}`"))
}

/// An optional string field.
pub(crate) fn opt_string(v: &JsValue, key: &str) -> Result<Option<String>, String> {
    let f = field(v, key);
    if absent(&f) {
        return Ok(None);
    }
    f.as_string().map(Some).ok_or_else(|| format!("`{key}` must be a string"))
}

/// An optional boolean field, false when it is missing.
pub(crate) fn flag(v: &JsValue, key: &str) -> Result<bool, String> {
    let f = field(v, key);
    if absent(&f) {
        return Ok(false);
    }
    f.as_bool().ok_or_else(|| format!("`{key}` must be a boolean"))
}

/// An optional non-negative whole number field.
pub(crate) fn opt_count(v: &JsValue, key: &str) -> Result<Option<usize>, String> {
    let f = field(v, key);
    if absent(&f) {
        return Ok(None);
    }
    match f.as_f64() {
        // 2^53: every whole number below it is exact in a JS number.
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 9_007_199_254_740_992.0 => {
            Ok(Some(usize::try_from(n as u64).unwrap_or(usize::MAX)))
        }
        _ => Err(format!("`{key}` must be a non-negative whole number")),
    }
}

/// An optional object field.
pub(crate) fn opt_object(v: &JsValue, key: &str) -> Result<Option<JsValue>, String> {
    let f = field(v, key);
    if absent(&f) {
        return Ok(None);
    }
    if f.is_object() {
        Ok(Some(f))
    } else {
        Err(format!("`{key}` must be an object"))
    }
}

/// An optional array field, empty when it is missing.
pub(crate) fn opt_array(v: &JsValue, key: &str) -> Result<Vec<JsValue>, String> {
    let f = field(v, key);
    if absent(&f) {
        return Ok(Vec::new());
    }
    array(&f, &format!("`{key}`"))
}

/// The own enumerable string-valued properties of a plain object, sorted by name.
pub(crate) fn string_map(v: &JsValue) -> Result<Vec<(String, String)>, String> {
    if Array::is_array(v) || !v.is_object() {
        return Err("expected an object".into());
    }
    let mut out = Vec::new();
    for entry in Object::entries(v.unchecked_ref::<Object>()).iter() {
        let pair = entry.unchecked_ref::<Array>();
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1).as_string().ok_or_else(|| format!("`{key}` must be a string"))?;
        out.push((key, value));
    }
    routec_core::sort::sort(&mut out);
    Ok(out)
}
