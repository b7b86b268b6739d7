//! A certificate Name as text, the way explain has always shown it (x509-parser's `Display`
//! of an `X509Name`): `CN=a, O=b`, attributes of one RDN joined by ` + `, string values as
//! they are, other values in upper-case hex, and `<X509Error: Invalid X.509 name>` when a
//! string value is not UTF-8. Attribute types outside the table print as `OID(1.2.3)`.

use std::fmt::Write as _;

use super::cert::{Attribute, Name};

/// The common name attribute type, 2.5.4.3.
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

/// The subject's first common name, when it is one of the string types read as text.
pub(crate) fn common_name<'a>(name: &Name<'a>) -> Option<&'a str> {
    let attr = name.rdns.iter().flatten().find(|a| a.oid == COMMON_NAME)?;
    match attr.value.number {
        12 | 18 | 19 | 22 => std::str::from_utf8(attr.value.content).ok(),
        _ => None,
    }
}

/// The Name as one line of text.
pub(crate) fn display(name: &Name<'_>) -> String {
    let mut out = String::new();
    for (i, rdn) in name.rdns.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, attr) in rdn.iter().enumerate() {
            if j > 0 {
                out.push_str(" + ");
            }
            let Some(value) = value_text(attr) else { return "<X509Error: Invalid X.509 name>".to_owned() };
            match short_name(attr.oid) {
                Some(s) => out.push_str(s),
                None => {
                    let _ = write!(out, "OID({})", dotted(attr.oid));
                }
            }
            out.push('=');
            out.push_str(&value);
        }
    }
    out
}

fn value_text(attr: &Attribute<'_>) -> Option<String> {
    let data = attr.value.content;
    match attr.value.number {
        7 | 12 | 18 | 19 | 20 | 21 | 22 | 25 | 26 | 27 => std::str::from_utf8(data).ok().map(str::to_owned),
        30 => {
            // BMPString: UTF-16BE; an odd last byte counts as one code unit.
            let units: Vec<u16> = data
                .chunks(2)
                .map(|c| match c {
                    [a, b] => u16::from(*a) << 8 | u16::from(*b),
                    [a] => u16::from(*a),
                    _ => 0,
                })
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => Some(data.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02X}");
            s
        })),
    }
}

/// Short names of the attribute types names use (X.520, RFC 4519, PKCS #9).
fn short_name(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, n] => match n {
            0 => "objectClass",
            1 => "aliasedEntryName",
            2 => "knowledgeInformation",
            3 => "CN",
            4 => "surname",
            5 => "serialNumber",
            6 => "C",
            7 => "L",
            8 => "ST",
            9 => "streetAddress",
            10 => "O",
            11 => "OU",
            12 => "title",
            13 => "description",
            14 => "searchGuide",
            15 => "businessCategory",
            16 => "postalAddress",
            17 => "postalCode",
            41 => "name",
            42 => "givenName",
            43 => "initials",
            44 => "generationQualifier",
            45 => "uniqueIdentifier",
            46 => "dnQualifier",
            _ => return None,
        },
        // x509-parser's registry names the attribute type arc itself.
        [0x55, 0x04] => "x509",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01] => "uid",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "Email",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x02] => "unstructuredName",
        [0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, n @ 1..=3] => match n {
            1 => "msJurisdictionLocality",
            2 => "msJurisdictionStateOrProvince",
            _ => "msJurisdictionCountry",
        },
        _ => return None,
    })
}

/// An OID's arcs in decimal, as asn1-rs prints them: the first byte gives `b / 40` and
/// `b % 40`, then base-128 arcs of any size (a trailing unfinished arc still counts).
pub(crate) fn dotted(oid: &[u8]) -> String {
    let Some((&first, rest)) = oid.split_first() else { return String::new() };
    let mut out = format!("{}", first / 40);
    if !(first == 0 && rest.is_empty()) {
        let _ = write!(out, ".{}", first % 40);
    }
    // Each arc as base-10⁹ limbs, little-endian, so any length prints exactly.
    let mut limbs: Vec<u32> = vec![0];
    for (i, &b) in rest.iter().enumerate() {
        let mut carry = u64::from(b & 0x7f);
        for limb in &mut limbs {
            let v = u64::from(*limb) * 128 + carry;
            *limb = (v % 1_000_000_000) as u32;
            carry = v / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
        if b & 0x80 == 0 || i + 1 == rest.len() {
            let mut s = String::new();
            for (k, limb) in limbs.iter().rev().enumerate() {
                let _ = if k == 0 { write!(s, "{limb}") } else { write!(s, "{limb:09}") };
            }
            let _ = write!(out, ".{s}");
            limbs = vec![0];
        }
    }
    out
}
