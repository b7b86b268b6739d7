//! A small DER reader over `&[u8]`: one TLV at a time, never recursive, never panicking.
//!
//! Two dialects, because the readers it replaced disagreed and the router's behaviour was
//! accepted as faithful with both: [`Mode::Strict`] is what the RustCrypto `der` crate accepts
//! (used for private keys: single-byte tags from its fixed set, minimal definite lengths of at
//! most four bytes), [`Mode::Lax`] what `asn1-rs` accepts for certificates (multi-byte tag
//! numbers, long-form lengths with leading zeros, still definite only). Value readers
//! ([`uint`], [`bit_string`], …) check the content rules each caller needs.

/// Which encoder's rules a header must follow.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    /// The `der` crate: canonical DER headers.
    Strict,
    /// `asn1-rs`: definite lengths, but not necessarily minimal ones.
    Lax,
}

/// Universal tag numbers the readers look at.
pub(crate) const BOOLEAN: u32 = 1;
pub(crate) const INTEGER: u32 = 2;
pub(crate) const BIT_STRING: u32 = 3;
pub(crate) const OCTET_STRING: u32 = 4;
pub(crate) const SEQUENCE: u32 = 16;
pub(crate) const SET: u32 = 17;
pub(crate) const UTC_TIME: u32 = 23;
pub(crate) const GENERALIZED_TIME: u32 = 24;

/// Tag classes (the top two bits of the identifier).
pub(crate) const UNIVERSAL: u8 = 0;
pub(crate) const CONTEXT: u8 = 2;

/// One TLV. Its `Debug` shows the header only: the content may be private-key material.
#[derive(Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The first identifier byte, as written.
    pub(crate) first: u8,
    pub(crate) class: u8,
    pub(crate) constructed: bool,
    pub(crate) number: u32,
    /// The identifier and length bytes.
    pub(crate) header_len: usize,
    pub(crate) content: &'a [u8],
    /// Header and content.
    pub(crate) raw: &'a [u8],
}

impl std::fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tlv({:#04x}, {} content bytes)", self.first, self.content.len())
    }
}

impl Tlv<'_> {
    /// True for a universal tag of this number (primitive or constructed).
    pub(crate) fn is(&self, number: u32) -> bool {
        self.class == UNIVERSAL && self.number == number
    }
}

/// Reads one header; returns the TLV (its content bounded by the length) and what follows.
pub(crate) fn read(input: &[u8], mode: Mode) -> Option<(Tlv<'_>, &[u8])> {
    let (&first, mut rest) = input.split_first()?;
    let mut number = u32::from(first & 0x1f);
    if number == 0x1f {
        if mode == Mode::Strict {
            return None;
        }
        // asn1-rs: up to five more bytes, base 128; bits shifted out of a u32 are lost.
        number = 0;
        let mut count = 0;
        loop {
            let (&b, r) = rest.split_first()?;
            count += 1;
            if count > 5 {
                return None;
            }
            number = (number << 7) | u32::from(b & 0x7f);
            rest = r;
            if b & 0x80 == 0 {
                break;
            }
        }
    } else if mode == Mode::Strict && !strict_tag(first) {
        return None;
    }
    let (&len0, mut rest) = rest.split_first()?;
    let len = if len0 < 0x80 {
        usize::from(len0)
    } else {
        let n = usize::from(len0 & 0x7f);
        if n == 0 || n == 0x7f || (mode == Mode::Strict && n > 4) {
            return None;
        }
        let bytes = rest.get(..n)?;
        rest = rest.get(n..)?;
        let mut v: u64 = 0;
        for &b in bytes {
            if v >> 56 != 0 {
                return None;
            }
            v = (v << 8) | u64::from(b);
        }
        if mode == Mode::Strict && (v < 0x80 || bytes.first() == Some(&0) || v > 0x0fff_ffff) {
            return None;
        }
        usize::try_from(v).ok()?
    };
    let header_len = input.len() - rest.len();
    let content = rest.get(..len)?;
    let after = rest.get(len..)?;
    let raw = input.get(..header_len + len)?;
    let tlv = Tlv { first, class: first >> 6, constructed: first & 0x20 != 0, number, header_len, content, raw };
    Some((tlv, after))
}

/// The identifier bytes the `der` crate knows (its `Tag::try_from`).
fn strict_tag(b: u8) -> bool {
    matches!(b, 0x01..=0x06 | 0x09 | 0x0a | 0x0c | 0x12..=0x18 | 0x1a | 0x1e | 0x30 | 0x31)
        || (b >= 0x40 && b & 0x1f != 0x1f)
}

/// Reads one TLV whose first identifier byte is exactly `first` (strict mode's tag check).
pub(crate) fn expect(input: &[u8], first: u8, mode: Mode) -> Option<(&[u8], &[u8])> {
    let (t, rest) = read(input, mode)?;
    (t.first == first).then_some((t.content, rest))
}

/// The `der` crate's `UintRef`: a non-negative, minimally encoded INTEGER, without its
/// leading zero byte.
pub(crate) fn uint(content: &[u8]) -> Option<&[u8]> {
    match content {
        [] => None,
        [0] => Some(content),
        [0, b, ..] if *b < 0x80 => None,
        [0, rest @ ..] => Some(rest),
        [b, ..] if *b >= 0x80 => None,
        _ => Some(content),
    }
}

/// The `der` crate's `u8`: a minimal, non-negative INTEGER below 256.
pub(crate) fn small_uint(content: &[u8]) -> Option<u8> {
    match uint(content)? {
        [v] => Some(*v),
        _ => None,
    }
}

/// A BIT STRING as the `der` crate's `BitStringRef::as_bytes` reads it: no unused bits.
pub(crate) fn bit_string_bytes(content: &[u8]) -> Option<&[u8]> {
    let (&unused, bytes) = content.split_first()?;
    (unused == 0).then_some(bytes)
}

/// A BIT STRING as `asn1-rs` checks it in DER: an unused-bit count and zero padding bits.
pub(crate) fn bit_string<'a>(t: &Tlv<'a>) -> Option<&'a [u8]> {
    if t.constructed {
        return None;
    }
    let (&unused, bytes) = t.content.split_first()?;
    match bytes.last() {
        None if unused != 0 => None,
        Some(last) if last.trailing_zeros() < u32::from(unused) => None,
        _ => Some(bytes),
    }
}

/// An OBJECT IDENTIFIER as `const-oid` accepts it: 3 to 39 bytes, every arc minimal base 128
/// fitting 32 bits, the last one complete.
pub(crate) fn oid_ok(content: &[u8]) -> bool {
    if !(3..=39).contains(&content.len()) {
        return false;
    }
    let mut arc: u32 = 0;
    let mut start = true;
    for &b in content {
        if start && b == 0x80 {
            return false;
        }
        if arc > (u32::MAX >> 7) {
            return false;
        }
        arc = (arc << 7) | u32::from(b & 0x7f);
        start = b & 0x80 == 0;
        if start {
            arc = 0;
        }
    }
    start
}
