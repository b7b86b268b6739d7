//! Every diagnostic code routec reports, in one table. The CLI checks the codes given to
//! `--ignore`, `--warn`, `--deny` and `routec.toml` against it; a test checks that it holds
//! exactly the codes `docs/diagnostics.md` documents, so a new code cannot be added to one and
//! forgotten in the other.

/// The stable codes, in the order `docs/diagnostics.md` lists them.
pub const ALL_CODES: &[&str] = &[
    "routec::input::yaml-syntax",
    "routec::input::json-syntax",
    "routec::input::not-utf8",
    "routec::input::nul-byte",
    "routec::input::too-large",
    "routec::input::too-many-objects",
    "routec::input::not-an-object",
    "routec::input::wrong-type",
    "routec::input::unknown-field",
    "routec::input::duplicate-key",
    "routec::input::missing-name",
    "routec::input::bad-timestamp",
    "routec::input::duplicate-object",
    "routec::input::not-kubernetes",
    "routec::input::no-routes",
    "routec::input::unknown-ignore-code",
    "routec::input::skipped-kind",
    "routec::input::symlink-skipped",
    "routec::settings::malformed-line",
    "routec::settings::unknown-key",
    "routec::settings::bad-selector",
    "routec::settings::bad-header-action",
    "routec::settings::router-refuses",
    "routec::settings::ignored-value",
    "routec::settings::quoted-value",
    "routec::settings::haproxy-refuses",
    "routec::settings::not-reproduced",
    "routec::route::path-invalid",
    "routec::route::path-on-passthrough",
    "routec::route::backend-kind",
    "routec::route::backend-name-missing",
    "routec::route::weight-out-of-range",
    "routec::route::too-many-alternates",
    "routec::route::duplicate-backend",
    "routec::route::target-port-invalid",
    "routec::route::wildcard-policy-invalid",
    "routec::route::wildcard-without-host",
    "routec::route::header-actions-on-passthrough",
    "routec::route::header-name-invalid",
    "routec::route::header-name-forbidden",
    "routec::route::too-many-header-actions",
    "routec::route::header-value-missing",
    "routec::route::header-action-invalid",
    "routec::route::invalid-name",
    "routec::route::service-missing",
    "routec::route::no-endpoints",
    "routec::endpoints::not-in-input",
    "routec::route::port-mismatch",
    "routec::route::port-unresolved",
    "routec::endpoints::no-ready-addresses",
    "routec::endpoints::forbidden-address",
    "routec::admission::invalid-host",
    "routec::admission::external-certificate",
    "routec::route::external-certificate-ignored",
    "routec::input::bad-base64",
    "routec::admission::host-already-claimed",
    "routec::admission::not-admitted",
    "routec::admission::outside-shard",
    "routec::tls::invalid",
    "routec::tls::haproxy-cannot-load",
    "routec::tls::untrusted",
    "routec::tls::expired",
    "routec::tls::not-yet-valid",
    "routec::annotation::unknown",
    "routec::annotation::invalid-value",
    "routec::annotation::not-applicable",
    "routec::annotation::haproxy-refuses",
    "routec::annotation::rejects-everything",
    "routec::annotation::control-character",
    "routec::security::control-character",
    "routec::output::no-default-certificate",
    "routec::output::haproxy-refuses",
    "routec::ingress::invalid-value",
    "routec::ingress::rejected",
    "routec::ingress::unknown-field",
    "routec::ingress::not-mapped",
    "routec::ingress::ignored",
    "routec::ingress::assumed",
    "routec::ingress::not-selected",
    "routec::ingress::value-from",
    "routec::ingress::deployment-differs",
    "routec::ingress::no-router-container",
    "routec::hap::unmatched-quote",
    "routec::hap::bad-env-name",
    "routec::hap::bad-expansion",
    "routec::hap::unmatched-brace",
    "routec::hap::bad-hex",
    "routec::hap::nul-byte",
    "routec::hap::too-many-words",
    "routec::hap::missing-final-lf",
    "routec::hap::out-of-section",
    "routec::hap::missing-name",
    "routec::hap::bad-condition",
    "routec::hap::too-deep",
    "routec::hap::lone-elif",
    "routec::hap::lone-else",
    "routec::hap::lone-endif",
    "routec::hap::elif-after-else",
    "routec::hap::else-after-else",
    "routec::hap::unexpected-argument",
    "routec::hap::unterminated-if",
    "routec::hap::message-arguments",
    "routec::hap::alert",
    "routec::hap::unknown-directive",
    "routec::hap::duplicate-server",
    "routec::hap::duplicate-proxy",
    "routec::hap::duplicate-id",
    "routec::hap::duplicate-section",
    "routec::hap::crt-list",
    "routec::hap::config-too-large",
    "routec::explain::bad-url",
    "routec::explain::bad-client-ip",
    "routec::explain::bad-header",
    "routec::routes::unreachable-map-entry",
    "routec::routes::wildcard-captures-rejected",
    "routec::routes::zero-share",
    "routec::routes::redirect-without-https",
    "routec::template::parse",
    "routec::template::undefined-function",
    "routec::template::no-field",
    "routec::template::no-template",
    "routec::template::exec",
    "routec::template::limit",
    "routec::template::no-files",
    "routec::template::bad-file-name",
];

/// The known code `code` names, written with or without the `routec::` prefix.
pub fn lookup(code: &str) -> Option<&'static str> {
    let full = code.strip_prefix("routec::").unwrap_or(code);
    ALL_CODES.iter().copied().find(|c| c.strip_prefix("routec::") == Some(full))
}

/// The known code closest to a misspelt one, for "did you mean".
pub fn suggest(code: &str) -> Option<&'static str> {
    let full = code.strip_prefix("routec::").unwrap_or(code);
    let bare = ALL_CODES.iter().filter_map(|c| c.strip_prefix("routec::"));
    let found = crate::suggest::closest(full, bare)?;
    ALL_CODES.iter().copied().find(|c| c.strip_prefix("routec::") == Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table and the documentation list the same codes, in the same order.
    #[test]
    fn matches_docs() {
        let doc = include_str!("../../docs/diagnostics.md");
        // Rows read `| <a id="routec-x-y"></a>`routec::x::y` | …`.
        let documented: Vec<&str> = doc
            .lines()
            .filter(|l| l.starts_with("| <a id="))
            .filter_map(|l| l.split("`routec::").nth(1))
            .filter_map(|l| l.split('`').next())
            .collect();
        let table: Vec<&str> = ALL_CODES.iter().filter_map(|c| c.strip_prefix("routec::")).collect();
        assert_eq!(table, documented, "core/src/codes.rs and docs/diagnostics.md disagree");
    }

    #[test]
    fn lookup_accepts_both_spellings() {
        assert_eq!(lookup("tls::expired"), Some("routec::tls::expired"));
        assert_eq!(lookup("routec::tls::expired"), Some("routec::tls::expired"));
        assert_eq!(lookup("tls::expire"), None);
        assert_eq!(lookup("routec::routec::tls::expired"), None);
        assert_eq!(suggest("endpoints::no-ready-adresses"), Some("routec::endpoints::no-ready-addresses"));
        // Built, so that the fixture test's scan for codes in the sources does not take it for one.
        assert_eq!(suggest(&format!("routec::{}", "tls::expird")), Some("routec::tls::expired"));
        assert_eq!(suggest("something-else-entirely"), None);
    }
}
