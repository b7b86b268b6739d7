//! Base64 with the semantics of Go's `encoding/base64.StdEncoding`: the Kubernetes API server
//! decodes Secret `data` with it, and Go's `encoding/pem` decodes PEM bodies with it, so routec
//! accepts exactly what they accept.
//!
//! It is here rather than a crate to keep the wasm module small: one table-driven codec of a few
//! hundred bytes, with none of a general-purpose engine's configurations.
//!
//! Like Go (and unlike a strict decoder) it accepts nonzero unused bits in the last symbol
//! (`QR==` is `A`), because `StdEncoding` is not `.Strict()`; and it skips `\r` and `\n`
//! anywhere, as Go's decoder does.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks bytes outside the alphabet in [`DECODE`].
const INVALID: u8 = 0xff;

/// Symbol values by byte: a 256-entry table, so any input byte indexes it.
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Input that is not standard padded base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("illegal base64 data at input byte {offset}")]
pub struct DecodeError {
    /// The offset of the offending byte in the input, or the input's length when the input ends
    /// in the middle of a quantum.
    pub offset: usize,
}

/// Encodes `bytes` with the standard alphabet and `=` padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 4];
        for (g, b) in group.iter_mut().skip(1).zip(chunk) {
            *g = *b;
        }
        let bits = u32::from_be_bytes(group);
        // n input bytes fill n + 1 symbols; the rest of the quantum is padding.
        for i in 0..4 {
            if i <= chunk.len() {
                // Masked to six bits, so always inside the 64-entry alphabet.
                out.push(char::from(ALPHABET[(bits >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard padded base64 as Go's `StdEncoding.DecodeString` does: the text (without
/// `\r` and `\n`) is whole quanta of four symbols, the last of which may end in `=` or `==`.
pub fn decode(text: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut quantum = 0u32;
    let mut symbols = 0u32;
    let mut padding = 0u32;
    for (offset, &b) in text.iter().enumerate() {
        match b {
            b'\r' | b'\n' => {}
            // Padding fills the third and fourth places of the final quantum only.
            b'=' if symbols >= 2 && symbols + padding < 4 => padding += 1,
            _ => {
                let value = DECODE[usize::from(b)];
                // Nothing but padding and line breaks may follow padding.
                if value == INVALID || padding > 0 {
                    return Err(DecodeError { offset });
                }
                quantum = quantum << 6 | u32::from(value);
                symbols += 1;
                if symbols == 4 {
                    out.extend_from_slice(&quantum.to_be_bytes()[1..]);
                    (quantum, symbols) = (0, 0);
                }
            }
        }
    }
    match symbols + padding {
        0 => Ok(out),
        // Two or three symbols, then padding.
        4 => {
            // Left-align the symbols in 24 bits; the unused low bits are dropped, not checked.
            let bytes = (quantum << (6 * padding)).to_be_bytes();
            out.extend(bytes.iter().skip(1).take(symbols as usize - 1));
            Ok(out)
        }
        _ => Err(DecodeError { offset: text.len() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine as _;

    const RFC4648: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    fn err(offset: usize) -> Result<Vec<u8>, DecodeError> {
        Err(DecodeError { offset })
    }

    #[test]
    fn rfc4648_vectors() {
        for (plain, coded) in RFC4648 {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded.as_bytes()), Ok(plain.as_bytes().to_vec()), "{coded}");
        }
    }

    #[test]
    fn padding_is_required_and_final() {
        assert_eq!(decode(b"Zg"), err(2));
        assert_eq!(decode(b"Zg="), err(3));
        assert_eq!(decode(b"Zm8"), err(3));
        assert_eq!(decode(b"Z"), err(1));
        assert_eq!(decode(b"Z==="), err(1));
        assert_eq!(decode(b"===="), err(0));
        assert_eq!(decode(b"Zg==="), err(4));
        assert_eq!(decode(b"Zm8=="), err(4));
        assert_eq!(decode(b"Zg==Zm8="), err(4));
        assert_eq!(decode(b"Zg=a"), err(3));
        assert_eq!(decode(b"Zm9v="), err(4));
    }

    #[test]
    fn rejects_bytes_outside_the_alphabet() {
        assert_eq!(decode(b"Zm9v Yg=="), err(4));
        assert_eq!(decode(b"Zm9-"), err(3));
        assert_eq!(decode(b"Zm9\t"), err(3));
        assert_eq!(decode("Zm9é".as_bytes()), err(3));
    }

    #[test]
    fn skips_line_breaks_anywhere() {
        assert_eq!(decode(b"\r\nZm\r9v\nYg=\r\n=\n"), Ok(b"foob".to_vec()));
        assert_eq!(decode(b"\n\r\n"), Ok(Vec::new()));
    }

    #[test]
    fn accepts_trailing_bits_like_go() {
        assert_eq!(decode(b"QR=="), Ok(vec![0x41]));
        assert_eq!(decode(b"QUJ="), Ok(vec![0x41, 0x42]));
        assert_eq!(decode(b"Zh=="), Ok(b"f".to_vec()));
    }

    /// xorshift64: deterministic inputs without a random-number crate.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Mostly alphabet symbols, with padding, line breaks and junk mixed in.
    fn random_text(rng: &mut Rng) -> Vec<u8> {
        let len = rng.below(64);
        (0..len)
            .map(|_| match rng.below(20) {
                0..=13 => ALPHABET[rng.below(64)],
                14 | 15 => b'=',
                16 => b'\n',
                17 => b'\r',
                _ => rng.next() as u8,
            })
            .collect()
    }

    /// A valid encoding, sometimes with one byte changed, dropped or inserted: random text alone
    /// is rarely valid, and the edge cases sit next to valid input.
    fn near_valid_text(rng: &mut Rng) -> Vec<u8> {
        let bytes: Vec<u8> = (0..rng.below(48)).map(|_| rng.next() as u8).collect();
        let mut text = encode(&bytes).into_bytes();
        let at = rng.below(text.len() + 1);
        let junk = [b'=', b'\n', b'\r', b' ', b'A', b'-', ALPHABET[rng.below(64)]][rng.below(7)];
        match rng.below(4) {
            0 => {}
            1 if at < text.len() => text[at] = junk,
            2 if at < text.len() => {
                text.remove(at);
            }
            _ => text.insert(at, junk),
        }
        text
    }

    #[test]
    fn matches_the_base64_crate_with_go_settings() {
        let config = GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical);
        let engine = GeneralPurpose::new(&base64::alphabet::STANDARD, config);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut accepted = 0;
        for i in 0..60_000 {
            let text = if i % 2 == 0 { random_text(&mut rng) } else { near_valid_text(&mut rng) };
            let stripped: Vec<u8> = text.iter().copied().filter(|b| !matches!(b, b'\r' | b'\n')).collect();
            let ours = decode(&text).ok();
            assert_eq!(ours, engine.decode(&stripped).ok(), "{:?}", String::from_utf8_lossy(&text));
            accepted += usize::from(ours.is_some());
        }
        // Both outcomes must be well represented for the comparison to mean something.
        assert!((10_000..50_000).contains(&accepted), "{accepted} accepted");
    }

    #[test]
    fn encode_roundtrips_and_matches_the_base64_crate() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let text = encode(&bytes);
            assert_eq!(text, base64::engine::general_purpose::STANDARD.encode(&bytes));
            assert_eq!(decode(text.as_bytes()), Ok(bytes));
        }
    }
}
