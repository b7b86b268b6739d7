//! Differential bodies: our span-keeping readers against the libraries they stand in for.
//! `json`: `core::json` against serde_json, the same accept/reject decision and the same
//! values. `yaml`: `core::yaml` (yaml-rust2 events) against serde_yaml (libyaml's grammar,
//! an independent implementation), the same trees on every document both accept. The
//! deliberate differences are listed in fuzz/README.md; each is recognised here by the other
//! library's own error message, so a new kind of disagreement still fails.

use routec_core::tree::{Node, Value};

/// The JSON reader agrees with serde_json.
pub(crate) fn json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = routec_core::json::parse(0, text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            if let Err(why) = same_json(&a, &b) {
                panic!("json: routec and serde_json read different values ({why}) in {text:?}");
            }
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => {
            // Deliberate: a lone surrogate escape becomes U+FFFD, as Go's encoding/json (and so
            // the API server and kubectl) decodes it; numbers are kept as text, and their range
            // is judged where the field's type is known, as Go does.
            let msg = e.to_string();
            let lone = msg.contains("surrogate") || (msg.contains("hex escape") && has_surrogate_escape(text));
            assert!(
                lone || msg.contains("number out of range"),
                "json: routec accepts what serde_json refuses ({msg}) in {text:?}"
            );
        }
        (Err(d), Ok(_)) => panic!("json: routec refuses ({}) what serde_json accepts in {text:?}", d.message),
    }
}

/// True when `text` holds a surrogate escape (`\uD800` to `\uDFFF`).
fn has_surrogate_escape(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0] == b'\\'
            && w[1] == b'u'
            && matches!(w[2], b'd' | b'D')
            && matches!(w[3], b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
    })
}

fn same_json(a: &Node<'_>, b: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value as J;
    match (&a.value, b) {
        (Value::Null, J::Null) => Ok(()),
        (Value::Scalar { text, quoted: false }, J::Bool(v)) if text == if *v { "true" } else { "false" } => Ok(()),
        (Value::Scalar { text, quoted: true }, J::String(s)) if text == s => Ok(()),
        (Value::Scalar { text, quoted: false }, J::Number(n)) => same_number(text, n),
        (Value::Seq(items), J::Array(other)) if items.len() == other.len() => {
            items.iter().zip(other).try_for_each(|(x, y)| same_json(x, y))
        }
        (Value::Map(entries), J::Object(other)) => {
            // serde_json keeps the last of repeated keys, as Go does; so does `Node::get`.
            let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.text.as_ref()).collect();
            keys.sort_unstable();
            keys.dedup();
            if keys.len() != other.len() {
                return Err(format!("{} distinct keys against {}", keys.len(), other.len()));
            }
            for (k, v) in other {
                let mine = a.get(k).ok_or_else(|| format!("key {k:?} missing"))?;
                same_json(mine, v)?;
            }
            Ok(())
        }
        (x, y) => Err(format!("{} against {y}", kind(x))),
    }
}

fn same_number(text: &str, n: &serde_json::Number) -> Result<(), String> {
    let same = if let Some(i) = n.as_i64() {
        text.parse::<i128>().ok() == Some(i128::from(i))
    } else if let Some(u) = n.as_u64() {
        text.parse::<i128>().ok() == Some(i128::from(u))
    } else {
        let (x, y) = (text.parse::<f64>().unwrap_or(f64::NAN), n.as_f64().unwrap_or(f64::NAN));
        x == y || (x - y).abs() <= y.abs() * 1e-15
    };
    if same {
        Ok(())
    } else {
        Err(format!("number {text} against {n}"))
    }
}

fn kind(v: &Value<'_>) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Scalar { quoted: true, .. } => "a string",
        Value::Scalar { .. } => "a plain scalar",
        Value::Seq(_) => "a sequence",
        Value::Map(_) => "a mapping",
    }
}

/// The YAML reader agrees with serde_yaml on every document both accept.
pub(crate) fn yaml(data: &[u8]) {
    use serde::Deserialize as _;
    let Ok(text) = std::str::from_utf8(data) else { return };
    if libyaml_anchor_differs(text) {
        return;
    }
    let Ok(ours) = routec_core::yaml::parse(0, text) else { return };
    let theirs: Result<Vec<serde_yaml::Value>, _> =
        serde_yaml::Deserializer::from_str(text).map(serde_yaml::Value::deserialize).collect();
    let Ok(theirs) = theirs else { return };
    let theirs: Vec<serde_yaml::Value> = theirs.into_iter().filter(|v| !v.is_null()).collect();
    assert_eq!(
        ours.len(),
        theirs.len(),
        "yaml: {} documents against serde_yaml's {} in {text:?}",
        ours.len(),
        theirs.len()
    );
    for (a, b) in ours.iter().zip(&theirs) {
        if let Err(why) = same_yaml(a, b) {
            panic!("yaml: routec and serde_yaml read different trees ({why}) in {text:?}");
        }
    }
}

/// A deliberate difference: YAML 1.2 lets an anchor or alias name hold any character but
/// spaces and flow indicators (`&a:b`), as yaml-rust2 and so routec read it, where libyaml
/// (under serde_yaml) ends the name at the first character that is not a letter, digit, `_`
/// or `-`. Inputs with such a name are not compared.
fn libyaml_anchor_differs(text: &str) -> bool {
    text.match_indices(['&', '*']).any(|(i, _)| {
        text[i + 1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .any(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    })
}

/// The YAML fast path reads a file exactly as the full reader (yaml-rust2) does: the same
/// documents, values and spans, and never a file the full reader refuses.
pub(crate) fn yaml_fast(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(fast) = routec_core::yaml::parse_fast(0, text) else { return };
    match routec_core::yaml::parse_full(0, text) {
        Ok(full) => assert!(
            format!("{fast:?}") == format!("{full:?}"),
            "yaml_fast: the fast path and the full reader read different trees in {text:?}"
        ),
        Err(e) => panic!("yaml_fast: the fast path reads what the full reader refuses ({}) in {text:?}", e.message),
    }
}

/// What serde_yaml makes of a plain scalar's text on its own (YAML 1.2 core schema).
fn resolve(text: &str) -> serde_yaml::Value {
    serde_yaml::from_str(text).unwrap_or_else(|_| serde_yaml::Value::String(text.to_owned()))
}

fn same_yaml(a: &Node<'_>, b: &serde_yaml::Value) -> Result<(), String> {
    use serde_yaml::Value as Y;
    match (&a.value, b) {
        (_, Y::Tagged(t)) => same_yaml(a, &t.value),
        (Value::Null, Y::Null) => Ok(()),
        (Value::Scalar { text, .. }, Y::String(s)) if text == s => Ok(()),
        (Value::Scalar { text, quoted: false }, Y::Bool(_) | Y::Number(_)) if resolve(text) == *b => Ok(()),
        (Value::Seq(items), Y::Sequence(other)) if items.len() == other.len() => {
            items.iter().zip(other).try_for_each(|(x, y)| same_yaml(x, y))
        }
        (Value::Map(entries), Y::Mapping(other)) if entries.len() == other.len() => {
            for ((k, v), (ok, ov)) in entries.iter().zip(other) {
                if !same_key(&k.text, ok) {
                    return Err(format!("key {:?} against {ok:?}", k.text));
                }
                same_yaml(v, ov)?;
            }
            Ok(())
        }
        (x, y) => Err(format!("{} {:?} against {y:?}", kind(x), a.as_str().unwrap_or(""))),
    }
}

/// A mapping key (routec keeps keys as text, a null one as "") against serde_yaml's value for
/// it; tags are ignored, on keys as on values.
fn same_key(k: &str, b: &serde_yaml::Value) -> bool {
    use serde_yaml::Value as Y;
    match b {
        Y::String(s) => k == s,
        Y::Null => k.is_empty() || matches!(k, "~" | "null" | "Null" | "NULL"),
        Y::Tagged(t) => same_key(k, &t.value),
        other => resolve(k) == *other,
    }
}

/// `core::regex` never panics, its two engines agree with each other (the DFA behind
/// `is_match` and the Pike VM behind `find`/`captures`), a pattern includes itself, and on
/// the subset both read the same way it agrees with the `regex` crate. The input: a mode
/// byte (bit 0: PCRE, bit 1: caseless), the pattern, `0xFF`, the haystack.
pub(crate) fn regex(data: &[u8]) {
    use routec_core::regex::Regex;
    let Some((&mode, rest)) = data.split_first() else { return };
    let (pat, hay) = match rest.iter().position(|&b| b == 0xFF) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let Ok(pat) = std::str::from_utf8(pat) else { return };
    let pcre = mode & 1 != 0;
    let nocase = pcre && mode & 2 != 0;
    let go_text = std::str::from_utf8(hay).is_ok();
    if !pcre && !go_text {
        return;
    }
    let ours = if pcre { Regex::new_pcre(pat, nocase) } else { Regex::new_go(pat) };
    let Ok(ours) = ours else { return };
    let caps = ours.captures(hay);
    let found = ours.find(hay);
    assert_eq!(ours.is_match(hay), found.is_some(), "regex: DFA and Pike VM disagree on {pat:?} in {hay:?}");
    assert_eq!(found, caps.as_ref().and_then(|c| c[0]), "regex: find and captures disagree on {pat:?}");
    let _ = ours.replace(hay, br"<\1\0>", true);
    if pcre && pat.len() < 64 {
        assert_ne!(routec_core::explain::analysis::includes(pat, pat), Some(false), "regex: {pat:?} excludes itself");
    }
    if !comparable(pat, hay) {
        return;
    }
    let theirs = if pcre {
        regex::bytes::RegexBuilder::new(pat).unicode(false).case_insensitive(nocase).build()
    } else {
        regex::bytes::RegexBuilder::new(pat).unicode(false).build()
    };
    let Ok(theirs) = theirs else { return };
    let want: Option<Vec<Option<(usize, usize)>>> =
        theirs.captures(hay).map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect());
    if want.as_ref().is_some_and(|w| w.len() != ours.groups()) {
        // The crate drops groups under `{0}`; Go and routec keep them.
        return;
    }
    assert_eq!(caps, want, "regex: routec and the regex crate disagree on {pat:?} in {hay:?}");
}

/// The subset where both engines read a pattern the same way: ASCII patterns and haystacks
/// (so `.` and classes see the same units, and case folding is ASCII in both), no Perl
/// space class (Go's `\s` lacks `\v`), and none of the syntax only one side has (Unicode
/// classes, `\Q`, `\e`, octal and short hex escapes, `{,n}`, PCRE's `[\b]`, leading zeros in
/// counts, spaces in counts, the crate's extra flags, assertions, nested classes and class
/// set operations). Deliberate differences: fuzz/README.md.
fn comparable(pat: &str, hay: &[u8]) -> bool {
    const ONLY_ONE_SIDE: &[&str] = &[
        r"\p",
        r"\P",
        r"\Q",
        r"\e",
        r"\0",
        r"\s",
        r"\S",
        "[:space:]",
        "{,",
        "{0",
        r"\<",
        r"\>",
        r"\b{",
        "(?x",
        "(?u",
        "(?R",
        "(?-x",
        "(?-u",
        "(?-R",
    ];
    pat.is_ascii()
        && hay.is_ascii()
        && !ONLY_ONE_SIDE.iter().any(|s| pat.contains(s))
        && !pat.contains(r"[\b")
        && !pat.as_bytes().windows(2).any(|w| w[0] == b'x' && w[1] != b'{' && pat.contains(r"\x"))
        && !pat.chars().any(|c| matches!(c, 'x' | 'u' | 'R') && pat.contains("(?"))
        && plain_classes(pat)
        // The crate allows spaces in counts (`{2 ,4}`); Go reads them as text.
        && !(pat.contains('{') && pat.contains(|c: char| c.is_ascii_whitespace()))
}

/// No bracket inside a class other than a POSIX class, and no `&&`, `--` or `~~`: the
/// crate's nested classes and set operations, which Go and PCRE read as plain characters.
fn plain_classes(pat: &str) -> bool {
    let b = pat.as_bytes();
    let (mut i, mut in_class) = (0, false);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' if !in_class => {
                in_class = true;
                i += usize::from(b.get(i + 1) == Some(&b'^'));
                i += usize::from(b.get(i + 1) == Some(&b']'));
            }
            b'[' => {
                let posix = b.get(i + 1) == Some(&b':')
                    && pat[i + 2..].find(":]").is_some_and(|k| {
                        let name = pat[i + 2..i + 2 + k].trim_start_matches('^');
                        !name.is_empty() && name.bytes().all(|c| c.is_ascii_lowercase())
                    });
                if !posix {
                    return false;
                }
                i += 2 + pat[i + 2..].find(":]").unwrap_or(0) + 1;
            }
            b']' => in_class = false,
            c @ (b'&' | b'-' | b'~') if in_class && b.get(i + 1) == Some(&c) => return false,
            _ => {}
        }
        i += 1;
    }
    true
}
