//! Issue #14, the CLI half: what routec reads from a Git checkout and how it reports on it.
//! `cases` runs every `fixtures/cli/<case>/` (its `cmd` file) and snapshots exit code, stdout
//! and stderr; `walk` builds in a temporary folder what Git cannot hold (a `.git` folder);
//! `progress` checks that progress is drawn on a terminal only; `gitops` checks and compiles
//! `fixtures/gitops/`, a repository-shaped folder, and loads the result in HAProxy.

mod cases;
#[path = "../common/mod.rs"]
mod common;
mod gitops;
#[path = "../../../core/tests/common/haproxy.rs"]
mod haproxy;
mod progress;
mod walk;
