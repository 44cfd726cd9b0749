//! A fast reader for the RON that scenario files are written in, for large files (issue 13).
//!
//! `ron` reads any RON and explains every mistake; on a 50 MB scenario it is most of the time a
//! check takes. This reader takes the plain subset teachers write — structs with or without
//! their name, `Line(id: …)` variants, lists, `"…"` strings with the common escapes, decimal
//! numbers, `true`/`false`, `Some(…)`/`None` or a bare value for an option, `//` and `/* */`
//! comments — and gives up (`Bail`) on anything else, and on any mistake: the caller then reads
//! the file with `ron`, which gives the real message with its line and column. So a file reads
//! to the same `Scenario` either way; a test compares both readers on every course file and on
//! mutated ones.
//!
//! Recursion follows the scenario types, not the input: a value nested deeper than the types
//! allow is a mistake, and the reader bails there.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

/// "Not in the subset (or not valid): read it with `ron`."
#[derive(Debug)]
pub struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not read by the fast reader")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Bail
    }
}

type R<T> = Result<T, Bail>;

/// Read a whole text as `T`; `Err(Bail)` when the text is not in the subset or not valid.
pub fn from_str<'de, T: de::Deserialize<'de>>(src: &'de str) -> R<T> {
    let mut d = Fast { src, b: src.as_bytes(), i: 0, unwrap: false };
    d.ws()?;
    let v = T::deserialize(&mut d)?;
    d.ws()?;
    if d.i == d.b.len() { Ok(v) } else { Err(Bail) }
}

pub struct Fast<'de> {
    src: &'de str,
    b: &'de [u8],
    i: usize,
    /// Inside `Variant(` or `Some(`: a struct's fields follow without brackets of their own
    /// (RON's `unwrap_variant_newtypes`).
    unwrap: bool,
}

fn ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'de> Fast<'de> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn at(&self, k: usize) -> Option<u8> {
        self.b.get(self.i + k).copied()
    }

    /// Whitespace and comments, as RON skips them.
    fn ws(&mut self) -> R<()> {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => self.i += 1,
                b'/' => match self.at(1) {
                    Some(b'/') => {
                        match self.b[self.i..].iter().position(|&c| c == b'\n') {
                            Some(k) => self.i += k,
                            // A line comment closing the file: RON treats it specially; leave it to RON.
                            None => return Err(Bail),
                        }
                    }
                    Some(b'*') => {
                        self.i += 2;
                        let mut level = 1usize;
                        while level > 0 {
                            match (self.peek(), self.at(1)) {
                                (None, _) => return Err(Bail),
                                (Some(b'/'), Some(b'*')) => {
                                    level += 1;
                                    self.i += 2;
                                }
                                (Some(b'*'), Some(b'/')) => {
                                    level -= 1;
                                    self.i += 2;
                                }
                                _ => self.i += 1,
                            }
                        }
                    }
                    _ => return Err(Bail),
                },
                c if c >= 0x80 => {
                    let ch = self.src.get(self.i..).and_then(|s| s.chars().next()).ok_or(Bail)?;
                    if matches!(ch, '\u{85}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}') {
                        self.i += ch.len_utf8();
                    } else {
                        return Ok(());
                    }
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    fn expect(&mut self, c: u8) -> R<()> {
        self.ws()?;
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// After a value in a list or struct: a comma, or the closing bracket (left in place).
    fn after_item(&mut self, close: u8) -> R<()> {
        self.ws()?;
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                Ok(())
            }
            Some(c) if c == close => Ok(()),
            _ => Err(Bail),
        }
    }

    /// A plain ASCII identifier (raw identifiers, byte strings and non-ASCII names bail).
    fn ident(&mut self) -> R<&'de str> {
        self.ws()?;
        let start = self.i;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {}
            _ => return Err(Bail),
        }
        if matches!(self.peek(), Some(b'r' | b'b')) && matches!(self.at(1), Some(b'"' | b'#' | b'\'')) {
            return Err(Bail);
        }
        while self.peek().is_some_and(ident_byte) {
            self.i += 1;
        }
        if self.peek().is_some_and(|c| c >= 0x80) {
            return Err(Bail);
        }
        self.src.get(start..self.i).ok_or(Bail)
    }

    /// Whether the identifier `word` comes next (whole, not a prefix of a longer name).
    fn sees_word(&mut self, word: &str) -> R<bool> {
        self.ws()?;
        let end = self.i + word.len();
        Ok(self.b.get(self.i..end) == Some(word.as_bytes()) && !self.b.get(end).is_some_and(|&c| ident_byte(c) || c >= 0x80))
    }

    /// A `"…"` string: borrowed when it has no escapes.
    fn string(&mut self) -> R<Cow<'de, str>> {
        self.ws()?;
        if self.peek() != Some(b'"') {
            return Err(Bail);
        }
        self.i += 1;
        let start = self.i;
        let rest = &self.b[start..];
        let Some(k) = rest.iter().position(|&c| c == b'"' || c == b'\\') else { return Err(Bail) };
        if rest[k] == b'"' {
            self.i = start + k + 1;
            return self.src.get(start..start + k).map(Cow::Borrowed).ok_or(Bail);
        }
        let mut out = String::with_capacity(k + 16);
        let mut from = start;
        loop {
            let Some(k) = self.b[from..].iter().position(|&c| c == b'"' || c == b'\\') else { return Err(Bail) };
            out.push_str(self.src.get(from..from + k).ok_or(Bail)?);
            let at = from + k;
            if self.b[at] == b'"' {
                self.i = at + 1;
                return Ok(Cow::Owned(out));
            }
            out.push(match self.b.get(at + 1) {
                Some(b'\\') => '\\',
                Some(b'"') => '"',
                Some(b'\'') => '\'',
                Some(b'n') => '\n',
                Some(b't') => '\t',
                Some(b'r') => '\r',
                Some(b'0') => '\0',
                _ => return Err(Bail),
            });
            from = at + 2;
        }
    }

    /// A decimal number's text: `-?digits`, or with `float` also `.digits` and an exponent.
    fn number(&mut self, float: bool) -> R<&'de str> {
        self.ws()?;
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |s: &mut Self| {
            let from = s.i;
            while s.peek().is_some_and(|c| c.is_ascii_digit()) {
                s.i += 1;
            }
            s.i - from
        };
        let n = digits(self);
        if n == 0 || (n > 1 && self.b[self.i - n] == b'0') {
            return Err(Bail);
        }
        if float {
            if self.peek() == Some(b'.') {
                self.i += 1;
                if digits(self) == 0 {
                    return Err(Bail);
                }
            }
            if matches!(self.peek(), Some(b'e' | b'E')) {
                self.i += 1;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.i += 1;
                }
                if digits(self) == 0 {
                    return Err(Bail);
                }
            }
        }
        if self.peek().is_some_and(|c| ident_byte(c) || c == b'.' || c >= 0x80) {
            return Err(Bail);
        }
        self.src.get(start..self.i).ok_or(Bail)
    }

    fn signed(&mut self) -> R<i64> {
        self.number(false)?.parse().map_err(|_| Bail)
    }

    fn unsigned(&mut self) -> R<u64> {
        let t = self.number(false)?;
        if t.starts_with('-') {
            return Err(Bail);
        }
        t.parse().map_err(|_| Bail)
    }

    fn take_unwrap(&mut self) -> bool {
        std::mem::replace(&mut self.unwrap, false)
    }
}

macro_rules! int {
    ($name:ident, $visit:ident, $t:ty, $read:ident) => {
        fn $name<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
            self.take_unwrap();
            let n = <$t>::try_from(self.$read()?).map_err(|_| Bail)?;
            v.$visit(n)
        }
    };
}

macro_rules! bail {
    ($($name:ident),*) => {
        $(fn $name<V: Visitor<'de>>(self, _v: V) -> R<V::Value> {
            Err(Bail)
        })*
    };
}

impl<'de> Deserializer<'de> for &mut Fast<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        let unwrap = self.take_unwrap();
        self.ws()?;
        match self.peek() {
            Some(b'"') => match self.string()? {
                Cow::Borrowed(s) => v.visit_borrowed_str(s),
                Cow::Owned(s) => v.visit_string(s),
            },
            Some(b'[') => self.deserialize_seq(v),
            // `(name: …)`: a struct-like map (a text's `(zh: …, en: …)`).
            Some(b'(') if !unwrap => {
                let save = self.i;
                self.i += 1;
                let named = self.ident().is_ok() && self.expect(b':').is_ok();
                self.i = save + 1;
                if !named {
                    return Err(Bail);
                }
                let value = v.visit_map(Fields { de: self })?;
                self.expect(b')')?;
                Ok(value)
            }
            Some(c) if c.is_ascii_digit() || c == b'-' => {
                let save = self.i;
                let t = self.number(false);
                if t.is_err() || self.peek() == Some(b'.') {
                    self.i = save;
                    return Err(Bail);
                }
                self.i = save;
                if c == b'-' { v.visit_i64(self.signed()?) } else { v.visit_u64(self.unsigned()?) }
            }
            _ if self.sees_word("true")? => {
                self.i += 4;
                v.visit_bool(true)
            }
            _ if self.sees_word("false")? => {
                self.i += 5;
                v.visit_bool(false)
            }
            _ => Err(Bail),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.take_unwrap();
        if self.sees_word("true")? {
            self.i += 4;
            v.visit_bool(true)
        } else if self.sees_word("false")? {
            self.i += 5;
            v.visit_bool(false)
        } else {
            Err(Bail)
        }
    }

    int!(deserialize_i8, visit_i8, i8, signed);
    int!(deserialize_i16, visit_i16, i16, signed);
    int!(deserialize_i32, visit_i32, i32, signed);
    int!(deserialize_i64, visit_i64, i64, signed);
    int!(deserialize_u8, visit_u8, u8, unsigned);
    int!(deserialize_u16, visit_u16, u16, unsigned);
    int!(deserialize_u32, visit_u32, u32, unsigned);
    int!(deserialize_u64, visit_u64, u64, unsigned);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.take_unwrap();
        v.visit_f32(self.number(true)?.parse().map_err(|_| Bail)?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.take_unwrap();
        v.visit_f64(self.number(true)?.parse().map_err(|_| Bail)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.take_unwrap();
        match self.string()? {
            Cow::Borrowed(s) => v.visit_borrowed_str(s),
            Cow::Owned(s) => v.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        if self.take_unwrap() {
            return Err(Bail);
        }
        if self.sees_word("None")? {
            self.i += 4;
            return v.visit_none();
        }
        if self.sees_word("Some")? {
            self.i += 4;
            self.expect(b'(')?;
            self.unwrap = true;
            let value = v.visit_some(&mut *self)?;
            self.unwrap = false;
            self.ws()?;
            if self.peek() == Some(b',') {
                self.i += 1;
            }
            self.expect(b')')?;
            return Ok(value);
        }
        v.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.take_unwrap();
        self.expect(b'(')?;
        self.expect(b')')?;
        v.visit_unit()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.take_unwrap();
        self.expect(b'[')?;
        let value = v.visit_seq(Items { de: self })?;
        self.expect(b']')?;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(self, name: &'static str, _fields: &'static [&'static str], v: V) -> R<V::Value> {
        if self.take_unwrap() {
            // `Line(id: …)`: the variant's brackets are the struct's.
            self.ws()?;
            if self.peek() == Some(b'(') {
                return Err(Bail);
            }
            return v.visit_map(Fields { de: self });
        }
        self.ws()?;
        if self.peek() != Some(b'(') {
            let found = self.ident()?;
            if name.is_empty() || found != name {
                return Err(Bail);
            }
        }
        self.expect(b'(')?;
        let value = v.visit_map(Fields { de: self })?;
        self.expect(b')')?;
        Ok(value)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _name: &'static str, _variants: &'static [&'static str], v: V) -> R<V::Value> {
        self.take_unwrap();
        v.visit_enum(Variant { de: self })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> R<V::Value> {
        self.take_unwrap();
        v.visit_borrowed_str(self.ident()?)
    }

    bail!(deserialize_char, deserialize_bytes, deserialize_byte_buf, deserialize_map, deserialize_ignored_any);

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, _v: V) -> R<V::Value> {
        Err(Bail)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, _v: V) -> R<V::Value> {
        Err(Bail)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, _v: V) -> R<V::Value> {
        Err(Bail)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _name: &'static str, _len: usize, _v: V) -> R<V::Value> {
        Err(Bail)
    }
}

/// `name: value, …` up to a `)` (left in place).
struct Fields<'a, 'de> {
    de: &'a mut Fast<'de>,
}

impl<'de> MapAccess<'de> for Fields<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> R<Option<K::Value>> {
        self.de.ws()?;
        if self.de.peek() == Some(b')') {
            return Ok(None);
        }
        let key = seed.deserialize(&mut *self.de)?;
        self.de.expect(b':')?;
        Ok(Some(key))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> R<S::Value> {
        let value = seed.deserialize(&mut *self.de)?;
        self.de.after_item(b')')?;
        Ok(value)
    }
}

/// `value, …` up to a `]` (left in place).
struct Items<'a, 'de> {
    de: &'a mut Fast<'de>,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> R<Option<T::Value>> {
        self.de.ws()?;
        if self.de.peek() == Some(b']') {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.de)?;
        self.de.after_item(b']')?;
        Ok(Some(value))
    }
}

/// An enum value: `Name`, `Name(value)` or `Name(field: value, …)`.
struct Variant<'a, 'de> {
    de: &'a mut Fast<'de>,
}

impl<'de> EnumAccess<'de> for Variant<'_, 'de> {
    type Error = Bail;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> R<(S::Value, Self)> {
        let name = seed.deserialize(&mut *self.de)?;
        Ok((name, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, 'de> {
    type Error = Bail;

    fn unit_variant(self) -> R<()> {
        self.de.ws()?;
        if self.de.peek() == Some(b'(') { Err(Bail) } else { Ok(()) }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> R<T::Value> {
        self.de.expect(b'(')?;
        self.de.ws()?;
        self.de.unwrap = true;
        let value = seed.deserialize(&mut *self.de)?;
        self.de.unwrap = false;
        self.de.ws()?;
        if self.de.peek() == Some(b',') {
            self.de.i += 1;
        }
        self.de.expect(b')')?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _v: V) -> R<V::Value> {
        Err(Bail)
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], v: V) -> R<V::Value> {
        self.de.expect(b'(')?;
        let value = v.visit_map(Fields { de: &mut *self.de })?;
        self.de.expect(b')')?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::model::Scenario;

    /// What `ron` reads from `text`, as the loader reads it.
    fn by_ron(text: &str) -> Option<String> {
        crate::scenario::load::ron_options().from_str::<Scenario>(text).ok().map(|s| format!("{s:?}"))
    }

    fn by_fast(text: &str) -> Option<String> {
        from_str::<Scenario>(text).ok().map(|s| format!("{s:?}"))
    }

    fn course_texts() -> Vec<(String, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["scenarios", "tests/data", "docs/examples"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten().map(|e| e.path()).collect();
            files.sort();
            for f in files {
                if f.extension().is_some_and(|e| e == "ron")
                    && let Ok(text) = std::fs::read_to_string(&f)
                {
                    out.push((f.display().to_string(), crate::fsread::normalize(&text).into_owned()));
                }
            }
        }
        out
    }

    #[test]
    fn reads_every_course_file_as_ron_does() {
        let texts = course_texts();
        let mut read = 0;
        for (name, text) in &texts {
            let fast = by_fast(text);
            let ron = by_ron(text);
            if fast.is_some() {
                assert_eq!(fast, ron, "{name}");
                read += 1;
            }
            if name.contains("/scenarios/") {
                assert!(fast.is_some(), "the fast reader gave up on a course file: {name}");
            }
        }
        assert!(read >= 10, "only {read} of {} files read", texts.len());
    }

    /// Mutated course files: whatever the fast reader accepts, `ron` reads to the same scenario.
    #[test]
    fn never_accepts_what_ron_reads_differently() {
        let texts = course_texts();
        let inserts = ["(", ")", ",", "\"", "[", "]", ":", "1", "-", ".5", "Some(", "None", "//", "/*", "\\", "r#", "é", "e5", "true", "_", " "];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut accepted = 0;
        for (name, text) in texts.iter().filter(|(n, _)| n.contains("/scenarios/")).take(6) {
            for _ in 0..150 {
                let mut at = (next() % text.len() as u64) as usize;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                let mut m = text.clone();
                match next() % 3 {
                    0 => {
                        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                        m.replace_range(at..end, "");
                    }
                    1 => m.insert_str(at, inserts[(next() % inserts.len() as u64) as usize]),
                    _ => {
                        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                        m.replace_range(at..end, inserts[(next() % inserts.len() as u64) as usize]);
                    }
                }
                if let Some(fast) = by_fast(&m) {
                    accepted += 1;
                    assert_eq!(Some(fast), by_ron(&m), "{name}, mutated at byte {at}");
                }
            }
        }
        assert!(accepted > 50, "too few mutations were still valid ({accepted}): the test checks little");
    }

    #[test]
    fn gives_up_on_what_it_does_not_read() {
        for src in [
            "#![enable(implicit_some)] Scenario()",
            r##"Scenario(id: r#"x"#)"##,
            "Scenario(id: \"a\\u{4e00}\")",
            "Scenario(id: 0x10)",
            "Scenario(id: \"x\") // closing comment",
            "Scenario(id: \"x\"",
            "Scenario(id: \"x\") extra",
        ] {
            assert!(from_str::<Scenario>(src).is_err(), "{src}");
        }
    }
}
