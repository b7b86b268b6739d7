//! UTCTime and GeneralizedTime as `asn1-rs` reads a certificate's validity: the forms it
//! accepts (seconds optional, `Z` or a `±hhmm` offset, up to three fraction digits in
//! GeneralizedTime, which DER requires to end in `Z`), UTCTime years 50–99 as 19xx and 00–49
//! as 20xx (RFC 5280), and the result as seconds since the epoch.

use super::der::{self, Mode, GENERALIZED_TIME, UTC_TIME};

/// Reads one Time; returns epoch seconds and what follows.
pub(crate) fn read(i: &[u8]) -> Option<(i64, &[u8])> {
    let (t, rest) = der::read(i, Mode::Lax)?;
    if !t.content.iter().all(|b| (0x20..=0x7f).contains(b)) {
        return None;
    }
    let secs = match t.number {
        UTC_TIME => {
            let (yy, rest) = two(t.content)?;
            let year = if yy >= 50 { 1900 + i64::from(yy) } else { 2000 + i64::from(yy) };
            fields(year, rest, false)?
        }
        GENERALIZED_TIME => {
            if t.content.last() != Some(&b'Z') || t.content.contains(&b',') {
                return None;
            }
            let (hi, rest) = two(t.content)?;
            let (lo, rest) = two(rest)?;
            fields(i64::from(hi) * 100 + i64::from(lo), rest, true)?
        }
        _ => return None,
    };
    Some((secs, rest))
}

/// Two decimal digits.
fn two(b: &[u8]) -> Option<(u8, &[u8])> {
    match b {
        [h, l, rest @ ..] if h.is_ascii_digit() && l.is_ascii_digit() => Some(((h - b'0') * 10 + (l - b'0'), rest)),
        _ => None,
    }
}

/// MMDDhhmm[ss][.fff](Z|±hhmm) after the year.
fn fields(year: i64, b: &[u8], generalized: bool) -> Option<i64> {
    let (month, b) = two(b)?;
    let (day, b) = two(b)?;
    let (hour, b) = two(b)?;
    let (minute, b) = two(b)?;
    if b.is_empty() {
        return None;
    }
    let (second, mut b) = if b.len() >= 2 { two(b)? } else { (0, b) };
    if month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    if generalized {
        if let [b'.', rest @ ..] = b {
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 || digits > 3 {
                return None;
            }
            b = rest.get(digits..)?;
        }
    }
    let offset = match b {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let (hh, _) = two(&[*h1, *h2])?;
            let (mm, _) = two(&[*m1, *m2])?;
            if hh > 25 || mm > 59 {
                return None;
            }
            // The `time` crate takes the minutes' sign from the hours, so "-0030" is +00:30.
            let (h, m) = (i64::from(hh), i64::from(mm));
            if *sign == b'-' && hh != 0 {
                -(h * 3600 + m * 60)
            } else {
                h * 3600 + m * 60
            }
        }
        _ => return None,
    };
    if month == 0 || day == 0 || u32::from(day) > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, i64::from(month), i64::from(day));
    Some(days * 86400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second) - offset)
}

fn days_in_month(year: i64, month: u8) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<i64> {
        let mut der = vec![0x17, s.len() as u8];
        der.extend_from_slice(s.as_bytes());
        read(&der).map(|(t, _)| t)
    }

    #[test]
    fn utc_time_forms() {
        assert_eq!(utc("700101000000Z"), Some(0));
        assert_eq!(utc("7001010000Z"), Some(0));
        assert_eq!(utc("491231235959Z"), Some(2_524_607_999));
        assert_eq!(utc("700101010000+0100"), Some(0));
        assert_eq!(utc("700101000000-0030"), Some(-1800));
        assert_eq!(utc("700230000000Z"), None);
        assert_eq!(utc("700101000000"), None);
    }
}
