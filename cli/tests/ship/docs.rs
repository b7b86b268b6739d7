//! SARIF rules link to their anchor in docs/diagnostics.md and carry its Meaning text, and
//! docs/ has a page for every command.

use std::fs;

use crate::common::{root, routec};

/// `code → (anchor, meaning)` read straight from the Markdown table rows.
fn documented() -> std::collections::HashMap<String, (String, String)> {
    let md = fs::read_to_string(root().join("docs/diagnostics.md")).expect("diagnostics.md");
    let re =
        regex::Regex::new(r#"^\| <a id="([a-z0-9-]+)"></a>`(routec::[a-z0-9:-]+)` \|(?:.*\|)? (.+) \|$"#).expect("re");
    md.lines().filter_map(|l| re.captures(l)).map(|c| (c[2].to_owned(), (c[1].to_owned(), c[3].to_owned()))).collect()
}

#[test]
fn sarif_rules_link_their_documentation() {
    let docs = documented();
    let mut rules = 0;
    for entry in fs::read_dir(root().join("fixtures/invalid")).expect("fixtures").flatten() {
        let case = format!("fixtures/invalid/{}", entry.file_name().to_string_lossy());
        let mut args = vec!["check".to_owned(), case.clone(), "--format".into(), "sarif".into()];
        if entry.path().join("router.env").is_file() {
            args.extend(["--router-env".into(), format!("{case}/router.env")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let v: serde_json::Value = serde_json::from_slice(&routec(&args).stdout).expect("sarif");
        for r in v["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules") {
            let id = r["id"].as_str().expect("id");
            let (anchor, meaning) = docs.get(id).unwrap_or_else(|| panic!("{id} has no row in docs/diagnostics.md"));
            assert_eq!(
                r["helpUri"],
                format!("https://github.com/routec/routec/blob/main/docs/diagnostics.md#{anchor}")
            );
            assert_eq!(r["fullDescription"]["markdown"], meaning.as_str(), "{id}");
            assert_eq!(r["fullDescription"]["text"], meaning.replace('`', ""), "{id}");
            rules += 1;
        }
    }
    assert!(rules > 40, "{rules}");
}

#[test]
fn a_page_per_command() {
    for cmd in ["compile", "check", "verify", "diff", "parse", "explain", "settings"] {
        let page =
            fs::read_to_string(root().join(format!("docs/{cmd}.md"))).unwrap_or_else(|_| panic!("docs/{cmd}.md"));
        assert!(page.starts_with(&format!("# `routec {cmd}`")), "docs/{cmd}.md title");
        // Every long flag the command takes is documented on its page.
        let help = String::from_utf8_lossy(&routec(&[cmd, "--help"]).stdout).into_owned();
        for flag in help.split_whitespace().filter(|w| w.starts_with("--") && w.len() > 3) {
            let flag = flag.trim_end_matches([',', '.', ')', ']']);
            if ["--help", "--verbose", "--quiet", "--color", "--output"].contains(&flag) || flag.contains('=') {
                continue;
            }
            assert!(page.contains(&format!("`{flag}")), "docs/{cmd}.md does not mention {flag}");
        }
    }
    // `template diff` is documented with `--template` on its own page.
    let page = fs::read_to_string(root().join("docs/template.md")).expect("docs/template.md");
    let help = String::from_utf8_lossy(&routec(&["template", "diff", "--help"]).stdout).into_owned();
    for flag in help.split_whitespace().filter(|w| w.starts_with("--") && w.len() > 3) {
        let flag = flag.trim_end_matches([',', '.', ')', ']']);
        if ["--help", "--verbose", "--quiet", "--color", "--output", "--format"].contains(&flag) || flag.contains('=') {
            continue;
        }
        assert!(page.contains(&format!("`{flag}")), "docs/template.md does not mention {flag}");
    }
    let index = fs::read_to_string(root().join("docs/README.md")).expect("docs/README.md");
    for cmd in [
        "compile",
        "check",
        "verify",
        "diff",
        "parse",
        "explain",
        "settings",
        "template",
        "inputs",
        "diagnostics",
        "recipes",
    ] {
        assert!(index.contains(&format!("({cmd}.md)")), "docs/README.md does not link {cmd}.md");
    }
}
