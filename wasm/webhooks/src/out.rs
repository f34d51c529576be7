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

    pub fn number(&mut self, n: u64) -> &mut Self {
        self.0.push_str(&n.to_string());
        self
    }

    /// A string, quoted and escaped (`"`, `\` and control characters; the rest as UTF-8).
    pub fn string(&mut self, s: &str) -> &mut Self {
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
        j.string("a\"b\\c\n\u{1}č");
        assert_eq!(j.finish(), "\"a\\\"b\\\\c\\n\\u0001č\"");
    }
}
