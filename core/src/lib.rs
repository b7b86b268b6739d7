//! routec core.
#![warn(clippy::disallowed_methods, reason = "core is pure: no file, env, process or clock access")]

pub mod admission;
pub mod annotations;
pub mod compile;
pub mod diag;
pub mod endpoints;
pub mod gotext;
pub mod haproxy;
pub mod json;
pub mod loader;
pub mod objects;
#[cfg(feature = "render")]
pub mod render;
pub mod settings;
pub mod source;
pub mod suggest;
pub mod tls;
pub mod tree;
pub mod yaml;

pub use compile::{compile, Options, Output, OutputFile, Profile};
pub use diag::{Diagnostic, Severity};
pub use settings::Settings;
pub use source::SourceFile;
