//! Rendering the router's own template (issue #12): `haproxy-config.template`, or any router
//! version's or a cluster's customised one, executed by `gotmpl` over the router's template
//! data (`data`) with the router's functions (`funcs`). Every template the file defines is an
//! output file named after it (`conf/haproxy.config`, `conf/os_http_be.map`, …), as the
//! router writes them; allow-list files come from `generateHAProxyAllowlistFile`. Template
//! errors are diagnostics into the template file.

mod data;
mod funcs;
mod object;
mod re2;

use crate::compile::OutputFile;
use crate::diag::{Diagnostic, Diagnostics};
use crate::gotmpl::{Error, Template};
use crate::source::Span;
pub(crate) use data::Inputs;

/// A router template: its name as the user gave it (the router skips the template named after
/// the file itself) and its text.
#[derive(Debug, Clone)]
pub struct RouterTemplate {
    /// The path or name of the template file.
    pub name: String,
    /// The template text.
    pub text: String,
    /// The index its diagnostics' spans use: the position the caller gives the template in
    /// the list of files it resolves spans against (after the inputs and settings files).
    pub file: u32,
}

/// What rendering produced.
pub(crate) struct Rendered {
    /// The files the template defines, `conf/haproxy.config` first.
    pub files: Vec<OutputFile>,
    /// Allow-list files as (name under `router/allowlists/`, contents).
    pub allowlists: Vec<(String, String)>,
}

/// The names of every function a router template can call besides Go's builtins (the
/// router's FuncMap).
pub fn function_names() -> Vec<String> {
    funcs::funcs(&crate::settings::Settings::new(), &funcs::Shared::default()).into_keys().collect()
}

/// A template error as a diagnostic into the template file (`file` is its index).
pub fn diagnostic(e: &Error, file: u32) -> Diagnostic {
    let d = e.detail();
    let label = if e.is_parse() { "here" } else { "while executing this" };
    let diag = Diagnostic::error(e.code(), d.message.clone()).at(Span::new(file, d.span.0..d.span.1), label);
    match &d.help {
        Some(h) => diag.help(h.clone()),
        None => diag,
    }
}

/// Renders every file `t` defines over the data of `inputs`.
pub(crate) fn render(t: &RouterTemplate, inputs: &Inputs<'_, '_>, diags: &mut Diagnostics) -> Rendered {
    let file = t.file;
    let base = t.name.rsplit(['/', '\\']).next().unwrap_or(&t.name).to_owned();
    let shared = funcs::Shared::default();
    let tmpl = match Template::parse(&base, &t.text, funcs::funcs(inputs.ctx.settings, &shared)) {
        Ok(tmpl) => tmpl,
        Err(e) => {
            diags.push(diagnostic(&e, file));
            return Rendered { files: Vec::new(), allowlists: Vec::new() };
        }
    };
    let data = data::template_data(inputs);
    let mut files = Vec::new();
    let names: Vec<String> = tmpl.names().filter(|n| *n != base).map(str::to_owned).collect();
    if names.is_empty() {
        diags.push(
            Diagnostic::warning("routec::template::no-files", format!("template {base} defines no files"))
                .at(Span::new(file, 0..0), "")
                .help("the router writes one file per `{{define \"conf/NAME\"}}` in the template, e.g. `conf/haproxy.config`"),
        );
    }
    for name in names {
        if !safe_path(&name) {
            diags.push(
                Diagnostic::error(
                    "routec::template::bad-file-name",
                    format!("template {name:?} names a file outside the router's directory"),
                )
                .at(Span::new(file, define_span(&t.text, &name)), "defined here")
                .help("defined templates become files under the router's working directory; use a relative name such as `conf/extra.map`"),
            );
            continue;
        }
        shared.current.replace(name.clone());
        match tmpl.execute_template(&name, &data) {
            Ok(contents) => files.push(OutputFile { path: name, contents }),
            Err(e) => diags.push(diagnostic(&e, file)),
        }
    }
    // The built-in emitter's order: the config first.
    crate::sort::sort_by_key(&mut files, |f| f.path != "conf/haproxy.config");
    let allowlists = shared.allowlists.take().into_iter().collect();
    Rendered { files, allowlists }
}

/// A relative path of plain components: no root, no `.`/`..`, no empty part, no control bytes.
fn safe_path(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['\\', '\0', '\n', '\r', ':'])
        && name.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Where `{{define "name"}}` (or `block`) is in the text, for the label.
fn define_span(text: &str, name: &str) -> std::ops::Range<usize> {
    let quoted = format!("\"{name}\"");
    text.find(&quoted).map_or(0..0, |i| i..i + quoted.len())
}

#[cfg(test)]
mod tests {
    use super::safe_path;

    #[test]
    fn file_names_stay_inside_the_directory() {
        assert!(safe_path("conf/haproxy.config"));
        assert!(safe_path("conf/os_http_be.map"));
        for bad in ["", "/etc/passwd", "../x", "conf/../../x", "conf//x", "c:\\x", "./x", "conf/"] {
            assert!(!safe_path(bad), "{bad}");
        }
    }
}
