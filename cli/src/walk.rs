//! The directory walk: which files under an input folder are read, and in which order.
//!
//! A Git checkout holds more than manifests, so the walk is picky:
//! - hidden entries (a name starting with `.`: `.git/`, `.github/`, `.gitlab-ci.yml`) are
//!   skipped unless `--hidden` is given;
//! - `--exclude` globs (and `exclude` in routec.toml) prune files and whole folders;
//! - every directory is read at most once, by its canonical path: a symlink that leads back to a
//!   folder it is inside (a loop) or to a folder already read is not followed, and says so once
//!   as advice (`routec::input::symlink-skipped`).
//!
//! Entries are visited in name order, which is the path order the inputs always had, so the
//! file list (and the age order of manifests without timestamps) is the same on every machine.
//! The folder the user names is always read, hidden or excluded or not.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use routec_core::Diagnostic;

/// The extensions a walk picks up.
pub(crate) const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Globs that remove entries from a walk.
#[derive(Default)]
pub(crate) struct Excludes {
    sets: Vec<Exclude>,
}

/// One group of globs and the folder its paths are relative to.
struct Exclude {
    globs: GlobSet,
    /// `None`: relative to the walked folder (`--exclude`); `Some(dir)`: relative to `dir`, the
    /// folder of the routec.toml that lists them (canonical).
    anchor: Option<PathBuf>,
}

impl Excludes {
    /// Adds globs whose paths are relative to the walked folder (`origin` names them in errors).
    pub(crate) fn add(&mut self, globs: &[(String, String)], anchor: Option<PathBuf>) -> Result<(), String> {
        if globs.is_empty() {
            return Ok(());
        }
        let mut set = GlobSetBuilder::new();
        for (pattern, origin) in globs {
            // A trailing slash names a folder in .gitignore; here every entry is matched by its
            // path, so `build/` and `build` mean the same.
            let trimmed = pattern.strip_suffix('/').unwrap_or(pattern);
            let glob = GlobBuilder::new(trimmed)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("{origin}: invalid glob `{pattern}`: {}", e.kind()))?;
            set.add(glob);
        }
        let globs = set.build().map_err(|e| format!("invalid exclude globs: {e}"))?;
        self.sets.push(Exclude { globs, anchor });
        Ok(())
    }

    /// True when the entry `rel` (relative to the walked folder `root`, which is canonical)
    /// named `name` is excluded.
    fn matches(&self, root: &Path, rel: &str, name: &str) -> bool {
        self.sets.iter().any(|e| {
            let anchored = match &e.anchor {
                None => Some(rel.to_owned()),
                Some(dir) => root.join(rel).strip_prefix(dir).ok().map(slash_path),
            };
            e.globs.is_match(name) || anchored.is_some_and(|p| e.globs.is_match(p))
        })
    }
}

/// How to walk.
pub(crate) struct Options<'a> {
    /// Also read hidden entries.
    pub(crate) hidden: bool,
    /// What to leave out.
    pub(crate) excludes: &'a Excludes,
}

/// What a walk found.
#[derive(Default)]
pub(crate) struct Walked {
    /// The files to read, in order.
    pub(crate) files: Vec<PathBuf>,
    /// Symlinked folders not followed.
    pub(crate) notes: Vec<Diagnostic>,
    /// Hidden entries skipped.
    pub(crate) hidden: usize,
    /// Entries removed by an exclude glob.
    pub(crate) excluded: usize,
}

/// Walks the folder `root`.
pub(crate) fn walk(root: &Path, opts: &Options<'_>) -> Result<Walked, String> {
    let canonical = fs::canonicalize(root).map_err(|e| format!("cannot read directory {}: {e}", root.display()))?;
    let mut w = Walker { opts, root: &canonical, seen: BTreeMap::new(), stack: Vec::new(), out: Walked::default() };
    w.dir(root, "", canonical.clone())?;
    Ok(w.out)
}

struct Walker<'a> {
    opts: &'a Options<'a>,
    /// The walked folder, canonical: anchored excludes are matched under it.
    root: &'a Path,
    /// Canonical path of every folder read → the path it was first read through.
    seen: BTreeMap<PathBuf, PathBuf>,
    /// Canonical paths of the folders being read, outermost first.
    stack: Vec<PathBuf>,
    out: Walked,
}

impl Walker<'_> {
    fn dir(&mut self, dir: &Path, rel: &str, canonical: PathBuf) -> Result<(), String> {
        self.seen.insert(canonical.clone(), dir.to_path_buf());
        self.stack.push(canonical);
        let read_err = |e: std::io::Error| format!("cannot read directory {}: {e}", dir.display());
        let mut entries: Vec<fs::DirEntry> =
            fs::read_dir(dir).map_err(read_err)?.collect::<Result<_, _>>().map_err(read_err)?;
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            let child_rel = if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") };
            if !self.opts.hidden && name.starts_with('.') {
                self.out.hidden += 1;
                continue;
            }
            if self.opts.excludes.matches(self.root, &child_rel, &name) {
                self.out.excluded += 1;
                continue;
            }
            // `fs::metadata` follows symlinks: a link to a folder is walked like a folder.
            if fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                let target =
                    fs::canonicalize(&path).map_err(|e| format!("cannot read directory {}: {e}", path.display()))?;
                if let Some(note) = self.repeated(&path, &target) {
                    self.out.notes.push(note);
                    continue;
                }
                self.dir(&path, &child_rel, target)?;
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e)) {
                self.out.files.push(path);
            }
        }
        self.stack.pop();
        Ok(())
    }

    /// The advice for a folder that must not be read again, if `target` was read already.
    fn repeated(&self, path: &Path, target: &Path) -> Option<Diagnostic> {
        let code = "routec::input::symlink-skipped";
        let first = self.seen.get(target)?;
        let d = if self.stack.iter().any(|s| s == target) {
            Diagnostic::advice(
                code,
                format!(
                    "{} leads back to {}, a folder it is inside (a symlink loop): not followed",
                    path.display(),
                    first.display()
                ),
            )
        } else {
            Diagnostic::advice(
                code,
                format!("{} leads to {}, which is read already: not read twice", path.display(), first.display()),
            )
        };
        Some(d.help("a folder reached through two paths would give every object in it twice"))
    }
}

/// A relative path with `/` between its components, as globs are written.
fn slash_path(p: &Path) -> String {
    let parts: Vec<String> = p
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excludes(globs: &[&str]) -> Excludes {
        let mut e = Excludes::default();
        let globs: Vec<(String, String)> = globs.iter().map(|g| ((*g).to_owned(), "--exclude".to_owned())).collect();
        e.add(&globs, None).expect("valid globs");
        e
    }

    #[test]
    fn globs_match_the_relative_path_or_the_name() {
        let root = Path::new("/repo");
        let e = excludes(&["kustomization.yaml", "overlays/prod", "*.json", "base/**/secret-*.yaml", "tmp/"]);
        assert!(e.matches(root, "apps/kustomization.yaml", "kustomization.yaml"));
        assert!(e.matches(root, "overlays/prod", "prod"));
        assert!(!e.matches(root, "apps/overlays/prod", "prod"), "a path glob is anchored at the walked folder");
        assert!(e.matches(root, "a/b/c.json", "c.json"));
        assert!(e.matches(root, "base/x/y/secret-db.yaml", "secret-db.yaml"));
        assert!(!e.matches(root, "base/x/y/db.yaml", "db.yaml"));
        assert!(e.matches(root, "tmp", "tmp"));
        assert!(!e.matches(root, "apps/route.yaml", "route.yaml"));
    }

    #[test]
    fn anchored_globs_are_relative_to_their_folder() {
        let mut e = Excludes::default();
        e.add(&[("deploy/legacy/**".to_owned(), "routec.toml".to_owned())], Some(PathBuf::from("/repo")))
            .expect("glob");
        assert!(e.matches(Path::new("/repo/deploy"), "legacy/a.yaml", "a.yaml"));
        assert!(!e.matches(Path::new("/repo/deploy"), "current/a.yaml", "a.yaml"));
        assert!(!e.matches(Path::new("/elsewhere"), "deploy/legacy/a.yaml", "a.yaml"));
    }

    #[test]
    fn a_bad_glob_names_its_origin() {
        let mut e = Excludes::default();
        let err = e.add(&[("a[".to_owned(), "--exclude".to_owned())], None).err().unwrap_or_default();
        assert!(err.starts_with("--exclude: invalid glob `a[`"), "{err}");
    }
}
