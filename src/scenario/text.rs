//! Localised text: a plain `"中文"` string, or `(zh: "中文", en: "English")`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

pub use crate::lang::Lang;

/// A text a teacher writes. Chinese is required; English is optional and falls back to Chinese.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Text {
    pub zh: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: Some(en.into()) }
    }

    pub fn zh(zh: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: None }
    }

    /// The text in `lang`, falling back to Chinese when no English was written.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) if !en.is_empty() => en,
            _ => &self.zh,
        }
    }

    /// Both language versions (for placeholder checks and matching answers).
    pub fn all(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.zh.as_str()).chain(self.en.as_deref())
    }

    /// The text in `lang` with `{placeholders}` replaced from `values`.
    pub fn render(&self, lang: Lang, values: &BTreeMap<String, Text>) -> String {
        substitute(self.get(lang), |name| values.get(name).map(|t| t.get(lang).to_string()))
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zh)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a text: \"…\" or (zh: \"…\", en: \"…\")")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::zh(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::zh(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut zh = None;
                let mut en = None;
                while let Some(key) = map.next_key::<super::ident::Ident>()? {
                    match key.0.as_str() {
                        "zh" => zh = Some(map.next_value::<String>()?),
                        "en" => en = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::custom(format_args!(
                                "a text has only `zh` and `en`, not `{other}` ||| 文字只能写 `zh` 和 `en`，不能写 `{other}`"
                            )));
                        }
                    }
                }
                let zh = zh.ok_or_else(|| {
                    de::Error::custom("a text written as (zh: …, en: …) needs `zh` ||| 写成 (zh: …, en: …) 的文字必须有 `zh`（中文）")
                })?;
                Ok(Text { zh, en })
            }
        }
        d.deserialize_any(V)
    }
}

/// A variant value: one text (`"9:30"`), or a list of the forms it may be written in
/// (`["9:30", "9点半", "九点半"]`). The first form is what texts show; every form is accepted
/// wherever the placeholder is part of an expected answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Forms(pub Vec<Text>);

impl Forms {
    /// The form shown in texts (the first; empty when none was written, which `kefu check` flags).
    pub fn shown(&self) -> Text {
        self.0.first().cloned().unwrap_or_default()
    }

    /// Every form, the shown one first.
    pub fn all(&self) -> &[Text] {
        &self.0
    }
}

impl From<Text> for Forms {
    fn from(t: Text) -> Forms {
        Forms(vec![t])
    }
}

impl Serialize for Forms {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Forms {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Forms;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a variant value: \"…\", (zh: \"…\", en: \"…\") or a list of forms [\"…\", \"…\"]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Forms, E> {
                Ok(Forms(vec![Text::zh(v)]))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Forms, E> {
                Ok(Forms(vec![Text::zh(v)]))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Forms, A::Error> {
                Text::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Forms(vec![t]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Forms, A::Error> {
                let mut out = Vec::new();
                while let Some(t) = seq.next_element::<Text>()? {
                    out.push(t);
                }
                Ok(Forms(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Every rendering of `s` with each `{placeholder}` replaced by each of its forms (every
/// combination, at most `cap`, the shown forms' rendering first); unknown names are left as
/// written. Iterative: a counter over the placeholders' forms.
pub fn substitute_each(s: &str, forms: impl Fn(&str) -> Option<Vec<String>>, cap: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (_, n) in placeholders(s) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let lists: Vec<Vec<String>> = names.iter().map(|n| forms(n).filter(|f| !f.is_empty()).unwrap_or_default()).collect();
    let mut idx = vec![0usize; names.len()];
    let mut out: Vec<String> = Vec::new();
    loop {
        let r = substitute(s, |k| names.iter().position(|n| n == k).and_then(|i| lists[i].get(idx[i]).cloned()));
        if !out.contains(&r) {
            out.push(r);
        }
        if out.len() >= cap.max(1) {
            break;
        }
        // Next combination (the last placeholder turns fastest); done when every counter wrapped.
        let mut i = idx.len();
        let mut carried = true;
        while carried && i > 0 {
            i -= 1;
            idx[i] += 1;
            if idx[i] < lists[i].len() {
                carried = false;
            } else {
                idx[i] = 0;
            }
        }
        if carried {
            break;
        }
    }
    out
}

/// Replace every `{name}` in `s` using `lookup`; unknown names are left as written.
/// `{{` and `}}` stand for literal braces.
pub fn substitute(s: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('{')
            && let Some(end) = tail.find('}')
        {
            let name = &tail[1..end];
            match lookup(name.trim()) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&tail[..=end]),
            }
            rest = &tail[end + 1..];
            continue;
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// The `{placeholder}` names used in `s`, with their byte offsets.
pub fn placeholders(s: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                if let Some(end) = s[i..].find('}') {
                    found.push((i, s[i + 1..i + end].trim().to_string()));
                    i += end + 1;
                } else {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// Normalise an answer for comparison: full-width to half-width, lower case, no spaces or punctuation.
pub fn normalize(s: &str) -> String {
    fold_width(s)
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !"，。、,.:：;；!！?？\"'“”‘’-—_()（）【】[]《》<>·~～".contains(*c))
        .collect()
}

/// Full-width letters, digits and punctuation to half-width (what Chinese input methods type).
pub fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '。' => '.',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_known_names_and_keeps_unknown() {
        let mut v = BTreeMap::new();
        v.insert("name".to_string(), Text::new("王先生", "Mr. Wang"));
        let t = Text::new("{name}您好，{x} {{y}}", "Hello {name}");
        assert_eq!(t.render(Lang::Zh, &v), "王先生您好，{x} {y}");
        assert_eq!(t.render(Lang::En, &v), "Hello Mr. Wang");
    }

    #[test]
    fn english_falls_back_to_chinese() {
        assert_eq!(Text::zh("你好").get(Lang::En), "你好");
    }

    #[test]
    fn finds_placeholders() {
        let p: Vec<String> = placeholders("a {x} {{no}} {y }").into_iter().map(|p| p.1).collect();
        assert_eq!(p, vec!["x", "y"]);
    }

    #[test]
    fn forms_read_one_text_or_a_list() {
        let one: Forms = ron::from_str(r#""9:30""#).expect("one");
        assert_eq!(one, Forms(vec![Text::zh("9:30")]));
        let pair: Forms = ron::from_str(r#"(zh: "九点", en: "nine")"#).expect("pair");
        assert_eq!(pair.shown(), Text::new("九点", "nine"));
        let list: Forms = ron::from_str(r#"["9:30", "9点半", (zh: "九点半", en: "half past nine")]"#).expect("list");
        assert_eq!(list.all().len(), 3);
        assert_eq!(list.shown(), Text::zh("9:30"));
        let empty: Forms = ron::from_str("[]").expect("empty list parses; the checker flags it");
        assert!(empty.all().is_empty());
    }

    #[test]
    fn substitute_each_renders_every_combination() {
        let forms = |k: &str| match k {
            "t" => Some(vec!["9:30".to_string(), "9点半".to_string()]),
            "d" => Some(vec!["周一".to_string(), "星期一".to_string()]),
            _ => None,
        };
        let all = substitute_each("{d} {t} {x}", forms, 64);
        assert_eq!(all, vec!["周一 9:30 {x}", "周一 9点半 {x}", "星期一 9:30 {x}", "星期一 9点半 {x}"]);
        assert_eq!(substitute_each("{t}{t}", forms, 64), vec!["9:309:30", "9点半9点半"]);
        assert_eq!(substitute_each("none", forms, 64), vec!["none"]);
        assert_eq!(substitute_each("{d}{t}", forms, 3).len(), 3);
    }

    #[test]
    fn parses_both_text_forms() {
        let a: Text = ron::from_str(r#""中文""#).expect("plain");
        assert_eq!(a, Text::zh("中文"));
        let b: Text = ron::from_str(r#"(zh: "中文", en: "Chinese")"#).expect("pair");
        assert_eq!(b, Text::new("中文", "Chinese"));
        assert!(ron::from_str::<Text>(r#"(en: "x")"#).is_err());
    }
}
