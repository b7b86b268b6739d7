//! The walk over what Git cannot hold: a real `.git` folder, an empty folder, deep symlink
//! loops; and the order of files, which must not depend on the file system.

use std::fs;
use std::path::Path;

use crate::common::{routec, stdout};

const ROUTE: &str = "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: web, namespace: demo}\n\
                     spec: {host: web.example.test, to: {kind: Service, name: web}}\n";

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

fn junit_suites(o: &std::process::Output) -> Vec<String> {
    stdout(o)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<testsuite name=\""))
        .filter_map(|l| l.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn git_folder_is_not_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path();
    write(&repo.join("deploy/route.yaml"), ROUTE);
    // What a checkout's .git holds is never a manifest; a YAML file inside would be an error.
    write(&repo.join(".git/HEAD"), "ref: refs/heads/main\n");
    write(
        &repo.join(".git/hooks/config.yaml"),
        "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata: {name: x}\nspec: {host: [a]}\n",
    );
    let dir = repo.to_str().expect("utf-8");
    let o = routec(&["check", dir, "--format", "junit"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let route = format!("{dir}/deploy/route.yaml");
    // The temporary folder's own name starts with a dot: a folder named on the command line is
    // read whatever its name.
    assert_eq!(junit_suites(&o), [route]);
    // --hidden reads it, and so does naming it.
    assert_eq!(routec(&["check", dir, "--hidden"]).status.code(), Some(1));
    let named = repo.join(".git/hooks");
    assert_eq!(routec(&["check", named.to_str().expect("utf-8")]).status.code(), Some(1));
}

#[test]
fn an_empty_folder_is_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_str().expect("utf-8");
    let o = routec(&["check", dir]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err, format!("error: no input: {dir} holds no .yaml, .yml or .json file\n"));
}

/// Issue #14: "a loop read one file 41 times". Loops at several depths, to the root, to a
/// parent and to the folder itself, and two links to one folder: every file once.
#[test]
fn symlink_loops_read_every_file_once() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    write(&root.join("a/b/c/route.yaml"), ROUTE);
    write(&root.join("z.yaml"), &ROUTE.replace("web.example", "z.example").replace("name: web,", "name: z,"));
    for (link, target) in
        [("a/b/c/up", "../.."), ("a/b/c/top", "../../.."), ("a/b/self", "."), ("a/twin", "b"), ("y", "a")]
    {
        std::os::unix::fs::symlink(target, root.join(link)).expect("symlink");
    }
    let dir = root.to_str().expect("utf-8");
    let o = routec(&["check", dir, "--format", "junit"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let suites = junit_suites(&o);
    assert_eq!(
        suites,
        [format!("{dir}/a/b/c/route.yaml"), format!("{dir}/z.yaml"), "(settings and other inputs)".into()]
    );
    let json = stdout(&routec(&["check", dir, "--format", "json"]));
    // Five links not followed, each reported once.
    assert_eq!(json.matches("\"routec::input::symlink-skipped\"").count(), 5, "{json}");
    assert_eq!(json.matches("a symlink loop").count(), 3, "{json}");
    assert_eq!(json.matches("which is read already").count(), 2, "{json}");
}

/// Files are read in path order whatever order the file system lists them in: created in
/// reverse order here, they come out sorted (the age order of manifests depends on it).
#[test]
fn walk_order_is_path_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let names = ["z/a.yaml", "m.yaml", "b/c/d.yml", "b/c.json", "a.yaml"];
    for (i, n) in names.iter().enumerate() {
        write(
            &tmp.path().join(n),
            &ROUTE.replace("name: web,", &format!("name: r{i},")).replace("web.example", &format!("r{i}.example")),
        );
    }
    let dir = tmp.path().to_str().expect("utf-8");
    let suites = junit_suites(&routec(&["check", dir, "--format", "junit"]));
    let expected: Vec<String> =
        ["a.yaml", "b/c/d.yml", "b/c.json", "m.yaml", "z/a.yaml"].iter().map(|n| format!("{dir}/{n}")).collect();
    assert_eq!(suites[..5], expected[..]);
}
