//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Each diagnostic code is a
//! rule; each finding with a location is a result; findings without one (settings given on the
//! command line) become tool notifications, since code scanning wants a location per result.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use routec_core::Severity;

use super::{Place, Report};

/// A file name as a relative URI reference: forward slashes, reserved bytes percent-encoded.
fn uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(p: &Place<'_>) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(p.file) },
            "region": {
                "startLine": p.line,
                "startColumn": p.column,
                "endLine": p.end_line,
                "endColumn": p.end_column.max(if p.end_line == p.line { p.column + 1 } else { 1 }),
            }
        }
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

pub(super) fn write(report: &Report<'_>) -> String {
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        rules.entry(f.diag.code).or_default();
    }
    for (i, v) in rules.values_mut().enumerate() {
        *v = i;
    }
    let rule_list: Vec<Value> = rules
        .keys()
        .map(|code| {
            let name = code.rsplit("::").next().unwrap_or(code);
            let mut rule = json!({
                "id": code,
                "name": name,
                "shortDescription": { "text": code.replace("::", " ").replace('-', " ") },
            });
            // The rule's text and link come from docs/diagnostics.md (crate::docs).
            if let Some(doc) = crate::docs::rule(code) {
                rule["fullDescription"] = json!({ "text": doc.meaning.replace('`', ""), "markdown": doc.meaning });
                rule["helpUri"] = json!(doc.help_uri());
                rule["help"] = json!({ "text": format!("See {}", doc.help_uri()) });
            }
            rule
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for f in &report.findings {
        let d = f.diag;
        let mut text = d.message.clone();
        if let Some(h) = &d.help {
            text.push_str("\nhelp: ");
            text.push_str(h);
        }
        let Some(p) = &f.primary else {
            notifications.push(json!({
                "level": level(d.severity),
                "message": { "text": text },
                "descriptor": { "id": d.code },
            }));
            continue;
        };
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut l = location(r);
                l["id"] = json!(i + 1);
                l["message"] = json!({ "text": r.text });
                l
            })
            .collect();
        let mut result = json!({
            "ruleId": d.code,
            "ruleIndex": rules.get(d.code).copied().unwrap_or(0),
            "level": if report.strict && d.severity == Severity::Warning { "error" } else { level(d.severity) },
            "message": { "text": text },
            "locations": [location(p)],
            "partialFingerprints": {
                "routecFinding/v1": routec_core::gotext::md5_hex(&format!("{}\0{}\0{}", d.code, p.file, d.message)),
            },
        });
        if !related.is_empty() {
            result["relatedLocations"] = Value::Array(related);
        }
        results.push(result);
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "routec",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rule_list,
                }
            },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
