//! Certificate dates. The router ignores them, but clients do not: an expired certificate
//! fails every handshake. The core has no clock, so the caller passes "now".

use super::who;
use crate::diag::{Diagnostic, Diagnostics};
use crate::objects::{Route, Str};
use crate::tls::pem::decode_all;
use crate::tls::x509::Cert;

/// Warns about expired or not-yet-valid certificates in `r`'s TLS fields.
pub(super) fn check(r: &Route, now: i64, diags: &mut Diagnostics) {
    let Some(t) = r.tls.as_deref() else { return };
    if t.termination.as_str() == "passthrough" {
        return;
    }
    for (field, s) in [
        ("certificate", &t.certificate),
        ("caCertificate", &t.ca_certificate),
        ("destinationCACertificate", &t.destination_ca),
    ] {
        dates(r, field, s, now, diags);
    }
}

fn dates(r: &Route, field: &str, s: &Str, now: i64, diags: &mut Diagnostics) {
    for b in decode_all(s.as_str()).iter().filter(|b| b.kind == "CERTIFICATE") {
        let Some(cert) = Cert::parse(&b.der) else { continue };
        let Some((not_before, not_after)) = cert.validity() else { continue };
        let name = cert.common_name().map(|n| format!(" `{}`", n.escape_debug())).unwrap_or_default();
        let (code, what, label) = if now > not_after {
            ("routec::tls::expired", format!("expired on {}", date(not_after)), "expired")
        } else if now < not_before {
            ("routec::tls::not-yet-valid", format!("is not valid before {}", date(not_before)), "not yet valid")
        } else {
            continue;
        };
        diags.push(
            Diagnostic::warning(code, format!("route {}: `spec.tls.{field}`: certificate{name} {what}", who(&r.meta)))
                .at(s.span.unwrap_or(r.meta.span), label)
                .help("the router still serves it, but clients will refuse the connection; renew the certificate"),
        );
    }
}

/// `YYYY-MM-DD` of a Unix time (proleptic Gregorian, UTC).
fn date(t: i64) -> String {
    let days = t.div_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(1_709_164_800), "2024-02-29");
        assert_eq!(super::date(4_102_444_799), "2099-12-31");
    }
}
