//! Localised text: a plain `"中文"` string, or `(zh: "中文", en: "English")`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// Display language. Chinese is the default everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Parse `zh`/`en` (also `zh_CN.UTF-8`, `en-US`…).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Pick one of two strings.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

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
    fn parses_both_text_forms() {
        let a: Text = ron::from_str(r#""中文""#).expect("plain");
        assert_eq!(a, Text::zh("中文"));
        let b: Text = ron::from_str(r#"(zh: "中文", en: "Chinese")"#).expect("pair");
        assert_eq!(b, Text::new("中文", "Chinese"));
        assert!(ron::from_str::<Text>(r#"(en: "x")"#).is_err());
    }
}
