//! Unsigned big integers, just enough for the certificate checks: RSA signature verification
//! and key validation, and the P-256/P-384 arithmetic of `ec`. A few hundred lines of plain
//! schoolbook arithmetic instead of num-bigint-dig and the fiat-crypto field code, which were a
//! sixth of the wasm module. Nothing here is constant-time: routec checks configuration, it
//! signs nothing, and the timing of a local compile reveals nothing to anyone.

use std::cmp::Ordering;

/// A natural number: little-endian 32-bit limbs without high zero limbs (zero is empty).
/// Its `Debug` shows the size only: a `Nat` may be a private exponent or scalar.
#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) struct Nat(Vec<u32>);

impl std::fmt::Debug for Nat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Nat({} bits)", self.bits())
    }
}

impl Nat {
    pub(crate) fn from_u32(v: u32) -> Self {
        Self(vec![v]).norm()
    }

    /// From big-endian bytes (leading zeros allowed).
    pub(crate) fn from_be(bytes: &[u8]) -> Self {
        let mut limbs = Vec::with_capacity(bytes.len().div_ceil(4));
        for chunk in bytes.rchunks(4) {
            limbs.push(chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)));
        }
        Self(limbs).norm()
    }

    /// From a big-endian hex constant (the curve parameters).
    pub(crate) fn from_hex(hex: &str) -> Self {
        let digits: Vec<u8> = hex.bytes().filter_map(|c| (c as char).to_digit(16).map(|d| d as u8)).collect();
        let bytes: Vec<u8> = digits.rchunks(2).rev().map(|p| p.iter().fold(0u8, |a, d| (a << 4) | d)).collect();
        Self::from_be(&bytes)
    }

    /// Minimal big-endian bytes (empty for zero).
    pub(crate) fn to_be(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.0.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
        let zeros = out.iter().take_while(|b| **b == 0).count();
        out.drain(..zeros);
        out
    }

    /// Big-endian bytes left-padded to `len`; `None` when the number does not fit.
    pub(crate) fn to_be_padded(&self, len: usize) -> Option<Vec<u8>> {
        let min = self.to_be();
        let pad = len.checked_sub(min.len())?;
        let mut out = vec![0; pad];
        out.extend(min);
        Some(out)
    }

    fn norm(mut self) -> Self {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn is_one(&self) -> bool {
        self.0 == [1]
    }

    pub(crate) fn is_odd(&self) -> bool {
        self.0.first().is_some_and(|l| l & 1 == 1)
    }

    /// Significant bits.
    pub(crate) fn bits(&self) -> usize {
        self.0.last().map_or(0, |top| self.0.len() * 32 - top.leading_zeros() as usize)
    }

    /// Bit `i` (0 is the least significant).
    pub(crate) fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1)
    }

    pub(crate) fn to_u64(&self) -> Option<u64> {
        match self.0.as_slice() {
            [] => Some(0),
            [a] => Some(u64::from(*a)),
            [a, b] => Some(u64::from(*a) | (u64::from(*b) << 32)),
            _ => None,
        }
    }

    pub(crate) fn add(&self, o: &Nat) -> Nat {
        let (long, short) = if self.0.len() >= o.0.len() { (self, o) } else { (o, self) };
        let mut out = Vec::with_capacity(long.0.len() + 1);
        let mut carry = 0u64;
        for (i, l) in long.0.iter().enumerate() {
            let s = u64::from(*l) + u64::from(short.0.get(i).copied().unwrap_or(0)) + carry;
            out.push(s as u32);
            carry = s >> 32;
        }
        out.push(carry as u32);
        Nat(out).norm()
    }

    /// `self - o`, saturating at zero (callers subtract only smaller numbers).
    pub(crate) fn sub(&self, o: &Nat) -> Nat {
        if *self < *o {
            return Nat::default();
        }
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for (i, l) in self.0.iter().enumerate() {
            let t = i64::from(*l) - i64::from(o.0.get(i).copied().unwrap_or(0)) - borrow;
            out.push(t as u32);
            borrow = i64::from(t < 0);
        }
        Nat(out).norm()
    }

    pub(crate) fn mul(&self, o: &Nat) -> Nat {
        if self.is_zero() || o.is_zero() {
            return Nat::default();
        }
        let mut out = vec![0u32; self.0.len() + o.0.len()];
        for (i, a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, b) in o.0.iter().enumerate() {
                let t = u64::from(*a) * u64::from(*b) + u64::from(out[i + j]) + carry;
                out[i + j] = t as u32;
                carry = t >> 32;
            }
            out[i + o.0.len()] = carry as u32;
        }
        Nat(out).norm()
    }

    /// Quotient and remainder (Knuth's algorithm D). A zero divisor gives `(0, self)`.
    pub(crate) fn divrem(&self, d: &Nat) -> (Nat, Nat) {
        if d.is_zero() || *self < *d {
            return (Nat::default(), self.clone());
        }
        if let [dv] = d.0.as_slice() {
            let dv = u64::from(*dv);
            let mut q = vec![0u32; self.0.len()];
            let mut r = 0u64;
            for i in (0..self.0.len()).rev() {
                let cur = (r << 32) | u64::from(self.0[i]);
                q[i] = (cur / dv) as u32;
                r = cur % dv;
            }
            return (Nat(q).norm(), Nat(vec![r as u32]).norm());
        }
        let n = d.0.len();
        let shift = d.0[n - 1].leading_zeros();
        let v = shl(&d.0, shift, n);
        let mut u = shl(&self.0, shift, self.0.len() + 1);
        let m = self.0.len() - n;
        let mut q = vec![0u32; m + 1];
        let (vtop, vnext) = (u64::from(v[n - 1]), u64::from(v[n - 2]));
        for j in (0..=m).rev() {
            let num = (u64::from(u[j + n]) << 32) | u64::from(u[j + n - 1]);
            let mut qhat = num / vtop;
            let mut rhat = num % vtop;
            while qhat >= 1 << 32 || qhat * vnext > ((rhat << 32) | u64::from(u[j + n - 2])) {
                qhat -= 1;
                rhat += vtop;
                if rhat >= 1 << 32 {
                    break;
                }
            }
            let (mut borrow, mut carry) = (0i64, 0u64);
            for i in 0..n {
                let p = qhat * u64::from(v[i]) + carry;
                carry = p >> 32;
                let t = i64::from(u[i + j]) - borrow - (p & 0xffff_ffff) as i64;
                u[i + j] = t as u32;
                borrow = i64::from(t < 0);
            }
            let t = i64::from(u[j + n]) - borrow - carry as i64;
            u[j + n] = t as u32;
            if t < 0 {
                qhat -= 1;
                let mut c = 0u64;
                for i in 0..n {
                    let s = u64::from(u[i + j]) + u64::from(v[i]) + c;
                    u[i + j] = s as u32;
                    c = s >> 32;
                }
                u[j + n] = u[j + n].wrapping_add(c as u32);
            }
            q[j] = qhat as u32;
        }
        let r = shr(&u[..n], shift);
        (Nat(q).norm(), Nat(r).norm())
    }

    pub(crate) fn rem(&self, m: &Nat) -> Nat {
        self.divrem(m).1
    }

    /// `self^e mod m` (square and multiply).
    pub(crate) fn modpow(&self, e: &Nat, m: &Nat) -> Nat {
        let base = self.rem(m);
        let mut acc = Nat::from_u32(1).rem(m);
        for i in (0..e.bits()).rev() {
            acc = acc.mul(&acc).rem(m);
            if e.bit(i) {
                acc = acc.mul(&base).rem(m);
            }
        }
        acc
    }

    /// The inverse of `self` modulo `m`, in `0..m`, when they are coprime (extended Euclid,
    /// with the coefficients kept modulo `m` so nothing goes negative).
    pub(crate) fn modinv(&self, m: &Nat) -> Option<Nat> {
        let (mut r0, mut r1) = (m.clone(), self.rem(m));
        let (mut t0, mut t1) = (Nat::default(), Nat::from_u32(1).rem(m));
        while !r1.is_zero() {
            let (q, r) = r0.divrem(&r1);
            let qt = q.mul(&t1).rem(m);
            let t = t0.add(m).sub(&qt).rem(m);
            (r0, r1) = (r1, r);
            (t0, t1) = (t1, t);
        }
        r0.is_one().then_some(t0)
    }
}

impl Ord for Nat {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.len().cmp(&o.0.len()).then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }
}

impl PartialOrd for Nat {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// `limbs << shift` (shift < 32) into `len` limbs.
fn shl(limbs: &[u32], shift: u32, len: usize) -> Vec<u32> {
    let mut out = vec![0u32; len];
    let mut carry = 0u32;
    for (i, l) in limbs.iter().enumerate() {
        out[i] = (l << shift) | carry;
        carry = if shift == 0 { 0 } else { l >> (32 - shift) };
    }
    if let Some(slot) = out.get_mut(limbs.len()) {
        *slot = carry;
    }
    out
}

/// `limbs >> shift` (shift < 32).
fn shr(limbs: &[u32], shift: u32) -> Vec<u32> {
    if shift == 0 {
        return limbs.to_vec();
    }
    (0..limbs.len()).map(|i| (limbs[i] >> shift) | limbs.get(i + 1).map_or(0, |h| h << (32 - shift))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: u128) -> Nat {
        Nat::from_be(&v.to_be_bytes())
    }

    #[test]
    fn arithmetic_agrees_with_u128() {
        let vals: [u128; 9] = [
            0,
            1,
            2,
            0xffff_ffff,
            1 << 32,
            0x1_0000_0001,
            u64::MAX as u128,
            0xdead_beef_cafe_babe_1234_5678,
            u128::MAX >> 1,
        ];
        for &a in &vals {
            assert_eq!(Nat::from_be(&n(a).to_be()), n(a));
            for &b in &vals {
                assert_eq!(n(a).cmp(&n(b)), a.cmp(&b));
                if let Some(s) = a.checked_add(b) {
                    assert_eq!(n(a).add(&n(b)), n(s));
                }
                if a >= b {
                    assert_eq!(n(a).sub(&n(b)), n(a - b));
                }
                if let Some(p) = a.checked_mul(b) {
                    assert_eq!(n(a).mul(&n(b)), n(p));
                }
                if b != 0 {
                    assert_eq!(n(a).divrem(&n(b)), (n(a / b), n(a % b)), "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn long_division_and_inverses() {
        // (2^255 - 19) * (2^127 - 1) + 12345, divided back.
        let p = Nat::from_hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed");
        let q = Nat::from_hex("7fffffffffffffffffffffffffffffff");
        let x = p.mul(&q).add(&Nat::from_u32(12345));
        assert_eq!(x.divrem(&p), (q.clone(), Nat::from_u32(12345)));
        assert_eq!(x.divrem(&q).1, Nat::from_u32(12345).rem(&q));
        let a = Nat::from_hex("123456789abcdef0fedcba9876543210");
        let inv = a.modinv(&p).expect("p is prime");
        assert!(a.mul(&inv).rem(&p).is_one());
        // Fermat agrees.
        assert_eq!(a.modpow(&p.sub(&Nat::from_u32(2)), &p), inv);
        assert_eq!(Nat::from_u32(6).modinv(&Nat::from_u32(9)), None);
        assert_eq!(Nat::from_u32(4).to_be_padded(3), Some(vec![0, 0, 4]));
        assert_eq!(Nat::from_hex("010000").to_be_padded(2), None);
    }
}
