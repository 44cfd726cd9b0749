//! Small serde helpers so teachers can write `(smile: 2, skill: 1)` instead of map syntax.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A key written as a bare word (`smile`) or a string (`"smile"`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ident(pub String);

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Ident;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Ident, E> {
                Ok(Ident(v.to_string()))
            }
        }
        d.deserialize_identifier(V)
    }
}

/// A map written like a struct: `(key: value, …)`; also accepts `{"key": value}`.
/// Keys keep the order they were written in.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentMap<V>(pub Vec<(String, V)>);

impl<V> Default for IdentMap<V> {
    fn default() -> Self {
        IdentMap(Vec::new())
    }
}

impl<V> IdentMap<V> {
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
    pub fn to_btree(&self) -> BTreeMap<String, V>
    where
        V: Clone,
    {
        self.0.iter().cloned().collect()
    }
}

impl<V: Serialize> Serialize for IdentMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for IdentMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = IdentMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of names and values: (name: value, …)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                while let Some(Ident(k)) = map.next_key::<Ident>()? {
                    let v = map.next_value::<V>()?;
                    if out.iter().any(|(have, _)| *have == k) {
                        return Err(de::Error::custom(format_args!("duplicate field `{k}`")));
                    }
                    out.push((k, v));
                }
                Ok(IdentMap(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(IdentMap(Vec::new()))
            }
        }
        d.deserialize_struct("", &[], Vis(PhantomData))
    }
}

/// A variable's value: an integer; `true`/`false` are written for flags and stored as 1/0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Value(pub i64);

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number or true/false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
                Ok(Value(i64::from(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
                Ok(Value(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
                i64::try_from(v).map(Value).map_err(|_| E::custom("number too large"))
            }
        }
        d.deserialize_any(V)
    }
}

/// A number written as `48`, `2.5` or as a text with a placeholder (`"{weight}"`).
#[derive(Clone, Debug, PartialEq)]
pub struct NumberText(pub String);

impl Serialize for NumberText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NumberText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NumberText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, or a text like \"{weight}\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumberText, E> {
                Ok(NumberText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumberText, E> {
                Ok(NumberText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumberText, E> {
                Ok(NumberText(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumberText, E> {
                Ok(NumberText(v.to_string()))
            }
            // `value: [8, 80]`: several right numbers are written with `also`.
            fn visit_seq<A: de::SeqAccess<'de>>(self, _seq: A) -> Result<NumberText, A::Error> {
                Err(de::Error::custom(
                    "one number here; other right values go in `also`, e.g. Number(value: 8, also: [80]) ||| 这里只能写一个数；其他也算对的数写在 also 里，例如 Number(value: 8, also: [80])",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ident_map_reads_struct_syntax_in_order() {
        let m: IdentMap<i32> = ron::from_str("(smile: 2, skill: -1)").expect("parse");
        assert_eq!(m.0, vec![("smile".into(), 2), ("skill".into(), -1)]);
        let e: IdentMap<i32> = ron::from_str("()").expect("empty");
        assert!(e.is_empty());
    }

    #[test]
    fn ident_map_rejects_duplicates() {
        let err = ron::from_str::<IdentMap<i32>>("(smile: 2, smile: 1)").expect_err("dup");
        assert!(err.to_string().contains("duplicate"), "{err}");
    }

    #[test]
    fn values_accept_bools_and_numbers() {
        let m: IdentMap<Value> = ron::from_str("(a: true, b: 3, c: false)").expect("parse");
        assert_eq!(m.get("a"), Some(&Value(1)));
        assert_eq!(m.get("b"), Some(&Value(3)));
        assert_eq!(m.get("c"), Some(&Value(0)));
    }

    #[test]
    fn number_text_accepts_numbers_and_text() {
        let a: NumberText = ron::from_str("48").expect("int");
        let b: NumberText = ron::from_str("2.5").expect("float");
        let c: NumberText = ron::from_str(r#""{w}""#).expect("text");
        assert_eq!((a.0.as_str(), b.0.as_str(), c.0.as_str()), ("48", "2.5", "{w}"));
        // A list of numbers points at `also`.
        let e = ron::from_str::<NumberText>("[8, 80]").expect_err("a list");
        assert!(e.to_string().contains("also: [80]"), "{e}");
    }
}
