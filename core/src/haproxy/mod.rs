//! The HAProxy side: a typed config model, its emitter, and the map and crt-list files.

pub mod emit;
pub mod model;

pub use model::{Config, Line, Section, Word};
