//! Numbers as text without `core::fmt`: integers digit by digit, floats from zmij's shortest
//! digits (serde_json's own float writer).
//!
//! The webhook module (`shopflow/webhooks`) writes a number given where text is expected, and
//! names numbers in its errors, as `parse_webhook` does. Through `fmt` that took core's float
//! formatting (Grisu and Dragon, 20 KB of WebAssembly) and most of `core::fmt`; these write
//! the same text by hand. The tests hold them to `to_string` and to serde_json.

/// Appends `n` in decimal (as `n.to_string()`).
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    for &b in buf.get(at..).unwrap_or_default() {
        out.push(char::from(b));
    }
}

/// Appends `n` in decimal (as `n.to_string()`).
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// `n` in decimal.
#[must_use]
pub fn u64_text(n: u64) -> String {
    let mut s = String::new();
    push_u64(&mut s, n);
    s
}

/// Appends `v` as serde_json names a float in an error (`1.0`, `1.5e+20`, `1e-7`): zmij's
/// text, which is what serde_json writes there.
pub fn push_f64_json(out: &mut String, v: f64) {
    out.push_str(zmij::Buffer::new().format(v));
}

/// Appends `v` as `v.to_string()` writes it: the shortest digits that read back as `v`, in
/// plain decimal notation however large or small (`100000000000000000000`, `0.0000001`,
/// `-0`, `NaN`, `inf`).
#[inline(never)]
pub fn push_f64(out: &mut String, v: f64) {
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format(v);
    if !v.is_finite() {
        out.push_str(text);
        return;
    }
    // zmij writes `-`, digits with an optional `.fraction`, and an optional `e±exponent`.
    let (neg, text) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let (exp_neg, exp_digits) = match exp.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, exp.trim_start_matches('+')),
    };
    let mut exp: i64 = 0;
    for b in exp_digits.bytes() {
        exp = exp * 10 + i64::from(b.wrapping_sub(b'0'));
    }
    if exp_neg {
        exp = -exp;
    }
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The digits, and where the point goes among them.
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).collect();
    let mut point = int.len() as i64 + exp;
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    digits.drain(..leading);
    point -= leading as i64;
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if is_midpoint(v, &digits, point) {
        round_up(&mut digits, &mut point);
    }
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
        return;
    }
    let push_zeros = |out: &mut String, n: i64| {
        for _ in 0..n {
            out.push('0');
        }
    };
    let len = digits.len() as i64;
    let text = |d: &[u8]| std::str::from_utf8(d).unwrap_or_default().to_owned();
    if point <= 0 {
        out.push_str("0.");
        push_zeros(out, -point);
        out.push_str(&text(&digits));
    } else if point >= len {
        out.push_str(&text(&digits));
        push_zeros(out, point - len);
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(&text(a));
        out.push('.');
        out.push_str(&text(b));
    }
}

/// Whether `v` lies exactly halfway between `digits` and the next number of as many digits
/// (`0.digits × 10^point`; both then read back as `v`). zmij then writes the even one, Rust's
/// `Display` the upper one. Exact in integers: `v = m × 2^e` with `m` odd equals the midpoint
/// `d5 × 10^q` (`d5` the digits and a 5, so odd) only when `q = e` and the fives match.
fn is_midpoint(v: f64, digits: &[u8], point: i64) -> bool {
    let bits = v.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mut m, mut e) =
        if biased == 0 { (fraction, -1074) } else { (fraction | (1 << 52), biased - 1075) };
    if m == 0 {
        return false;
    }
    let zeros = m.trailing_zeros();
    m >>= zeros;
    e += i64::from(zeros);
    let mut d5: u128 = 0;
    for &d in digits {
        d5 = d5 * 10 + u128::from(d.wrapping_sub(b'0'));
    }
    d5 = d5 * 10 + 5;
    let q = point - digits.len() as i64 - 1;
    if q != e || q.unsigned_abs() > 40 {
        return false;
    }
    let five = 5u128.checked_pow(q.unsigned_abs() as u32);
    let (small, large) = if q >= 0 { (d5, u128::from(m)) } else { (u128::from(m), d5) };
    five.and_then(|f| small.checked_mul(f)) == Some(large)
}

/// Adds one in the last place of `0.digits × 10^point`.
fn round_up(digits: &mut Vec<u8>, point: &mut i64) {
    while let Some(last) = digits.pop() {
        if last < b'9' {
            digits.push(last + 1);
            return;
        }
    }
    // All nines: 0.99…9 × 10^p rounds to 0.1 × 10^(p+1).
    digits.push(b'1');
    *point += 1;
}

/// `v` as `v.to_string()` writes it.
#[must_use]
pub fn f64_text(v: f64) -> String {
    let mut s = String::new();
    push_f64(&mut s, v);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn display(v: f64) -> String {
        f64_text(v)
    }

    fn json(v: f64) -> String {
        let mut s = String::new();
        push_f64_json(&mut s, v);
        s
    }

    #[test]
    fn floats_read_as_to_string_writes_them() {
        let mut cases = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.3,
            1.5,
            100.0,
            1e15,
            1e16,
            1e20,
            1e21,
            1e22,
            1e23,
            1e-5,
            1e-6,
            1e-7,
            123_456.789,
            9_007_199_254_740_993.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            -5e-324,
            2.225_073_858_507_201e-308,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut x = 1.234_567_891_234_5e-300_f64;
        while x.is_finite() {
            cases.extend([x, -x, x.round(), 1.0 / x]);
            x *= 3.7;
        }
        for e in -1074..1024 {
            let p = 2f64.powi(e);
            let b = p.to_bits();
            cases.extend([p, p * 3.0, f64::from_bits(b + 1), f64::from_bits(b.saturating_sub(1))]);
        }
        for v in cases {
            assert_eq!(display(v), v.to_string(), "{v:e}");
        }
    }

    #[test]
    fn integers_read_as_to_string_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, u64::MAX, u64::MAX / 10, 1 << 53] {
            assert_eq!(u64_text(n), n.to_string());
        }
        for n in [0, -1, 7, i64::MIN, i64::MAX, -1_000_000] {
            let mut s = String::new();
            push_i64(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn floats_are_named_as_serde_json_names_them() {
        for v in [1.5, -0.0, 1e20, 1e-7, 123.456, 1e300, 5e-324] {
            let text = format!("{v:e}");
            let v: f64 = serde_json::from_str(&text).unwrap();
            let theirs = serde_json::from_str::<bool>(&text).unwrap_err().to_string();
            let ours = format!("floating point `{}`", json(v));
            assert!(theirs.contains(&ours), "{theirs} / {ours}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200_000))]

        #[test]
        fn any_float_reads_as_to_string_writes_it(bits in any::<u64>()) {
            let v = f64::from_bits(bits);
            prop_assert_eq!(display(v), v.to_string());
        }

        #[test]
        fn floats_near_whole_numbers_read_as_to_string_writes_them(
            exp in 1040u64..1140,
            fraction in any::<u64>(),
        ) {
            // Around 2^-35 to 2^64: where a float can lie exactly between two candidates.
            let v = f64::from_bits((exp << 52) | (fraction & ((1 << 52) - 1)));
            prop_assert_eq!(display(v), v.to_string());
        }

        #[test]
        fn any_integer_reads_as_to_string_writes_it(n in any::<i64>(), u in any::<u64>()) {
            let mut s = String::new();
            push_i64(&mut s, n);
            prop_assert_eq!(s, n.to_string());
            prop_assert_eq!(u64_text(u), u.to_string());
        }

        #[test]
        fn decimal_texts_read_as_to_string_writes_them(m in 0u64..100_000_000_000, e in -30i32..30) {
            let v: f64 = format!("{m}e{e}").parse().unwrap();
            prop_assert_eq!(display(v), v.to_string());
        }
    }
}
