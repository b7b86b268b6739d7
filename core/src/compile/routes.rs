//! Emission of the route backends: each route's model is built, emitted and dropped in turn,
//! on one thread or, for large inputs, two, with the halves joined in route order.

use crate::hash::FastMap;

use crate::diag::Diagnostics;
use crate::endpoints;
use crate::haproxy::emit::append_section;
use crate::objects::Route;

use super::alias::Alias;
use super::context::Ctx;
use super::{backend, maps};

/// What emitting a run of route backends needs.
pub(crate) struct Job<'a> {
    pub(crate) tables: &'a endpoints::Tables,
    pub(crate) ctx: &'a Ctx<'a>,
    pub(crate) wildcards: bool,
    pub(crate) cert_uses: &'a FastMap<&'a str, usize>,
    pub(crate) parallel: bool,
    /// Keep each section's intended words (`Options::keep_intent`).
    pub(crate) keep_intent: bool,
}

/// The output of a run of routes, in route order.
pub(crate) struct Part<'a> {
    pub(crate) config: String,
    pub(crate) allowlists: Vec<(String, String)>,
    pub(crate) maps: maps::Collector<'a>,
    pub(crate) diags: Diagnostics,
    pub(crate) intent: Vec<Vec<Vec<String>>>,
}

impl<'a> Part<'a> {
    pub(crate) fn new(config: String, cert_uses: &'a FastMap<&'a str, usize>) -> Self {
        Self {
            config,
            allowlists: Vec::new(),
            maps: maps::Collector::new(cert_uses),
            diags: Diagnostics::default(),
            intent: Vec::new(),
        }
    }

    fn emit(&mut self, routes: &[&Route], job: &Job<'_>) {
        for r in routes {
            let a = Alias::new(r, job.tables, job.wildcards);
            let built = backend::build(&a, job.ctx);
            append_section(&mut self.config, &built.section);
            if job.keep_intent {
                self.intent.push(built.section.intended_words());
            }
            self.allowlists.extend(built.allowlist_file);
            self.maps.add(&a, job.ctx);
        }
    }
}

/// Emits the route backends into `first`, and on large inputs the second half on another
/// thread; the halves are joined in route order, so the output is the same either way.
pub(crate) fn emit_parallel<'a>(routes: &[&Route], job: &Job<'a>, first: &mut Part<'a>) -> Vec<Part<'a>> {
    const PARALLEL_FROM: usize = 2000;
    if cfg!(target_arch = "wasm32") || !job.parallel || routes.len() < PARALLEL_FROM {
        first.emit(routes, job);
        return Vec::new();
    }
    let (head, tail) = routes.split_at(routes.len() / 2);
    let second = std::thread::scope(|sc| {
        let handle = sc.spawn(|| {
            let mut p = Part::new(String::with_capacity(tail.len() * 1400), job.cert_uses);
            p.emit(tail, job);
            p
        });
        first.emit(head, job);
        handle.join().ok()
    });
    match second {
        Some(p) => vec![p],
        // The worker cannot fail short of a bug; emitting the half here keeps the output whole.
        None => {
            let mut p = Part::new(String::new(), job.cert_uses);
            p.emit(tail, job);
            vec![p]
        }
    }
}
