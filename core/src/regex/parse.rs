//! Pattern text to a small syntax tree (`Hir`), in two flavours. **Go** follows `regexp/syntax`
//! with Perl flags, as `regexp.Compile` does, including its error codes and the text each error
//! quotes (the error is the first one Go reports, reading left to right). **PCRE** reads the
//! subset HAProxy configs use from PCRE without UTF mode: the pattern and the haystack are bytes
//! (the pattern's characters above U+007F are mapped back to their UTF-8 bytes by the caller).
//! Constructs outside the subset (look-around, back-references, possessive and atomic
//! groups, `\Z`, `\G`, `\K`, `\p`, unknown letter escapes) are `Unsupported` errors; the
//! callers treat those as "cannot evaluate".
//!
//! Recursion is bounded by `MAX_DEPTH` nested groups (Go allows 1000; the core keeps stack
//! use small for wasm), and counted repetitions by Go's rule (each count at most 1000, nested
//! counts multiplying to at most 1000) or PCRE's (each at most 65535); the compiler bounds the
//! program size.

use super::class::{self, Set, MAX_BYTE, MAX_CHAR};
use super::{Code, Error};

/// Groups nested deeper than this are `Code::NestingDepth`.
pub(crate) const MAX_DEPTH: u32 = 200;

/// The syntax tree.
#[derive(Clone, Debug)]
pub(crate) enum Hir {
    Empty,
    Set(Set),
    Look(Look),
    Concat(Vec<Hir>),
    Alt(Vec<Hir>),
    Repeat(Box<Repeat>),
    Capture(u32, Box<Hir>),
}

/// `sub{min,max}`; `max` `None` is unbounded.
#[derive(Clone, Debug)]
pub(crate) struct Repeat {
    pub(crate) sub: Hir,
    pub(crate) min: u32,
    pub(crate) max: Option<u32>,
    pub(crate) greedy: bool,
    /// Written with braces: only these count for Go's nested-count rule.
    counted: bool,
    /// How many repetitions this one directly repeats.
    chain: u32,
}

/// Zero-width assertions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Look {
    StartText,
    EndText,
    StartLine,
    EndLine,
    Word,
    NotWord,
}

/// The pattern language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    Go,
    Pcre,
}

#[derive(Clone, Copy)]
struct Flags {
    fold: bool,
    multi: bool,
    dotnl: bool,
    ungreedy: bool,
}

/// A parsed pattern: the tree and the number of capture groups (without group 0).
pub(crate) struct Parsed {
    pub(crate) hir: Hir,
    pub(crate) groups: u32,
}

/// Parses `src` (for PCRE, one char per byte, each at most U+00FF).
pub(crate) fn parse(src: &str, flavor: Flavor, nocase: bool) -> Result<Parsed, Error> {
    let flags = Flags { fold: nocase, multi: false, dotnl: false, ungreedy: false };
    let mut p = Parser { src, i: 0, flavor, flags, caps: 0, depth: 0 };
    let hir = p.alternation()?;
    if p.peek().is_some() {
        // Only an unmatched `)` stops the top level early.
        return Err(p.whole(Code::UnexpectedParen));
    }
    Ok(Parsed { hir, groups: p.caps })
}

struct Parser<'a> {
    src: &'a str,
    i: usize,
    flavor: Flavor,
    flags: Flags,
    caps: u32,
    depth: u32,
}

enum Escape {
    Unit(u32),
    Set(Set),
    Look(Look),
    Quote,
}

impl<'a> Parser<'a> {
    fn go(&self) -> bool {
        self.flavor == Flavor::Go
    }

    fn max(&self) -> u32 {
        if self.go() {
            MAX_CHAR
        } else {
            MAX_BYTE
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.i..].chars().next()
    }

    fn rest(&self) -> &'a str {
        &self.src[self.i..]
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        Some(c)
    }

    fn err(&self, code: Code, from: usize) -> Error {
        Error::new(code, &self.src[from..self.i])
    }

    fn whole(&self, code: Code) -> Error {
        Error::new(code, self.src)
    }

    fn unsupported(&self, from: usize) -> Error {
        self.err(Code::Unsupported, from)
    }

    fn alternation(&mut self) -> Result<Hir, Error> {
        let mut alts = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.i += 1;
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 { alts.swap_remove(0) } else { Hir::Alt(alts) })
    }

    fn concat(&mut self) -> Result<Hir, Error> {
        let mut items: Vec<Hir> = Vec::new();
        // Where the quantifier just before started, for Go's nested-repetition error.
        let mut last_quant: Option<usize> = None;
        while let Some(c) = self.peek() {
            let start = self.i;
            let (min, max, counted) = match c {
                '|' | ')' => break,
                '*' => (0, None, false),
                '+' => (1, None, false),
                '?' => (0, Some(1), false),
                '{' => match self.counted() {
                    Some(q) => q,
                    None => {
                        // Not a repetition: `{` is a literal, in both flavours.
                        self.i = start + 1;
                        items.push(self.literal(u32::from('{')));
                        last_quant = None;
                        continue;
                    }
                },
                _ => {
                    last_quant = None;
                    self.atom(&mut items)?;
                    continue;
                }
            };
            if !counted {
                self.i += 1;
            }
            let op_end = self.i;
            let limit = if self.go() { 1000 } else { 65535 };
            if counted && (min > limit || max.is_some_and(|m| m > limit || m < min)) {
                return Err(self.err(Code::InvalidRepeatSize, start));
            }
            let mut greedy = !self.flags.ungreedy;
            match self.peek() {
                Some('?') => {
                    self.i += 1;
                    greedy = !greedy;
                }
                Some('+') if !self.go() => return Err(self.unsupported(start)),
                _ => {}
            }
            if let Some(q) = last_quant {
                return Err(if self.go() { self.err(Code::InvalidRepeatOp, q) } else { self.unsupported(q) });
            }
            let Some(sub) = items.pop() else { return Err(self.err(Code::MissingRepeatArgument, start)) };
            // Go repeats a repetition after a flag group (`a*(?i)*`); keep such chains shallow.
            let chain = if let Hir::Repeat(r) = &sub { r.chain + 1 } else { 0 };
            if chain > MAX_DEPTH {
                return Err(self.whole(Code::NestingDepth));
            }
            let rep = Hir::Repeat(Box::new(Repeat { sub, min, max, greedy, counted, chain }));
            if self.go() && counted && (min >= 2 || max.is_some_and(|m| m >= 2)) && !counts_fit(&rep, 1000) {
                return Err(Error::new(Code::InvalidRepeatSize, &self.src[start..op_end]));
            }
            items.push(rep);
            last_quant = Some(start);
        }
        Ok(match items.len() {
            0 => Hir::Empty,
            1 => items.swap_remove(0),
            _ => Hir::Concat(items),
        })
    }

    /// `{n}`, `{n,}` or `{n,m}` at the cursor, consumed; `None` (cursor unchanged) when the
    /// text is not one, and then `{` is a literal. Go refuses leading zeros; a count too large
    /// to read becomes `u32::MAX`, which the caller reports.
    fn counted(&mut self) -> Option<(u32, Option<u32>, bool)> {
        let start = self.i;
        self.i += 1;
        let r = (|| {
            let min = self.number()?;
            let max = if self.peek() == Some(',') {
                self.i += 1;
                if self.peek() == Some('}') {
                    None
                } else {
                    Some(self.number()?)
                }
            } else {
                Some(min)
            };
            (self.bump() == Some('}')).then_some((min, max, true))
        })();
        if r.is_none() {
            self.i = start;
        }
        r
    }

    fn number(&mut self) -> Option<u32> {
        let digits = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        let text = &self.rest()[..digits];
        if digits == 0 || (self.go() && digits >= 2 && text.starts_with('0')) {
            return None;
        }
        self.i += digits;
        Some(text.parse().unwrap_or(u32::MAX))
    }

    fn literal(&self, u: u32) -> Hir {
        let mut s = Set::one(u);
        if self.flags.fold {
            s.fold(self.go());
        }
        Hir::Set(s)
    }

    fn folded(&self, mut s: Set, negated: bool) -> Set {
        if self.flags.fold {
            s.fold(self.go());
        }
        if negated {
            s.negate(self.max());
        }
        s
    }

    /// One atom (or none, for a flag group; several, for `\Q…\E`) pushed onto `items`.
    fn atom(&mut self, items: &mut Vec<Hir>) -> Result<(), Error> {
        let Some(c) = self.peek() else { return Ok(()) };
        match c {
            '(' => {
                if let Some(h) = self.group()? {
                    items.push(h);
                }
            }
            '[' => items.push(Hir::Set(self.class()?)),
            '.' => {
                self.i += 1;
                let s =
                    if self.flags.dotnl { Set::of(&[(0, self.max())]) } else { Set::of(&[(0, 9), (11, self.max())]) };
                items.push(Hir::Set(s));
            }
            '^' => {
                self.i += 1;
                items.push(Hir::Look(if self.flags.multi { Look::StartLine } else { Look::StartText }));
            }
            '$' => {
                self.i += 1;
                items.push(Hir::Look(if self.flags.multi { Look::EndLine } else { Look::EndText }));
            }
            '\\' => match self.escape(false)? {
                Escape::Unit(u) => items.push(self.literal(u)),
                Escape::Set(s) => items.push(Hir::Set(s)),
                Escape::Look(l) => items.push(Hir::Look(l)),
                Escape::Quote => {
                    let rest = self.rest();
                    let (lit, len) = match rest.find(r"\E") {
                        Some(k) => (&rest[..k], k + 2),
                        None => (rest, rest.len()),
                    };
                    for ch in lit.chars() {
                        items.push(self.literal(u32::from(ch)));
                    }
                    self.i += len;
                }
            },
            c => {
                self.i += c.len_utf8();
                items.push(self.literal(u32::from(c)));
            }
        }
        Ok(())
    }

    /// A group at `(`: `Some` for a capturing or non-capturing group, `None` for a flag
    /// group that changes the flags of the enclosing group from here on.
    fn group(&mut self) -> Result<Option<Hir>, Error> {
        let start = self.i;
        self.i += 1;
        if self.peek() != Some('?') {
            self.caps += 1;
            let index = self.caps;
            return Ok(Some(Hir::Capture(index, Box::new(self.group_body()?))));
        }
        let t = &self.src[start..];
        let named = if t.len() > 4 && t[2..].starts_with("P<") {
            Some(4)
        } else if t.len() > 3 && t[2..].starts_with('<') {
            // Go reads look-behind (`(?<=`) as a malformed name too.
            Some(3)
        } else {
            None
        };
        if let Some(begin) = named {
            let Some(end) = t.find('>') else { return Err(Error::new(Code::InvalidNamedCapture, t)) };
            let name = &t[begin..end];
            let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if !valid {
                return Err(Error::new(Code::InvalidNamedCapture, &t[..=end]));
            }
            self.i = start + end + 1;
            self.caps += 1;
            let index = self.caps;
            return Ok(Some(Hir::Capture(index, Box::new(self.group_body()?))));
        }
        self.i += 1;
        let mut flags = self.flags;
        let mut negate = false;
        let mut saw = false;
        loop {
            let c = self.bump();
            let on = !negate;
            match c {
                Some('i') => flags.fold = on,
                Some('m') => flags.multi = on,
                Some('s') => flags.dotnl = on,
                Some('U') => flags.ungreedy = on,
                Some('-') if !negate => {
                    negate = true;
                    saw = false;
                    continue;
                }
                Some(c @ (':' | ')')) if !negate || saw => {
                    if c == ')' {
                        self.flags = flags;
                        return Ok(None);
                    }
                    let outer = self.flags;
                    self.flags = flags;
                    let body = self.group_body();
                    self.flags = outer;
                    return body.map(Some);
                }
                _ if !self.go() => return Err(self.unsupported(start)),
                _ => return Err(self.err(Code::InvalidPerlOp, start)),
            }
            saw = true;
        }
    }

    /// The alternation of a group and its `)`; the group's flag changes end with it.
    fn group_body(&mut self) -> Result<Hir, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.whole(Code::NestingDepth));
        }
        let outer = self.flags;
        let body = self.alternation()?;
        self.flags = outer;
        self.depth -= 1;
        if self.bump() != Some(')') {
            return Err(self.whole(Code::MissingParen));
        }
        Ok(body)
    }

    /// A bracketed class at `[`.
    fn class(&mut self) -> Result<Set, Error> {
        let start = self.i;
        self.i += 1;
        let negated = self.peek() == Some('^');
        if negated {
            self.i += 1;
        }
        let mut set = Set::default();
        let mut first = true;
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                return Err(Error::new(Code::MissingBracket, &self.src[start..]));
            }
            if rest.starts_with(']') && !first {
                self.i += 1;
                break;
            }
            first = false;
            if let Some(inner) = rest.strip_prefix("[:") {
                if let Some(k) = inner.find(":]") {
                    let whole = &rest[..k + 4];
                    let name = &inner[..k];
                    let (neg, name) = match name.strip_prefix('^') {
                        Some(n) => (true, n),
                        None => (false, name),
                    };
                    let Some(s) = class::posix(name) else { return Err(Error::new(Code::InvalidCharRange, whole)) };
                    set.union(&self.folded(s, neg));
                    self.i += whole.len();
                    continue;
                }
            }
            let item = self.i;
            let lo = match self.class_unit(start)? {
                Escape::Unit(u) => u,
                Escape::Set(s) => {
                    set.union(&s);
                    continue;
                }
                Escape::Look(_) | Escape::Quote => return Err(self.unsupported(item)),
            };
            let mut hi = lo;
            let rest = self.rest();
            if rest.len() >= 2 && rest.starts_with('-') && !rest[1..].starts_with(']') {
                self.i += 1;
                let before = self.i;
                hi = match self.class_unit(start)? {
                    Escape::Unit(u) => u,
                    // Go reads `\d` as an escape here, which is not a character.
                    _ if self.go() => return Err(Error::new(Code::InvalidEscape, &self.src[before..self.i])),
                    _ => return Err(self.unsupported(item)),
                };
                if hi < lo {
                    return Err(self.err(Code::InvalidCharRange, item));
                }
            }
            let mut s = Set::default();
            s.push(lo, hi);
            set.union(&self.folded(s, false));
        }
        if negated {
            set.negate(self.max());
        }
        Ok(set)
    }

    /// A character of a class, or a Perl class escape.
    fn class_unit(&mut self, class_start: usize) -> Result<Escape, Error> {
        match self.peek() {
            None => Err(Error::new(Code::MissingBracket, &self.src[class_start..])),
            Some('\\') => self.escape(true),
            Some(c) => {
                self.i += c.len_utf8();
                Ok(Escape::Unit(u32::from(c)))
            }
        }
    }

    /// An escape at `\`.
    fn escape(&mut self, in_class: bool) -> Result<Escape, Error> {
        let start = self.i;
        self.i += 1;
        let Some(c) = self.bump() else { return Err(Error::new(Code::TrailingBackslash, "")) };
        let go = self.go();
        let bad = |p: &Self| if go { p.err(Code::InvalidEscape, start) } else { p.unsupported(start) };
        let unit = |u: u32| Ok(Escape::Unit(u));
        match c {
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                let s = class::perl(c, go).unwrap_or_default();
                Ok(Escape::Set(self.folded(s, c.is_ascii_uppercase())))
            }
            'p' | 'P' if go => {
                // Unicode classes need tables the core does not carry.
                if self.peek() == Some('{') {
                    match self.rest().find('}') {
                        Some(k) => self.i += k + 1,
                        None => self.i = self.src.len(),
                    }
                } else {
                    self.bump();
                }
                Err(self.unsupported(start))
            }
            // PCRE reads `[\b]` as a backspace.
            'b' if in_class && !go => unit(8),
            'A' if !in_class => Ok(Escape::Look(Look::StartText)),
            'z' if !in_class => Ok(Escape::Look(Look::EndText)),
            'b' if !in_class => Ok(Escape::Look(Look::Word)),
            'B' if !in_class => Ok(Escape::Look(Look::NotWord)),
            'Q' if !in_class => Ok(Escape::Quote),
            '1'..='7' if go && !self.peek().is_some_and(|n| ('0'..='7').contains(&n)) => Err(bad(self)),
            '0'..='7' if go || c == '0' => {
                let mut v = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|n| n.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            self.i += 1;
                        }
                        None => break,
                    }
                }
                if v > self.max() {
                    return Err(self.unsupported(start));
                }
                unit(v)
            }
            'x' => self.hex(start),
            'a' => unit(7),
            'f' => unit(12),
            't' => unit(9),
            'n' => unit(10),
            'r' => unit(13),
            'v' => unit(11),
            'e' if !go => unit(27),
            c if !c.is_ascii_alphanumeric() && (u32::from(c) < 0x80 || !go) => unit(u32::from(c)),
            _ => Err(bad(self)),
        }
    }

    /// `\x` followed by two hex digits or `{digits}` (PCRE: up to two digits).
    fn hex(&mut self, start: usize) -> Result<Escape, Error> {
        let go = self.go();
        let bad = |p: &Self| if go { p.err(Code::InvalidEscape, start) } else { p.unsupported(start) };
        let hexval = |c: Option<char>| c.and_then(|c| c.to_digit(16));
        if self.peek() == Some('{') {
            self.i += 1;
            let mut v: u32 = 0;
            let mut n = 0;
            loop {
                let c = self.bump();
                if c == Some('}') {
                    break;
                }
                let Some(d) = hexval(c) else { return Err(bad(self)) };
                v = v * 16 + d;
                n += 1;
                if v > MAX_CHAR {
                    return Err(bad(self));
                }
            }
            if n == 0 {
                return Err(bad(self));
            }
            if v > self.max() {
                return Err(self.unsupported(start));
            }
            return Ok(Escape::Unit(v));
        }
        if go {
            if self.peek().is_none() {
                return Err(bad(self));
            }
            let (a, b) = (hexval(self.bump()), hexval(self.bump()));
            return match (a, b) {
                (Some(a), Some(b)) => Ok(Escape::Unit(a * 16 + b)),
                _ => Err(bad(self)),
            };
        }
        let mut v = 0;
        for _ in 0..2 {
            match hexval(self.peek()) {
                Some(d) => {
                    v = v * 16 + d;
                    self.i += 1;
                }
                None => break,
            }
        }
        Ok(Escape::Unit(v))
    }
}

/// Go's rule for counted repetitions: along any path, the counts multiply to at most `n`.
fn counts_fit(h: &Hir, mut n: u32) -> bool {
    match h {
        Hir::Repeat(r) => {
            if r.counted {
                let m = match r.max {
                    Some(0) => return true,
                    Some(m) => m,
                    None => r.min,
                };
                if m > n {
                    return false;
                }
                n = n.checked_div(m).unwrap_or(n);
            }
            counts_fit(&r.sub, n)
        }
        Hir::Concat(v) | Hir::Alt(v) => v.iter().all(|x| counts_fit(x, n)),
        Hir::Capture(_, x) => counts_fit(x, n),
        Hir::Empty | Hir::Set(_) | Hir::Look(_) => true,
    }
}
