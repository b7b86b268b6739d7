//! The router's template functions (its `helperFunctions` FuncMap) that need nothing from the
//! compiler: `env`, `isTrue`, `isInteger`, `matchValues`, `clipHAProxyTimeoutValue`,
//! `parseIPList` and `processRewriteTarget`. Each calls the helper the compiler uses
//! (`gotext`, `annotations`), so the compiler and the template agree by construction. The
//! functions that need compiler data or regexes are in `crate::template`.

use crate::sorted::Map;

use super::value::{Func, GoType, Value};
use super::FuncMap;
use crate::{annotations, gotext};

fn string(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        _ => String::new(),
    }
}

/// One `func(string) T`.
fn unary(type_name: &str, f: impl Fn(&str) -> Value + 'static) -> Func {
    Func::new(vec![GoType::String], type_name, move |a| Ok(f(&string(&a[0]))))
}

/// The functions, with `env` reading `environment` (the router's settings; core reads no
/// process environment). An empty value counts as unset, as in the router.
pub fn router_funcs(environment: &Map<String, String>) -> FuncMap {
    let environment = environment.clone();
    let mut m = FuncMap::new();
    m.insert(
        "env".into(),
        Func::new(vec![GoType::String], "func(string, ...string) string", move |a| {
            let name = string(&a[0]);
            let set = environment.get(&name).filter(|v| !v.is_empty()).cloned();
            let value = set.or_else(|| a[1..].iter().map(string).find(|d| !d.is_empty())).unwrap_or_default();
            Ok(Value::from(value))
        })
        .variadic(GoType::String),
    );
    m.insert("isTrue".into(), unary("func(string) bool", |s| Value::Bool(gotext::is_true(s))));
    m.insert("isInteger".into(), unary("func(string) bool", |s| Value::Bool(gotext::is_integer(s))));
    m.insert(
        "matchValues".into(),
        Func::new(vec![GoType::String], "func(string, ...string) bool", |a| {
            let s = string(&a[0]);
            Ok(Value::Bool(a[1..].iter().any(|v| string(v) == s)))
        })
        .variadic(GoType::String),
    );
    m.insert("clipHAProxyTimeoutValue".into(), unary("func(string) string", |s| Value::from(gotext::clip(s))));
    m.insert(
        "parseIPList".into(),
        unary("func(string) string", |s| {
            Value::from(annotations::parse_ip_list(s).map(|l| l.join(" ")).unwrap_or_default())
        }),
    );
    m.insert(
        "processRewriteTarget".into(),
        unary("func(string) string", |s| Value::from(annotations::sanitize_rewrite_target(s))),
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gotmpl::Template;

    fn run(text: &str, env: &[(&str, &str)]) -> String {
        let env: Map<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        match Template::parse("t", text, router_funcs(&env)) {
            Ok(t) => t.execute(&Value::Nil).unwrap_or_else(|e| e.to_string()),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn env_prefers_a_non_empty_setting_then_the_first_non_empty_default() {
        assert_eq!(
            run(r#"{{env "A" "d1"}}|{{env "B" "" "d2"}}|{{env "C"}}|{{env "E" "d"}}"#, &[("A", "a"), ("E", "")]),
            "a|d2||d"
        );
    }

    #[test]
    fn booleans_and_integers_follow_strconv() {
        assert_eq!(
            run(
                r#"{{isTrue "1"}} {{isTrue "True"}} {{isTrue "yes"}} {{isInteger "+5"}} {{isInteger "5 "}} {{isInteger "0x10"}}"#,
                &[]
            ),
            "true true false true false false"
        );
        // Go's argument checking still applies to the router's functions.
        assert!(run("{{isTrue 1}}", &[]).contains("expected string; found 1"));
    }

    #[test]
    fn match_values_clip_and_ip_lists() {
        assert_eq!(
            run(r#"{{matchValues "b" "a" "b"}} {{matchValues "c" "a"}} {{matchValues "x"}}"#, &[]),
            "true false false"
        );
        assert_eq!(
            run(
                r#"[{{clipHAProxyTimeoutValue "5s"}}] [{{clipHAProxyTimeoutValue "99999999d"}}] [{{clipHAProxyTimeoutValue "5 s"}}]"#,
                &[]
            ),
            "[5s] [2147483647ms] []"
        );
        assert_eq!(
            run(
                r#"[{{parseIPList "10.0.0.1 bad 192.168.0.0/16"}}] [{{parseIPList " 10.0.0.1"}}] [{{parseIPList "x"}}]"#,
                &[]
            ),
            "[10.0.0.1 192.168.0.0/16] [] []"
        );
    }

    #[test]
    fn functions_compose_in_pipelines() {
        let t = r#"{{with $t := env "ROUTER_DEFAULT_SERVER_TIMEOUT" "30s" | clipHAProxyTimeoutValue}}timeout server {{$t}}{{end}}"#;
        assert_eq!(run(t, &[]), "timeout server 30s");
        assert_eq!(run(t, &[("ROUTER_DEFAULT_SERVER_TIMEOUT", "1000000000h")]), "timeout server 2147483647ms");
    }
}
