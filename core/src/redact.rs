//! Keeps private-key material out of everything routec prints. Reports, diffs and diagnostic
//! snippets quote input lines, and CI logs are often public, so every text meant for a person
//! or a log passes through [`Secrets::scrub`] first.
//!
//! The secrets are the body lines of every `-----BEGIN … PRIVATE KEY-----` block found in the
//! texts routec read. Scrubbing replaces any of them wherever it appears, whatever surrounds it
//! (a diff's `+`, a snippet's gutter, a JSON string's `\n`), so no output format needs its own
//! rule. Certificates are public and are left alone.

use crate::hash::FastSet;
use std::borrow::Cow;

/// What a scrubbed line says instead.
pub const REDACTED: &str = "[private key redacted]";

/// Shortest key line that is tracked. Shorter pieces (a block's last line, `Proc-Type`
/// headers) carry too little of the key to matter and would match ordinary words.
const MIN_SECRET: usize = 12;

/// The private-key lines of a set of texts.
#[derive(Default, Debug, Clone)]
pub struct Secrets {
    lines: FastSet<String>,
}

impl Secrets {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The secrets in `texts`.
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut s = Self::new();
        for t in texts {
            s.add(t);
        }
        s
    }

    /// Adds the body lines of every private-key block in `text`.
    pub fn add(&mut self, text: &str) {
        let mut rest = text;
        while let Some(begin) = rest.find("-----BEGIN ") {
            let after = &rest[begin + 11..];
            // The label ends at the next dashes; only private keys are secret.
            let Some(label_end) = after.find("-----") else { break };
            let label = &after[..label_end];
            let body_start = label_end + 5;
            if !label.ends_with("PRIVATE KEY") || label.contains('\n') {
                rest = &after[body_start.min(after.len())..];
                continue;
            }
            let body = &after[body_start..];
            let body_end = body.find("-----END").unwrap_or(body.len());
            for token in tokens(&body[..body_end]) {
                self.lines.insert(token.to_owned());
            }
            rest = &body[body_end..];
            if rest.is_empty() {
                break;
            }
            // Step past "-----END" so the search moves on.
            rest = &rest[8..];
        }
    }

    /// Adds the secrets of another set.
    pub fn extend(&mut self, other: &Secrets) {
        self.lines.extend(other.lines.iter().cloned());
    }

    /// True when no secret is known.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// True when `text` holds a private-key block.
    pub fn holds_key(text: &str) -> bool {
        text.contains("PRIVATE KEY-----")
    }

    /// `text` with every known secret replaced by [`REDACTED`].
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.lines.is_empty() {
            return Cow::Borrowed(text);
        }
        let bytes = text.as_bytes();
        let mut out = String::new();
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            if !is_b64(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_b64(bytes[i]) {
                i += 1;
            }
            if i - start < MIN_SECRET {
                continue;
            }
            // A run can carry one extra leading byte that belongs to its context: the `n` of a
            // JSON `\n`, or the `+` of a diff line.
            let run = &text[start..i];
            let hit = if self.lines.contains(run) {
                Some(start)
            } else if self.lines.contains(&run[1..]) {
                Some(start + 1)
            } else {
                None
            };
            if let Some(from) = hit {
                out.push_str(&text[copied..from]);
                out.push_str(REDACTED);
                copied = i;
            }
        }
        if copied == 0 {
            return Cow::Borrowed(text);
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// The base64 runs of a key body. A body can be written with real line breaks or, inside a
/// JSON or YAML double-quoted string, with `\n` escapes, whose `n` is dropped.
fn tokens(body: &str) -> impl Iterator<Item = &str> {
    body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=' || c == '\\'))
        .flat_map(|piece| {
            piece.split('\\').enumerate().map(|(i, p)| if i > 0 { p.strip_prefix('n').unwrap_or(p) } else { p })
        })
        .filter(|t| t.len() >= MIN_SECRET)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIPZgiV3mYEiC1AbJxu+wdJcQxW2QrSndphxoTmJTTAc1oAoGCCqGSM49\nAwEHoUQDQgAEabc\n-----END EC PRIVATE KEY-----\n";
    const CERT: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUHnO4w1c4gtgJ1bSAcT7UGLqJjOcwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----\n";

    fn secrets() -> Secrets {
        Secrets::of([CERT, KEY])
    }

    #[test]
    fn scrubs_key_lines_in_every_context() {
        let s = secrets();
        let line = "MHcCAQEEIPZgiV3mYEiC1AbJxu+wdJcQxW2QrSndphxoTmJTTAc1oAoGCCqGSM49";
        for ctx in [
            format!(" 58 │       {line}"),
            format!("+{line}"),
            format!("-{line}"),
            format!("\"-----BEGIN EC PRIVATE KEY-----\\n{line}\\nAwEHoUQDQgAEabc\\n\""),
        ] {
            let out = s.scrub(&ctx);
            assert!(!out.contains(line), "{out}");
            assert!(!out.contains("AwEHoUQDQgAEabc"), "{out}");
            assert!(out.contains(REDACTED), "{out}");
        }
    }

    #[test]
    fn leaves_certificates_and_plain_text() {
        let s = secrets();
        let cert_line = "MIIBszCCAVmgAwIBAgIUHnO4w1c4gtgJ1bSAcT7UGLqJjOcwCgYIKoZIzj0EAwIw";
        assert_eq!(s.scrub(cert_line), cert_line);
        assert!(matches!(s.scrub("backend be_http:shop:web"), Cow::Borrowed(_)));
    }

    #[test]
    fn escaped_bodies_are_collected() {
        let s = Secrets::of(["{\"key\": \"-----BEGIN PRIVATE KEY-----\\nAAAABBBBCCCCDDDDEEEE\\nFFFFGGGGHHHHIIII\\n-----END PRIVATE KEY-----\"}"]);
        assert_eq!(s.scrub("x AAAABBBBCCCCDDDDEEEE y"), format!("x {REDACTED} y"));
        assert_eq!(s.scrub("FFFFGGGGHHHHIIII"), REDACTED);
    }

    #[test]
    fn unterminated_and_other_blocks() {
        let s = Secrets::of(["-----BEGIN PUBLIC KEY-----\nPUBLICPUBLICPUBLIC\n-----END PUBLIC KEY-----\n-----BEGIN RSA PRIVATE KEY-----\nSECRETSECRETSECRET"]);
        assert_eq!(s.scrub("PUBLICPUBLICPUBLIC"), "PUBLICPUBLICPUBLIC");
        assert_eq!(s.scrub("SECRETSECRETSECRET"), REDACTED);
    }
}
