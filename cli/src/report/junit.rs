//! `--format junit`: one test suite per input file and one test case per finding, so CI test
//! dashboards list the problems. Errors (and warnings under `--strict`) are failures; a file
//! without findings is one passing test case.

use std::fmt::Write as _;

use super::{Finding, Report};

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn case(out: &mut String, f: &Finding<'_>, report: &Report<'_>) {
    let d = f.diag;
    let at = f.primary.as_ref().map(|p| format!("{}:{}:{}", p.file, p.line, p.column)).unwrap_or_default();
    let name = if at.is_empty() { d.code.to_owned() } else { format!("{} at {at}", d.code) };
    let mut body = d.message.clone();
    if let Some(h) = &d.help {
        body.push_str("\nhelp: ");
        body.push_str(h);
    }
    let _ = write!(out, "    <testcase classname=\"routec.check\" name=\"{}\">", xml(&name));
    if report.fails(d) {
        let _ = write!(
            out,
            "<failure type=\"{}\" message=\"{}\">{}</failure>",
            d.severity.as_str(),
            xml(&d.message),
            xml(&body)
        );
    } else {
        let _ = write!(out, "<system-out>{}: {}</system-out>", d.severity.as_str(), xml(&body));
    }
    out.push_str("</testcase>\n");
}

pub(super) fn write(report: &Report<'_>) -> String {
    let mut suites: Vec<(&str, Vec<&Finding<'_>>)> = report.files.iter().map(|f| (*f, Vec::new())).collect();
    let mut general: Vec<&Finding<'_>> = Vec::new();
    for f in &report.findings {
        let slot = f.primary.as_ref().and_then(|p| suites.iter_mut().find(|(name, _)| *name == p.file));
        match slot {
            Some((_, list)) => list.push(f),
            None => general.push(f),
        }
    }
    if !general.is_empty() {
        suites.push(("(settings and other inputs)", general));
    }
    let total_failures = report.findings.iter().filter(|f| report.fails(f.diag)).count();
    let total_tests: usize = suites.iter().map(|(_, l)| l.len().max(1)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"routec check\" tests=\"{total_tests}\" failures=\"{total_failures}\">");
    for (name, list) in &suites {
        let failures = list.iter().filter(|f| report.fails(f.diag)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
            xml(name),
            list.len().max(1)
        );
        if list.is_empty() {
            let _ = writeln!(out, "    <testcase classname=\"routec.check\" name=\"{}\"/>", xml(name));
        }
        for f in list {
            case(&mut out, f, report);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
