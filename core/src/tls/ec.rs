//! P-256 and P-384 for the certificate checks: SEC1 point decoding, the public key of a secret
//! scalar, and ECDSA verification over a prehashed message. The rules (which encodings are
//! accepted, how a hash is truncated, what is rejected) are those of the RustCrypto `p256`,
//! `p384` and `ecdsa` crates routec used before, which `tests` compares this with; the
//! arithmetic is plain Jacobian-coordinate double-and-add on `bignum`, which is small.

use super::bignum::Nat;

/// A short Weierstrass curve y² = x³ − 3x + b over GF(p) with a base point of prime order n.
pub(crate) struct Curve {
    p: Nat,
    n: Nat,
    b: Nat,
    g: (Nat, Nat),
    /// Bytes of a field element (and of a scalar).
    pub(crate) size: usize,
}

impl Curve {
    pub(crate) fn p256() -> Self {
        Self {
            p: Nat::from_hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
            n: Nat::from_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
            b: Nat::from_hex("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
            g: (
                Nat::from_hex("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
                Nat::from_hex("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
            ),
            size: 32,
        }
    }

    pub(crate) fn p384() -> Self {
        Self {
            p: Nat::from_hex(concat!(
                "ffffffffffffffffffffffffffffffffffffffffffffffff",
                "fffffffffffffffeffffffff0000000000000000ffffffff"
            )),
            n: Nat::from_hex(concat!(
                "ffffffffffffffffffffffffffffffffffffffffffffffff",
                "c7634d81f4372ddf581a0db248b0a77aecec196accc52973"
            )),
            b: Nat::from_hex(concat!(
                "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe814112",
                "0314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef"
            )),
            g: (
                Nat::from_hex(concat!(
                    "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b98",
                    "59f741e082542a385502f25dbf55296c3a545e3872760ab7"
                )),
                Nat::from_hex(concat!(
                    "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147c",
                    "e9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f"
                )),
            ),
            size: 48,
        }
    }

    /// A secret scalar from its SEC1 bytes: the field size, or shorter down to 24 bytes
    /// (left-padded), nonzero and below n.
    pub(crate) fn secret_scalar(&self, bytes: &[u8]) -> Option<Nat> {
        if bytes.len() > self.size || bytes.len() < 24 {
            return None;
        }
        let k = Nat::from_be(bytes);
        (!k.is_zero() && k < self.n).then_some(k)
    }

    /// The public point `k`·G of a secret scalar.
    pub(crate) fn public_point(&self, k: &Nat) -> Option<(Nat, Nat)> {
        self.to_affine(&self.mul(&self.jacobian(&self.g), k))
    }

    /// SEC1 encoding of an affine point, uncompressed or compressed.
    pub(crate) fn encode(&self, x: &Nat, y: &Nat, compressed: bool) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(1 + 2 * self.size);
        if compressed {
            out.push(if y.is_odd() { 3 } else { 2 });
            out.extend(x.to_be_padded(self.size)?);
        } else {
            out.push(4);
            out.extend(x.to_be_padded(self.size)?);
            out.extend(y.to_be_padded(self.size)?);
        }
        Some(out)
    }

    /// Decodes a SEC1 point that is a valid public key: on the curve, not the identity.
    /// Uncompressed (4), compressed (2, 3) and compact (5, x alone, the smaller y) encodings.
    pub(crate) fn decode_point(&self, bytes: &[u8]) -> Option<(Nat, Nat)> {
        let (&tag, rest) = bytes.split_first()?;
        let field = |b: &[u8]| Some(Nat::from_be(b)).filter(|v| *v < self.p);
        match (tag, rest.len()) {
            (4, l) if l == 2 * self.size => {
                let (x, y) = (field(&rest[..self.size])?, field(&rest[self.size..])?);
                (self.sqr(&y) == self.rhs(&x)).then_some((x, y))
            }
            (2 | 3, l) if l == self.size => self.decompress(field(rest)?, tag == 3),
            (5, l) if l == self.size => {
                let (x, y) = self.decompress(field(rest)?, false)?;
                let neg = self.p.sub(&y).rem(&self.p);
                Some((x, if neg < y { neg } else { y }))
            }
            _ => None,
        }
    }

    /// ECDSA verification of a DER-decoded signature (`r`, `s` big-endian) over `prehash`,
    /// with the hash truncated to the field size or left-padded, and refused when shorter
    /// than half of it.
    pub(crate) fn verify_prehash(&self, q: &(Nat, Nat), prehash: &[u8], r: &[u8], s: &[u8]) -> bool {
        if prehash.len() < self.size / 2 || r.len() > self.size || s.len() > self.size {
            return false;
        }
        let (r, s) = (Nat::from_be(r), Nat::from_be(s));
        if r.is_zero() || s.is_zero() || r >= self.n || s >= self.n {
            return false;
        }
        let z = Nat::from_be(&prehash[..prehash.len().min(self.size)]).rem(&self.n);
        let Some(s_inv) = s.modinv(&self.n) else { return false };
        let u1 = z.mul(&s_inv).rem(&self.n);
        let u2 = r.mul(&s_inv).rem(&self.n);
        let sum = self.add(&self.mul(&self.jacobian(&self.g), &u1), &self.mul(&self.jacobian(q), &u2));
        // The identity has x = 0 here, as in the crates, which never equals a nonzero r.
        let x = self.to_affine(&sum).map_or_else(Nat::default, |(x, _)| x);
        x.rem(&self.n) == r
    }

    fn decompress(&self, x: Nat, odd: bool) -> Option<(Nat, Nat)> {
        let alpha = self.rhs(&x);
        // p ≡ 3 (mod 4) for both curves: a square root is alpha^((p+1)/4).
        let exp = self.p.add(&Nat::from_u32(1)).divrem(&Nat::from_u32(4)).0;
        let beta = alpha.modpow(&exp, &self.p);
        if self.sqr(&beta) != alpha {
            return None;
        }
        let y = if beta.is_odd() == odd { beta } else { self.p.sub(&beta).rem(&self.p) };
        Some((x, y))
    }

    /// x³ − 3x + b.
    fn rhs(&self, x: &Nat) -> Nat {
        let x3 = self.fmul(&self.sqr(x), x);
        let three_x = self.fmul(&Nat::from_u32(3), x);
        self.fadd(&self.fsub(&x3, &three_x), &self.b)
    }

    fn fadd(&self, a: &Nat, b: &Nat) -> Nat {
        a.add(b).rem(&self.p)
    }

    fn fsub(&self, a: &Nat, b: &Nat) -> Nat {
        if a >= b {
            a.sub(b)
        } else {
            a.add(&self.p).sub(b)
        }
    }

    fn fmul(&self, a: &Nat, b: &Nat) -> Nat {
        a.mul(b).rem(&self.p)
    }

    fn sqr(&self, a: &Nat) -> Nat {
        self.fmul(a, a)
    }

    fn jacobian(&self, (x, y): &(Nat, Nat)) -> Jac {
        Jac { x: x.clone(), y: y.clone(), z: Nat::from_u32(1) }
    }

    fn to_affine(&self, p: &Jac) -> Option<(Nat, Nat)> {
        if p.z.is_zero() {
            return None;
        }
        let zi = p.z.modpow(&self.p.sub(&Nat::from_u32(2)), &self.p);
        let zi2 = self.sqr(&zi);
        Some((self.fmul(&p.x, &zi2), self.fmul(&p.y, &self.fmul(&zi2, &zi))))
    }

    fn double(&self, p: &Jac) -> Jac {
        if p.z.is_zero() || p.y.is_zero() {
            return Jac::identity();
        }
        // dbl-2001-b (a = −3).
        let delta = self.sqr(&p.z);
        let gamma = self.sqr(&p.y);
        let beta = self.fmul(&p.x, &gamma);
        let alpha = self.fmul(&Nat::from_u32(3), &self.fmul(&self.fsub(&p.x, &delta), &self.fadd(&p.x, &delta)));
        let x = self.fsub(&self.sqr(&alpha), &self.fmul(&Nat::from_u32(8), &beta));
        let z = self.fsub(&self.fsub(&self.sqr(&self.fadd(&p.y, &p.z)), &gamma), &delta);
        let y = self.fsub(
            &self.fmul(&alpha, &self.fsub(&self.fmul(&Nat::from_u32(4), &beta), &x)),
            &self.fmul(&Nat::from_u32(8), &self.sqr(&gamma)),
        );
        Jac { x, y, z }
    }

    fn add(&self, a: &Jac, b: &Jac) -> Jac {
        if a.z.is_zero() {
            return b.clone();
        }
        if b.z.is_zero() {
            return a.clone();
        }
        let (z1z1, z2z2) = (self.sqr(&a.z), self.sqr(&b.z));
        let u1 = self.fmul(&a.x, &z2z2);
        let u2 = self.fmul(&b.x, &z1z1);
        let s1 = self.fmul(&a.y, &self.fmul(&b.z, &z2z2));
        let s2 = self.fmul(&b.y, &self.fmul(&a.z, &z1z1));
        let h = self.fsub(&u2, &u1);
        let r = self.fsub(&s2, &s1);
        if h.is_zero() {
            return if r.is_zero() { self.double(a) } else { Jac::identity() };
        }
        let h2 = self.sqr(&h);
        let h3 = self.fmul(&h, &h2);
        let u1h2 = self.fmul(&u1, &h2);
        let x = self.fsub(&self.fsub(&self.sqr(&r), &h3), &self.fadd(&u1h2, &u1h2));
        let y = self.fsub(&self.fmul(&r, &self.fsub(&u1h2, &x)), &self.fmul(&s1, &h3));
        let z = self.fmul(&h, &self.fmul(&a.z, &b.z));
        Jac { x, y, z }
    }

    fn mul(&self, p: &Jac, k: &Nat) -> Jac {
        let mut acc = Jac::identity();
        for i in (0..k.bits()).rev() {
            acc = self.double(&acc);
            if k.bit(i) {
                acc = self.add(&acc, p);
            }
        }
        acc
    }
}

/// A point in Jacobian coordinates (x/z², y/z³); z = 0 is the identity.
#[derive(Clone)]
struct Jac {
    x: Nat,
    y: Nat,
    z: Nat,
}

impl Jac {
    fn identity() -> Self {
        Self { x: Nat::from_u32(1), y: Nat::from_u32(1), z: Nat::default() }
    }
}
