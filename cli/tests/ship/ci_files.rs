//! The CI integration files parse and have what their consumers require: the composite action
//! (action.yml; actionlint checks workflows only, so its keys are checked here), the pre-commit
//! hook, the release workflow, and the Argo CD plugin.

use yaml_rust2::{Yaml, YamlLoader};

use crate::common::root;

fn load(path: &str) -> Yaml {
    let text = std::fs::read_to_string(root().join(path)).unwrap_or_else(|_| panic!("{path}"));
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(docs.len(), 1, "{path}");
    docs.remove(0)
}

fn s<'a>(y: &'a Yaml, key: &str) -> &'a str {
    y[key].as_str().unwrap_or_else(|| panic!("`{key}` missing or not a string"))
}

#[test]
fn action_is_a_composite_action() {
    let a = load("action.yml");
    assert!(!s(&a, "name").is_empty() && !s(&a, "description").is_empty());
    assert_eq!(s(&a["runs"], "using"), "composite");
    let inputs = a["inputs"].as_hash().expect("inputs");
    for (k, v) in inputs {
        let k = k.as_str().expect("input name");
        assert!(v["description"].as_str().is_some(), "input {k} has no description");
        assert!(v["required"].as_bool().is_some(), "input {k}: required must be a boolean");
    }
    let steps = a["runs"]["steps"].as_vec().expect("steps");
    let text = std::fs::read_to_string(root().join("action.yml")).expect("action.yml");
    for st in steps {
        // A composite `run` step must name its shell; a `uses` step must not run.
        match (st["run"].as_str(), st["uses"].as_str()) {
            (Some(run), None) => {
                assert!(st["shell"].as_str().is_some(), "run step without shell: {run}");
                // Inputs reach scripts through env, never spliced into the script.
                assert!(!run.contains("${{"), "expression inside a run script: {run}");
            }
            (None, Some(u)) => assert!(u.contains('@'), "unpinned action {u}"),
            _ => panic!("a step needs exactly one of run/uses"),
        }
    }
    assert!(text.contains("--format github") && text.contains("--format sarif") && text.contains("upload-sarif"));
}

#[test]
fn pre_commit_hook_and_release_workflow() {
    let hooks = load(".pre-commit-hooks.yaml");
    let hook = &hooks.as_vec().expect("a list of hooks")[0];
    assert_eq!(s(hook, "id"), "routec-check");
    assert_eq!(s(hook, "entry"), "routec check");
    assert_eq!(s(hook, "language"), "rust");
    assert!(!s(hook, "name").is_empty() && !s(hook, "files").is_empty());
    let rel = load(".github/workflows/release.yml");
    assert!(rel["on"]["push"]["tags"].as_vec().is_some());
    let text = std::fs::read_to_string(root().join(".github/workflows/release.yml")).expect("release.yml");
    for want in ["x86_64-unknown-linux-musl", "apple-darwin", "wasm/build.sh", "npm publish"] {
        assert!(text.contains(want), "release.yml: no {want}");
    }
    let plugin = load("docs/recipes/argocd/plugin.yaml");
    assert_eq!(s(&plugin, "kind"), "ConfigManagementPlugin");
    assert!(plugin["spec"]["generate"]["command"].as_vec().is_some());
    let gl = load("docs/recipes/gitlab-ci.yml");
    assert_eq!(s(&gl["routes"]["artifacts"]["reports"], "codequality"), "gl-code-quality-report.json");
}
