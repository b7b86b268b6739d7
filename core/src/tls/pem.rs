//! PEM decoding and encoding with Go `encoding/pem` semantics: text before a block is skipped,
//! headers are dropped, CRLF is accepted, and encoding wraps base64 at 64 columns.

/// One decoded PEM block. Its `Debug` shows the type and size only: a block may be a
/// private key.
#[derive(Clone, PartialEq, Eq)]
pub struct Block {
    /// The type after `BEGIN `.
    pub kind: String,
    /// The decoded bytes.
    pub der: Vec<u8>,
    /// It had `Key: value` header lines (Kubernetes' certificate parser skips such blocks).
    pub headers: bool,
}

impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Block").field("kind", &self.kind).field("der_len", &self.der.len()).finish()
    }
}

/// Decodes every block of `text`, in order; text that is not PEM is skipped, as Go does.
pub fn decode_all(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some((block, next)) = decode(rest) {
        if let Some(b) = block {
            out.push(b);
        }
        rest = next;
    }
    out
}

/// Finds the next block. Returns `None` when there is none; `Some((None, rest))` when a
/// `BEGIN` line led to no valid block (decoding resumes after that line).
fn decode(data: &str) -> Option<(Option<Block>, &str)> {
    let start = if data.starts_with("-----BEGIN ") { 0 } else { data.find("\n-----BEGIN ")? + 1 };
    let after_begin = data.get(start + "-----BEGIN ".len()..)?;
    let (type_line, mut rest) = get_line(after_begin);
    let Some(kind) = type_line.strip_suffix("-----") else { return Some((None, rest)) };
    let resume = rest;
    let mut headers = false;
    // Headers ("Key: value" lines) run up to the first line without a colon.
    loop {
        if rest.is_empty() {
            return Some((None, resume));
        }
        let (line, next) = get_line(rest);
        if !line.contains(':') {
            break;
        }
        headers = true;
        rest = next;
    }
    let end_marker = format!("-----END {kind}-----");
    let (body, tail) = if rest.starts_with(&end_marker) {
        ("", rest.get(end_marker.len()..).unwrap_or(""))
    } else {
        let needle = format!("\n{end_marker}");
        let Some(i) = rest.find(&needle) else { return Some((None, resume)) };
        (rest.get(..i).unwrap_or(""), rest.get(i + needle.len()..).unwrap_or(""))
    };
    // The rest of the END line must be blank.
    let (end_line, tail) = get_line(tail);
    if !end_line.trim().is_empty() {
        return Some((None, resume));
    }
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    match crate::base64::decode(b64.as_bytes()) {
        Ok(der) => Some((Some(Block { kind: kind.to_owned(), der, headers }), tail)),
        Err(_) => Some((None, resume)),
    }
}

/// A line without its terminator and trailing blanks, and the text after it.
fn get_line(data: &str) -> (&str, &str) {
    let (line, rest) = match data.find('\n') {
        Some(i) => (data.get(..i).unwrap_or(""), data.get(i + 1..).unwrap_or("")),
        None => (data, ""),
    };
    (line.trim_end_matches([' ', '\t', '\r']), rest)
}

/// Encodes a block as Go's `pem.Encode` does.
pub fn encode(kind: &str, der: &[u8]) -> String {
    let b64 = crate::base64::encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 64);
    out.push_str("-----BEGIN ");
    out.push_str(kind);
    out.push_str("-----\n");
    let mut i = 0;
    while i < b64.len() {
        let end = (i + 64).min(b64.len());
        out.push_str(b64.get(i..end).unwrap_or(""));
        out.push('\n');
        i = end;
    }
    out.push_str("-----END ");
    out.push_str(kind);
    out.push_str("-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_text_and_roundtrips() {
        let der = vec![7u8; 100];
        let text =
            format!("Bag Attributes\n  x: y\n{}trailing junk\n", encode("CERTIFICATE", &der).replace('\n', "\r\n"));
        let blocks = decode_all(&text);
        assert_eq!(blocks, vec![Block { kind: "CERTIFICATE".into(), der: der.clone(), headers: false }]);
        assert_eq!(encode("CERTIFICATE", &der).lines().nth(1).map(str::len), Some(64));
    }
}
