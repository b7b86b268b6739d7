//! The global flags and habits: `-o` as `--format`, the hint for `compile -o json`, `-v`/`-q`,
//! the summary line, colour (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`) and one-screen `--help`.

use crate::common::{routec, stdout};
use crate::{routec_env, stderr};

#[test]
fn output_is_an_alias_of_format() {
    let case = "fixtures/invalid/path-no-slash";
    let long = stdout(&routec(&["check", case, "--format", "json"]));
    assert!(long.starts_with('{'));
    assert_eq!(stdout(&routec(&["check", case, "-o", "json"])), long);
    assert_eq!(stdout(&routec(&["check", case, "--output", "json"])), long);
    assert_eq!(stdout(&routec(&["check", case, "-ojson"])), long);
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().join("out").display().to_string();
    let c = routec(&["compile", "fixtures/valid/http-basic", "-q", "-o", &d]);
    assert_eq!(c.status.code(), Some(0));
    let runs: [Vec<&str>; 4] = [
        vec!["verify", "fixtures/valid/http-basic", "--against", &d],
        vec!["diff", &d, &d],
        vec!["parse", &d],
        vec!["explain", "--routes", "fixtures/valid/http-basic"],
    ];
    for args in runs {
        let mut with_format = args.clone();
        with_format.extend(["--format", "json"]);
        let mut with_o = args.clone();
        with_o.extend(["-o", "json"]);
        let a = routec(&with_format);
        let b = routec(&with_o);
        assert_eq!(a.status.code(), b.status.code(), "{args:?}");
        assert!(stdout(&a).trim_start().starts_with(['{', '[']), "{args:?}: {}", stdout(&a));
        assert_eq!(stdout(&a), stdout(&b), "{args:?}");
    }
}

#[test]
fn compile_output_that_looks_like_a_format_gets_a_hint() {
    let o = routec(&["compile", "fixtures/valid/http-basic", "-o", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("routec check INPUT -o json") && e.contains("-o ./json"), "{e}");
    assert!(!crate::common::root().join("json").exists());
}

#[test]
fn summary_verbose_and_quiet() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path().join("out").display().to_string();
    let o = routec(&["compile", "fixtures/valid/host-conflict-timestamps", "-o", &d]);
    let e = stderr(&o);
    let last = e.lines().last().unwrap_or_default();
    let re = regex::Regex::new(r"^compiled \d+ routes? \(\d+ rejected, \d+ ignored\) into .*/out/ in \d+ ms$")
        .expect("regex");
    assert!(re.is_match(last), "{last}");
    assert!(last.contains("(2 rejected, 0 ignored)"), "{last}");
    let v = routec(&["compile", "fixtures/valid/http-basic", "-v", "-o", &d]);
    let e = stderr(&v);
    for phase in ["routec: read: 1 file(s)", "routec: compile: 2 route(s), ", "routec: write: "] {
        assert!(e.contains(phase), "{phase} missing: {e}");
    }
    // The compile line times the core's stages, in order.
    let stages = regex::Regex::new(r"routec: compile: .*; load [\d.]+, admit [\d.]+, emit [\d.]+, finish [\d.]+ ms\)")
        .expect("regex");
    assert!(stages.is_match(&e), "stages missing: {e}");
    let q = routec(&["compile", "fixtures/valid/host-conflict-timestamps", "-q", "-o", &d]);
    assert!(stderr(&q).is_empty(), "{}", stderr(&q));
    // -q before the command works too (the flags are global), and errors still show.
    let q = routec(&["-q", "compile", "fixtures/invalid/path-no-slash", "-o", &d]);
    assert_eq!(q.status.code(), Some(1));
    assert!(stderr(&q).contains("routec::route::path-invalid"));
    assert!(!stderr(&q).contains("compiled "));
    assert_eq!(routec(&["compile", "fixtures/valid/http-basic", "-q", "-v"]).status.code(), Some(2));
}

#[test]
fn colour_follows_flag_then_environment() {
    let case = ["check", "fixtures/invalid/path-no-slash"];
    let has_esc = |o: &std::process::Output| stdout(o).contains('\u{1b}');
    assert!(!has_esc(&routec_env(&case, &[])), "piped output is plain");
    assert!(has_esc(&routec_env(&case, &[("CLICOLOR_FORCE", "1")])));
    assert!(!has_esc(&routec_env(&case, &[("CLICOLOR_FORCE", "0")])));
    assert!(!has_esc(&routec_env(&case, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])));
    let always = [case[0], case[1], "--color", "always"];
    assert!(has_esc(&routec_env(&always, &[("NO_COLOR", "1")])));
    let never = [case[0], case[1], "--color=never"];
    assert!(!has_esc(&routec_env(&never, &[("CLICOLOR_FORCE", "1")])));
}

#[test]
fn help_fits_one_screen_with_examples() {
    for cmd in
        ["compile", "check", "verify", "diff", "parse", "explain", "settings", "template diff", "completions", "man"]
    {
        let args: Vec<&str> = cmd.split(' ').chain(["--help"]).collect();
        let o = routec(&args);
        let s = stdout(&o);
        assert!(s.lines().count() <= 50, "routec {cmd} --help: {} lines", s.lines().count());
        assert!(
            s.contains("Examples:\n  routec") || s.contains("Examples:\n  oc ") || s.contains("Examples:\n  "),
            "{cmd}: no examples"
        );
        assert!(s.lines().all(|l| l.chars().count() <= 100), "{cmd}: overlong line");
    }
    assert!(stdout(&routec(&["--help"])).contains("Examples:"));
}
