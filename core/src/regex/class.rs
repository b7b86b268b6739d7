//! Sets of units as sorted, disjoint, inclusive ranges: characters (code points) in Go mode,
//! bytes in PCRE mode. The Perl and POSIX classes are ASCII in both flavours (Go's `\d \s \w`
//! are ASCII-only; PCRE without UTF mode is ASCII too). Case folding is ASCII, plus Go's two
//! non-ASCII members of ASCII letters' fold orbits (`K`/`k`/U+212A KELVIN SIGN and
//! `S`/`s`/U+017F LATIN SMALL LETTER LONG S) in Go mode; other Unicode letters are not
//! folded, since the core carries no Unicode case tables.

/// The largest code point.
pub(crate) const MAX_CHAR: u32 = 0x10_FFFF;
/// The largest byte.
pub(crate) const MAX_BYTE: u32 = 0xFF;

const KELVIN: u32 = 0x212A;
const LONG_S: u32 = 0x17F;

/// A set of units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Set(Vec<(u32, u32)>);

impl Set {
    pub(crate) fn one(u: u32) -> Self {
        Set(vec![(u, u)])
    }

    pub(crate) fn of(ranges: &[(u32, u32)]) -> Self {
        let mut s = Set(ranges.to_vec());
        s.canonicalize();
        s
    }

    pub(crate) fn ranges(&self) -> &[(u32, u32)] {
        &self.0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds `lo..=hi`; the set is kept canonical.
    pub(crate) fn push(&mut self, lo: u32, hi: u32) {
        self.0.push((lo, hi));
        self.canonicalize();
    }

    pub(crate) fn union(&mut self, other: &Set) {
        self.0.extend_from_slice(&other.0);
        self.canonicalize();
    }

    /// The complement within `0..=max`.
    pub(crate) fn negate(&mut self, max: u32) {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut next = 0u32;
        for &(lo, hi) in &self.0 {
            if lo > next {
                out.push((next, lo - 1));
            }
            next = hi.saturating_add(1);
        }
        if next <= max && self.0.last().is_none_or(|&(_, hi)| hi < max) {
            out.push((next, max));
        }
        self.0 = out;
    }

    /// Adds the case counterparts of every member (see the module header for which).
    pub(crate) fn fold(&mut self, unicode: bool) {
        let mut add = Vec::new();
        for &(lo, hi) in &self.0 {
            for (a, z, delta) in [(u32::from(b'A'), u32::from(b'Z'), 32i64), (u32::from(b'a'), u32::from(b'z'), -32)] {
                let (l, h) = (lo.max(a), hi.min(z));
                if l <= h {
                    let shift = |u: u32| u32::try_from(i64::from(u) + delta).unwrap_or(u);
                    add.push((shift(l), shift(h)));
                }
            }
        }
        self.0.extend(add);
        self.canonicalize();
        if unicode {
            let mut extra = Vec::new();
            if self.contains(u32::from(b'k')) || self.contains(KELVIN) {
                extra.extend([
                    (u32::from(b'K'), u32::from(b'K')),
                    (u32::from(b'k'), u32::from(b'k')),
                    (KELVIN, KELVIN),
                ]);
            }
            if self.contains(u32::from(b's')) || self.contains(LONG_S) {
                extra.extend([
                    (u32::from(b'S'), u32::from(b'S')),
                    (u32::from(b's'), u32::from(b's')),
                    (LONG_S, LONG_S),
                ]);
            }
            self.0.extend(extra);
            self.canonicalize();
        }
    }

    pub(crate) fn contains(&self, u: u32) -> bool {
        contains(&self.0, u)
    }

    fn canonicalize(&mut self) {
        crate::sort::sort_unstable(&mut self.0);
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(self.0.len());
        for &(lo, hi) in &self.0 {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        self.0 = out;
    }
}

/// Whether sorted, disjoint `ranges` hold `u`.
pub(crate) fn contains(ranges: &[(u32, u32)], u: u32) -> bool {
    match ranges {
        [] => false,
        [(lo, hi)] => *lo <= u && u <= *hi,
        _ => {
            let i = ranges.partition_point(|&(_, hi)| hi < u);
            ranges.get(i).is_some_and(|&(lo, _)| lo <= u)
        }
    }
}

/// Whether `u` is an ASCII word character (what `\b` looks at in both flavours).
pub(crate) fn is_word(u: u32) -> bool {
    u8::try_from(u).is_ok_and(|b| b.is_ascii_alphanumeric() || b == b'_')
}

const DIGIT: &[(u32, u32)] = &[(0x30, 0x39)];
const WORD: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];
/// Go's `\s`: `[\t\n\f\r ]`.
const GO_SPACE: &[(u32, u32)] = &[(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)];
/// PCRE's `\s` (and the regex crate's ASCII one): `[\t\n\v\f\r ]`.
const PCRE_SPACE: &[(u32, u32)] = &[(0x09, 0x0D), (0x20, 0x20)];

/// The Perl class of `\d`, `\s` or `\w` (lower case; the caller negates upper case ones).
pub(crate) fn perl(c: char, go: bool) -> Option<Set> {
    Some(Set::of(match c.to_ascii_lowercase() {
        'd' => DIGIT,
        's' if go => GO_SPACE,
        's' => PCRE_SPACE,
        'w' => WORD,
        _ => return None,
    }))
}

/// The POSIX class named `name` (`alpha` in `[[:alpha:]]`).
pub(crate) fn posix(name: &str) -> Option<Set> {
    Some(Set::of(match name {
        "alnum" => &[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
        "alpha" => &[(0x41, 0x5A), (0x61, 0x7A)],
        "ascii" => &[(0x00, 0x7F)],
        "blank" => &[(0x09, 0x09), (0x20, 0x20)],
        "cntrl" => &[(0x00, 0x1F), (0x7F, 0x7F)],
        "digit" => DIGIT,
        "graph" => &[(0x21, 0x7E)],
        "lower" => &[(0x61, 0x7A)],
        "print" => &[(0x20, 0x7E)],
        "punct" => &[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
        "space" => PCRE_SPACE,
        "upper" => &[(0x41, 0x5A)],
        "word" => WORD,
        "xdigit" => &[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negate_fold_and_contains() {
        let mut s = Set::of(&[(0x61, 0x63), (0x30, 0x39)]);
        s.negate(MAX_BYTE);
        assert_eq!(s.ranges(), &[(0, 0x2F), (0x3A, 0x60), (0x64, 0xFF)]);
        s.negate(MAX_BYTE);
        assert_eq!(s.ranges(), &[(0x30, 0x39), (0x61, 0x63)]);
        let mut all = Set::of(&[(0, MAX_BYTE)]);
        all.negate(MAX_BYTE);
        assert!(all.is_empty());
        let mut k = Set::one(u32::from(b'k'));
        k.fold(true);
        assert!(k.contains(u32::from(b'K')) && k.contains(KELVIN) && !k.contains(u32::from(b'j')));
        let mut k = Set::one(u32::from(b'k'));
        k.fold(false);
        assert!(k.contains(u32::from(b'K')) && !k.contains(KELVIN));
    }
}
