//! `routec.toml`: a repository's own routec settings, found the way ruff finds its
//! configuration: from the first input's folder upward to the filesystem root, the nearest file
//! wins (no merging). `--config-file PATH` names one; `--no-config` reads none.
//!
//! ```toml
//! ignore = ["endpoints::no-ready-addresses"]   # codes, with or without `routec::`
//! warn = []
//! deny = ["admission::host-already-claimed"]
//! router-env = "router.env"                     # or a list; relative to this file's folder
//! exclude = ["legacy/**"]                       # globs relative to this file's folder
//! max-input-bytes = 268435456                   # resource budgets (docs/limits.md)
//! max-objects = 1000000
//! max-config-bytes = 268435456
//! ```
//!
//! Anything else is an error (exit 2) at its line and column, with "did you mean".

use std::fs;
use std::path::{Path, PathBuf};

use routec_core::source::LineIndex;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The file name discovery looks for.
pub(crate) const FILE_NAME: &str = "routec.toml";

const KEYS: [&str; 8] =
    ["ignore", "warn", "deny", "router-env", "exclude", "max-input-bytes", "max-objects", "max-config-bytes"];

/// A value from the file with the `file:line:col` it came from.
pub(crate) type Located = (String, String);

/// What a routec.toml says.
#[derive(Debug, Default)]
pub(crate) struct Config {
    /// Its folder, canonical: relative paths and anchored globs start here.
    pub(crate) dir: PathBuf,
    pub(crate) ignore: Vec<Located>,
    pub(crate) warn: Vec<Located>,
    pub(crate) deny: Vec<Located>,
    /// Settings files, resolved against `dir`.
    pub(crate) router_env: Vec<PathBuf>,
    pub(crate) exclude: Vec<Located>,
    /// The resource budgets, the defaults where the file says nothing.
    pub(crate) limits: routec_core::Limits,
}

/// The nearest routec.toml in `start` or a folder above it, named relative to the current
/// folder when it is inside it (so messages name it as a user would).
pub(crate) fn discover(start: &Path) -> Option<PathBuf> {
    let start = fs::canonicalize(start).ok()?;
    let found = start.ancestors().map(|d| d.join(FILE_NAME)).find(|p| p.is_file())?;
    let here = std::env::current_dir().ok().and_then(|d| fs::canonicalize(d).ok());
    Some(here.and_then(|h| found.strip_prefix(h).ok().map(Path::to_path_buf)).unwrap_or(found))
}

/// Reads and checks the file at `path`.
pub(crate) fn load(path: &Path) -> Result<Config, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let dir = fs::canonicalize(path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .ok_or_else(|| format!("cannot resolve the folder of {}", path.display()))?;
    parse(&text, path, dir)
}

/// Parses routec.toml text; `path` names the file in messages, `dir` is its folder.
pub(crate) fn parse(text: &str, path: &Path, dir: PathBuf) -> Result<Config, String> {
    let name = path.display().to_string();
    let lines = LineIndex::new(text);
    let at = |offset: usize| {
        let (line, col) = lines.line_col(text, offset);
        format!("{name}:{line}:{col}")
    };
    let table = DeTable::parse(text).map_err(|e| {
        let place = e.span().map_or_else(|| name.clone(), |s| at(s.start));
        format!("{place}: not valid TOML: {}", e.message())
    })?;
    let mut cfg = Config { dir, ..Config::default() };
    let mut problems = Vec::new();
    let mut entries: Vec<_> = table.get_ref().iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    for (key, value) in entries {
        let list = match key.get_ref().as_ref() {
            "ignore" => &mut cfg.ignore,
            "warn" => &mut cfg.warn,
            "deny" => &mut cfg.deny,
            "exclude" => &mut cfg.exclude,
            "router-env" => {
                let mut files = Vec::new();
                match value.get_ref() {
                    DeValue::String(s) => files.push((s.to_string(), at(value.span().start))),
                    _ => strings(value, &at, &mut files, &mut problems),
                }
                cfg.router_env = files.into_iter().map(|(f, _)| cfg.dir.join(f)).collect();
                continue;
            }
            k @ ("max-input-bytes" | "max-objects" | "max-config-bytes") => {
                let slot = match k {
                    "max-input-bytes" => &mut cfg.limits.max_input_bytes,
                    "max-objects" => &mut cfg.limits.max_objects,
                    _ => &mut cfg.limits.max_config_bytes,
                };
                match value.get_ref() {
                    DeValue::Integer(i) => match usize::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                        Ok(n) if n > 0 => *slot = n,
                        _ => problems.push(format!("{}: expected a positive integer", at(value.span().start))),
                    },
                    _ => problems.push(format!("{}: expected a positive integer", at(value.span().start))),
                }
                continue;
            }
            other => {
                let hint = routec_core::suggest::closest(other, KEYS)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_else(|| format!("; the keys are {}", KEYS.map(|k| format!("`{k}`")).join(", ")));
                problems.push(format!("{}: unknown key `{other}`{hint}", at(key.span().start)));
                continue;
            }
        };
        strings(value, &at, list, &mut problems);
    }
    if problems.is_empty() {
        Ok(cfg)
    } else {
        Err(problems.join("\n"))
    }
}

/// The strings of an array value, each with its position; anything else is a problem.
fn strings(
    value: &Spanned<DeValue<'_>>,
    at: &dyn Fn(usize) -> String,
    out: &mut Vec<Located>,
    problems: &mut Vec<String>,
) {
    let DeValue::Array(items) = value.get_ref() else {
        problems.push(format!("{}: expected an array of strings", at(value.span().start)));
        return;
    };
    for item in items {
        match item.get_ref() {
            DeValue::String(s) => out.push((s.to_string(), at(item.span().start))),
            _ => problems.push(format!("{}: expected a string", at(item.span().start))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, String> {
        parse(text, Path::new("routec.toml"), PathBuf::from("/repo"))
    }

    #[test]
    fn reads_every_key() {
        let c = parse_str(
            "ignore = [\"tls::expired\"]\nwarn = []\ndeny = [\"routec::route::path-invalid\"]\n\
             router-env = \"env/router.env\"\nexclude = [\"legacy/**\"]\n",
        )
        .expect("valid");
        assert_eq!(c.ignore, vec![("tls::expired".to_owned(), "routec.toml:1:11".to_owned())]);
        assert_eq!(c.deny[0].0, "routec::route::path-invalid");
        assert_eq!(c.router_env, vec![PathBuf::from("/repo/env/router.env")]);
        assert_eq!(c.exclude[0], ("legacy/**".to_owned(), "routec.toml:5:12".to_owned()));
        let list = parse_str("router-env = [\"a.env\", \"b.env\"]\n").expect("valid");
        assert_eq!(list.router_env, vec![PathBuf::from("/repo/a.env"), PathBuf::from("/repo/b.env")]);
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors_with_places() {
        let e =
            parse_str("ignroe = []\nwarn = \"tls::expired\"\ndeny = [1]\n[tool]\nx = 1\n").err().unwrap_or_default();
        assert_eq!(
            e,
            "routec.toml:1:1: unknown key `ignroe`; did you mean `ignore`?\n\
             routec.toml:2:8: expected an array of strings\n\
             routec.toml:3:9: expected a string\n\
             routec.toml:4:2: unknown key `tool`; the keys are `ignore`, `warn`, `deny`, `router-env`, `exclude`, \
             `max-input-bytes`, `max-objects`, `max-config-bytes`"
        );
    }

    #[test]
    fn reads_the_budgets() {
        let c = parse_str("max-input-bytes = 1_024\nmax-objects = 0x10\n").expect("valid");
        assert_eq!(c.limits.max_input_bytes, 1024);
        assert_eq!(c.limits.max_objects, 16);
        assert_eq!(c.limits.max_config_bytes, routec_core::Limits::default().max_config_bytes);
        let e = parse_str("max-objects = -1\nmax-config-bytes = \"1\"\n").err().unwrap_or_default();
        assert_eq!(e, "routec.toml:1:15: expected a positive integer\nroutec.toml:2:20: expected a positive integer");
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let e = parse_str("ignore = [\n").err().unwrap_or_default();
        assert!(e.starts_with("routec.toml:"), "{e}");
        assert!(e.contains("not valid TOML"), "{e}");
        let dup = parse_str("warn = []\nwarn = []\n").err().unwrap_or_default();
        assert!(dup.starts_with("routec.toml:2:1: not valid TOML"), "{dup}");
    }
}
