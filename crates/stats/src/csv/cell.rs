//! Reading one cell: blank is missing, otherwise an integer or a decimal number.

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cell {
    /// Blank (empty or only spaces and tabs).
    Missing,
    /// A finite number.
    Value(f64),
    /// Anything else.
    Invalid,
}

/// Reads a cell. Integers of up to 15 digits take a fast path that never touches UTF-8 or the
/// float parser; other numbers must match `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
/// before `f64::from_str` sees them, so `inf`, `NaN` and hex are rejected.
#[inline]
pub(super) fn parse(field: &[u8]) -> Cell {
    let field = trim(field);
    if field.is_empty() {
        return Cell::Missing;
    }
    let (negative, digits) = match field[0] {
        b'-' => (true, &field[1..]),
        b'+' => (false, &field[1..]),
        _ => (false, field),
    };
    if !digits.is_empty() && digits.len() <= 15 {
        let mut v: i64 = 0;
        let mut integer = true;
        for &b in digits {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                integer = false;
                break;
            }
            v = v * 10 + i64::from(d);
        }
        if integer {
            return Cell::Value((if negative { -v } else { v }) as f64);
        }
    }
    parse_decimal(field)
}

fn parse_decimal(field: &[u8]) -> Cell {
    if !is_decimal(field) {
        return Cell::Invalid;
    }
    match std::str::from_utf8(field)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        // Adding 0.0 turns −0 into +0, so "-0.0" and "0" give the same sums.
        Some(v) if v.is_finite() => Cell::Value(v + 0.0),
        _ => Cell::Invalid,
    }
}

fn is_decimal(s: &[u8]) -> bool {
    let mut i = 0;
    if matches!(s.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_digits = count_digits(&s[i..]);
    i += int_digits;
    let mut frac_digits = 0;
    if s.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = count_digits(&s[i..]);
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = count_digits(&s[i..]);
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == s.len()
}

fn count_digits(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        let cases: &[(&str, Cell)] = &[
            ("", Cell::Missing),
            ("  \t", Cell::Missing),
            ("3", Cell::Value(3.0)),
            (" 3 ", Cell::Value(3.0)),
            ("-2", Cell::Value(-2.0)),
            ("+7", Cell::Value(7.0)),
            ("-0", Cell::Value(0.0)),
            ("2.5", Cell::Value(2.5)),
            ("-.5", Cell::Value(-0.5)),
            ("4.", Cell::Value(4.0)),
            ("1e3", Cell::Value(1000.0)),
            (
                "1234567890123456789",
                Cell::Value(1_234_567_890_123_456_789.0),
            ),
            ("NA", Cell::Invalid),
            ("nan", Cell::Invalid),
            ("inf", Cell::Invalid),
            ("-", Cell::Invalid),
            (".", Cell::Invalid),
            ("1e", Cell::Invalid),
            ("1e999", Cell::Invalid),
            ("0x10", Cell::Invalid),
            ("3 4", Cell::Invalid),
            ("2,5", Cell::Invalid),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text.as_bytes()), *want, "{text:?}");
        }
    }
}
