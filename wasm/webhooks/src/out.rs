//! JSON text written by hand: the few shapes this module answers, without serde_json.

/// A JSON document being written.
pub(crate) struct Json(String);

impl Json {
    pub fn new() -> Self {
        Json(String::new())
    }

    pub fn with_capacity(n: usize) -> Self {
        Json(String::with_capacity(n))
    }

    /// Text that is JSON already.
    pub fn raw(&mut self, s: &str) -> &mut Self {
        self.0.push_str(s);
        self
    }

    pub fn number(&mut self, mut n: u64) -> &mut Self {
        // Most numbers of an answer are one digit (an edit's op, most fields and values).
        if n < 10 {
            self.0.push(char::from(b'0' + n as u8));
            return self;
        }
        // Digits by hand: one per edit of a big batch, and `to_string` allocates each.
        let mut buf = [0u8; 20];
        let mut at = buf.len();
        while at > 0 {
            at -= 1;
            if let Some(slot) = buf.get_mut(at) {
                *slot = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &b in buf.get(at..).unwrap_or_default() {
            self.0.push(char::from(b));
        }
        self
    }

    /// A string, quoted and escaped (`"`, `\` and control characters; the rest as UTF-8).
    pub fn string(&mut self, s: &str) -> &mut Self {
        if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
            self.0.push('"');
            self.0.push_str(s);
            self.0.push('"');
            return self;
        }
        self.0.push('"');
        for c in s.chars() {
            match c {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                '\n' => self.0.push_str("\\n"),
                '\r' => self.0.push_str("\\r"),
                '\t' => self.0.push_str("\\t"),
                c if u32::from(c) < 0x20 => {
                    self.0.push_str(&format!("\\u{:04x}", u32::from(c)));
                }
                c => self.0.push(c),
            }
        }
        self.0.push('"');
        self
    }

    pub fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        let mut j = Json::new();
        j.string("a\"b\\c\n\u{1}č").string("plain").number(0).number(u64::MAX);
        assert_eq!(j.finish(), "\"a\\\"b\\\\c\\n\\u0001č\"\"plain\"018446744073709551615");
    }
}
