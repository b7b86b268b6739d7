//! The structure of an X.509 certificate, read with `der`'s lax mode exactly as far as
//! `x509-parser` 0.17 read it before (what it accepts is what the router's extended validation
//! was checked against): the TBS fields, the signature, and the few extensions the checks use.
//!
//! Its quirks are kept on purpose: a SEQUENCE is known by its tag number alone, bytes after
//! the last field of a SEQUENCE are ignored, a Name ends at its first unreadable RDN, the
//! `[3]` wrapper's length is not used, and a badly formed extension value does not make the
//! certificate unreadable (only that extension). Duplicate extensions are kept; the accessors
//! decide. Laxer than Go, as asn1-rs and der-parser were: an OBJECT IDENTIFIER is any primitive
//! TLV whatever its tag, a BOOLEAN is true for any non-zero byte, an RSA key's INTEGERs may
//! have the constructed bit, and unique IDs are not checked past their tag (`tls::dercheck`
//! checks every such corruption against the old crates).

use super::der::{self, Mode, Tlv, BIT_STRING, BOOLEAN, CONTEXT, INTEGER, OCTET_STRING, SEQUENCE, SET};
use super::time;

/// A certificate's fields, borrowing its DER.
pub(crate) struct Parsed<'a> {
    pub(crate) version: u32,
    /// The TBS bytes as signed: header and the fields read (trailing bytes excluded).
    pub(crate) tbs: &'a [u8],
    /// The outer signature algorithm's OID content bytes.
    pub(crate) signature_algorithm: &'a [u8],
    /// The signature BIT STRING's bytes.
    pub(crate) signature: &'a [u8],
    pub(crate) issuer: Name<'a>,
    pub(crate) subject: Name<'a>,
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    /// The public key algorithm's OID content bytes, and the key BIT STRING's bytes.
    pub(crate) key_algorithm: &'a [u8],
    pub(crate) key: &'a [u8],
    pub(crate) extensions: Vec<Extension<'a>>,
}

/// A Name: its bytes (for issuer/subject comparison) and its attributes by RDN.
pub(crate) struct Name<'a> {
    pub(crate) raw: &'a [u8],
    pub(crate) rdns: Vec<Vec<Attribute<'a>>>,
}

/// One AttributeTypeAndValue: the type OID's content bytes and the value TLV.
pub(crate) struct Attribute<'a> {
    pub(crate) oid: &'a [u8],
    pub(crate) value: Tlv<'a>,
}

/// One extension.
pub(crate) struct Extension<'a> {
    pub(crate) oid: &'a [u8],
    pub(crate) value: &'a [u8],
}

/// OIDs (content bytes) of the extensions the checks read.
pub(crate) const SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1d, 0x0e];
pub(crate) const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
pub(crate) const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
pub(crate) const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
pub(crate) const AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];

/// Reads a certificate; also returns what follows it.
pub(crate) fn parse(der: &[u8]) -> Option<(Parsed<'_>, &[u8])> {
    let (outer, rest) = sequence(der)?;
    let (tbs, after_tbs) = sequence(outer.content)?;
    let mut p = parse_tbs(&tbs)?;
    let (signature_algorithm, after_alg) = algorithm(after_tbs)?;
    let (sig, _) = der::read(after_alg, Mode::Lax)?;
    if !sig.is(BIT_STRING) {
        return None;
    }
    p.signature = der::bit_string(&sig)?;
    p.signature_algorithm = signature_algorithm;
    Some((p, rest))
}

fn parse_tbs<'a>(tbs: &Tlv<'a>) -> Option<Parsed<'a>> {
    let mut i = tbs.content;
    let mut version = 0;
    if !i.is_empty() {
        let (t, rest) = der::read(i, Mode::Lax)?;
        if t.number == 0 {
            if t.class != CONTEXT {
                return None;
            }
            let (v, _) = der::read(t.content, Mode::Lax)?;
            version = lax_u32(&v)?;
            i = rest;
        }
    }
    // The serial number: any INTEGER (asn1-rs reads it as BER; the definite lengths here are
    // the only form a certificate that parses anywhere else has).
    let (serial, rest) = der::read(i, Mode::Lax)?;
    if serial.number != INTEGER {
        return None;
    }
    let (_, rest) = algorithm(rest)?;
    let (issuer, rest) = name(rest)?;
    let (validity, rest) = sequence(rest)?;
    let (not_before, vr) = time::read(validity.content)?;
    let (not_after, _) = time::read(vr)?;
    let (subject, rest) = name(rest)?;
    let (spki, rest) = sequence(rest)?;
    let (key_algorithm, kr) = algorithm(spki.content)?;
    let (key_bits, _) = der::read(kr, Mode::Lax)?;
    if !key_bits.is(BIT_STRING) {
        return None;
    }
    let key = der::bit_string(&key_bits)?;
    let rest = unique_id(rest, 1)?;
    let rest = unique_id(rest, 2)?;
    let extensions = if rest.is_empty() { Vec::new() } else { extensions(rest)? };
    Some(Parsed {
        version,
        tbs: tbs.raw,
        signature_algorithm: &[],
        signature: &[],
        issuer,
        subject,
        not_before,
        not_after,
        key_algorithm,
        key,
        extensions,
    })
}

/// A SEQUENCE by its tag number (x509-parser checks no class and no constructed bit).
pub(crate) fn sequence(i: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (t, rest) = der::read(i, Mode::Lax)?;
    (t.number == SEQUENCE).then_some((t, rest))
}

/// An AlgorithmIdentifier: the OID's content bytes (parameters: any one TLV, unchecked).
pub(crate) fn algorithm(i: &[u8]) -> Option<(&[u8], &[u8])> {
    let (seq, rest) = sequence(i)?;
    let (oid, params) = lax_oid(seq.content)?;
    if !params.is_empty() {
        der::read(params, Mode::Lax)?;
    }
    Some((oid, rest))
}

/// An OBJECT IDENTIFIER as asn1-rs reads one: any primitive TLV, whatever its tag (its `Oid`
/// checks the constructed bit and the length, not the tag), any content.
pub(crate) fn lax_oid(i: &[u8]) -> Option<(&[u8], &[u8])> {
    let (t, rest) = der::read(i, Mode::Lax)?;
    (!t.constructed).then_some((t.content, rest))
}

/// A DER INTEGER as asn1-rs's `u32`: primitive, minimal, non-negative, at most 32 bits.
fn lax_u32(t: &Tlv<'_>) -> Option<u32> {
    if t.number != INTEGER || t.constructed {
        return None;
    }
    let bytes = match t.content {
        [] | [0, 0, ..] => return None,
        [0, b, ..] if *b < 0x80 => return None,
        [b, ..] if *b >= 0x80 => return None,
        [0, rest @ ..] => rest,
        c => c,
    };
    if bytes.len() > 4 {
        return None;
    }
    Some(bytes.iter().fold(0, |v, b| (v << 8) | u32::from(*b)))
}

/// A Name: RDNs until the first that does not read (the rest is ignored).
fn name(i: &[u8]) -> Option<(Name<'_>, &[u8])> {
    let (seq, rest) = sequence(i)?;
    let mut rdns = Vec::new();
    let mut body = seq.content;
    while let Some((rdn, after)) = rdn(body) {
        rdns.push(rdn);
        body = after;
    }
    let used = seq.header_len + (seq.content.len() - body.len());
    Some((Name { raw: seq.raw.get(..used)?, rdns }, rest))
}

/// A SET of at least one AttributeTypeAndValue; what follows the last readable one is ignored.
fn rdn(i: &[u8]) -> Option<(Vec<Attribute<'_>>, &[u8])> {
    let (set, rest) = der::read(i, Mode::Lax)?;
    if set.number != SET {
        return None;
    }
    let mut attrs = Vec::new();
    let mut body = set.content;
    while let Some((seq, after)) = sequence(body) {
        let Some((oid, value)) = lax_oid(seq.content) else { break };
        let Some((value, _)) = der::read(value, Mode::Lax) else { break };
        attrs.push(Attribute { oid, value });
        body = after;
    }
    (!attrs.is_empty()).then_some((attrs, rest))
}

/// `[n] IMPLICIT BIT STRING OPTIONAL`: absent unless the next tag is context-specific `n`.
fn unique_id(i: &[u8], n: u32) -> Option<&[u8]> {
    // An unreadable header is left to the extensions, whose `[3]` length is not used.
    let Some((t, rest)) = der::read(i, Mode::Lax) else { return Some(i) };
    if t.number != n {
        return Some(i);
    }
    if t.class != CONTEXT {
        return None;
    }
    // asn1-rs's implicitly tagged BIT STRING checks neither the constructed bit nor the
    // unused-bit count; it needs that count's byte.
    (!t.content.is_empty()).then_some(rest)
}

/// `[3] EXPLICIT Extensions`: the wrapper's tag number is checked, its length is not; the
/// SEQUENCE after it must end the TBS, and every extension in it must read.
fn extensions(i: &[u8]) -> Option<Vec<Extension<'_>>> {
    let (t, _) = der::read(i, Mode::Lax).or_else(|| header_only(i))?;
    if t.number != 3 {
        return None;
    }
    let (seq, rest) = sequence(i.get(t.header_len..)?)?;
    if !rest.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    let mut body = seq.content;
    while !body.is_empty() {
        let (ext, after) = sequence(body)?;
        let (oid, r) = lax_oid(ext.content)?;
        let r = match der::read(r, Mode::Lax) {
            Some((b, after)) if b.number == BOOLEAN && b.content.len() == 1 => after,
            _ => r,
        };
        let (value, _) = der::read(r, Mode::Lax)?;
        if value.number != OCTET_STRING || value.constructed {
            return None;
        }
        out.push(Extension { oid, value: value.content });
        body = after;
    }
    Some(out)
}

/// The `[3]` header alone, when its (unused) length runs past the input.
fn header_only(i: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&first, rest) = i.split_first()?;
    let (&len0, rest) = rest.split_first()?;
    let n = if len0 < 0x80 { 0 } else { usize::from(len0 & 0x7f) };
    if first & 0x1f == 0x1f || len0 == 0x80 || n == 0x7f {
        return None;
    }
    let header_len = 2 + n;
    rest.get(..n)?;
    let tlv = Tlv {
        first,
        class: first >> 6,
        constructed: first & 0x20 != 0,
        number: u32::from(first & 0x1f),
        header_len,
        content: &[],
        raw: i.get(..header_len)?,
    };
    Some((tlv, &[]))
}

impl<'a> Parsed<'a> {
    /// The only extension of this OID: `Err` when there are several, as x509-parser's
    /// `get_extension_unique`.
    pub(crate) fn unique(&self, oid: &[u8]) -> Result<Option<&Extension<'a>>, ()> {
        let mut found = None;
        for e in self.extensions.iter().filter(|e| e.oid == oid) {
            if found.is_some() {
                return Err(());
            }
            found = Some(e);
        }
        Ok(found)
    }

    /// basicConstraints' `cA`: `Ok(None)` when absent or unreadable (x509-parser's accessor
    /// returns no value for a parse error), `Err` when duplicated.
    pub(crate) fn basic_constraints_ca(&self) -> Result<Option<bool>, ()> {
        Ok(self.unique(BASIC_CONSTRAINTS)?.and_then(|e| basic_constraints(e.value)))
    }

    /// extendedKeyUsage: (anyExtendedKeyUsage, serverAuth); `Err` when unreadable or duplicated.
    pub(crate) fn ext_key_usage(&self) -> Result<Option<(bool, bool)>, ()> {
        match self.unique(EXT_KEY_USAGE)? {
            None => Ok(None),
            Some(e) => ext_key_usage(e.value).map(Some).ok_or(()),
        }
    }

    /// subjectAltName's DNS names; `Err` when unreadable or duplicated.
    pub(crate) fn dns_names(&self) -> Result<Vec<&'a str>, ()> {
        match self.unique(SUBJECT_ALT_NAME)? {
            None => Ok(Vec::new()),
            Some(e) => dns_names(e.value).ok_or(()),
        }
    }

    /// The subject key identifier and the authority key identifier's keyIdentifier, each from
    /// the last readable extension of its kind.
    pub(crate) fn key_identifiers(&self) -> (Option<&'a [u8]>, Option<&'a [u8]>) {
        let (mut skid, mut akid) = (None, None);
        for e in &self.extensions {
            if e.oid == SUBJECT_KEY_ID {
                if let Some((t, _)) = der::read(e.value, Mode::Lax) {
                    if t.number == OCTET_STRING && !t.constructed {
                        skid = Some(t.content);
                    }
                }
            } else if e.oid == AUTHORITY_KEY_ID {
                if let Some((seq, _)) = sequence(e.value) {
                    akid = der::read(seq.content, Mode::Lax).filter(|(t, _)| t.number == 0).map(|(t, _)| t.content);
                }
            }
        }
        (skid, akid)
    }
}

/// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen INTEGER OPTIONAL },
/// as der-parser reads it: zero, one or two well-formed DER elements.
fn basic_constraints(value: &[u8]) -> Option<bool> {
    let (seq, _) = sequence(value)?;
    if !seq.constructed {
        return None;
    }
    let mut elems = Vec::new();
    let mut body = seq.content;
    while !body.is_empty() {
        let (t, rest) = der::read(body, Mode::Lax)?;
        elems.push(t);
        body = rest;
    }
    // der-parser reads a BOOLEAN's one byte as BER does: any non-zero value is true.
    let as_bool = |t: &Tlv<'_>| match (t.is(BOOLEAN), t.content) {
        (true, [b]) => Some(*b != 0),
        _ => None,
    };
    match elems.as_slice() {
        [] => Some(false),
        [a] => as_bool(a).or_else(|| lax_u32(a).map(|_| false)),
        [a, b] => {
            let ca = as_bool(a)?;
            lax_u32(b)?;
            Some(ca)
        }
        _ => None,
    }
}

/// ExtKeyUsageSyntax ::= SEQUENCE OF KeyPurposeId: (any, serverAuth).
fn ext_key_usage(value: &[u8]) -> Option<(bool, bool)> {
    const ANY: &[u8] = &[0x55, 0x1d, 0x25, 0x00];
    const SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
    let (seq, _) = sequence(value)?;
    let (mut any, mut server) = (false, false);
    let mut body = seq.content;
    while !body.is_empty() {
        let (oid, rest) = lax_oid(body)?;
        any |= oid == ANY;
        server |= oid == SERVER_AUTH;
        body = rest;
    }
    Some((any, server))
}

/// GeneralNames ::= SEQUENCE OF GeneralName: the dNSName entries, every entry well-formed.
fn dns_names(value: &[u8]) -> Option<Vec<&str>> {
    let (seq, _) = sequence(value)?;
    let mut out = Vec::new();
    let mut body = seq.content;
    while !body.is_empty() {
        let (g, rest) = der::read(body, Mode::Lax)?;
        if g.class != CONTEXT {
            return None;
        }
        match g.number {
            0 => {
                lax_oid(g.content)?;
            }
            1 | 6 => {
                std::str::from_utf8(g.content).ok()?;
            }
            2 => out.push(std::str::from_utf8(g.content).ok()?),
            4 => {
                let (_, rest) = name(g.content)?;
                if !rest.is_empty() {
                    return None;
                }
            }
            3 | 5 | 7 | 8 => {}
            _ => return None,
        }
        body = rest;
    }
    Some(out)
}
