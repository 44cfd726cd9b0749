//! Conditions on variables: `noted_time`, `!asked`, `tries >= 2 && !angry || done`.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A parsed condition, keeping its source text for messages.
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    pub src: String,
    pub expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Var(String),
    Num(i64),
    Not(Box<Expr>),
    Cmp(Box<Expr>, CmpOp, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cond {
    pub fn parse(src: &str) -> Result<Cond, String> {
        let tokens = tokenize(src)?;
        let mut p = Parser { tokens, pos: 0 };
        let expr = p.or()?;
        if p.pos != p.tokens.len() {
            return Err(format!("unexpected `{}`", p.tokens[p.pos]));
        }
        Ok(Cond { src: src.to_string(), expr })
    }

    /// Evaluate with `lookup` giving each variable's value (0 when unknown).
    pub fn eval(&self, lookup: &impl Fn(&str) -> i64) -> bool {
        eval(&self.expr, lookup) != 0
    }

    /// The variable names this condition reads.
    pub fn vars(&self) -> Vec<&str> {
        let mut out = Vec::new();
        collect(&self.expr, &mut out);
        out
    }
}

fn collect<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
    match e {
        Expr::Var(v) => out.push(v),
        Expr::Num(_) => {}
        Expr::Not(a) => collect(a, out),
        Expr::Cmp(a, _, b) | Expr::And(a, b) | Expr::Or(a, b) => {
            collect(a, out);
            collect(b, out);
        }
    }
}

fn eval(e: &Expr, lookup: &impl Fn(&str) -> i64) -> i64 {
    match e {
        Expr::Var(v) => lookup(v),
        Expr::Num(n) => *n,
        Expr::Not(a) => i64::from(eval(a, lookup) == 0),
        Expr::And(a, b) => i64::from(eval(a, lookup) != 0 && eval(b, lookup) != 0),
        Expr::Or(a, b) => i64::from(eval(a, lookup) != 0 || eval(b, lookup) != 0),
        Expr::Cmp(a, op, b) => {
            let (a, b) = (eval(a, lookup), eval(b, lookup));
            i64::from(match op {
                CmpOp::Eq => a == b,
                CmpOp::Ne => a != b,
                CmpOp::Lt => a < b,
                CmpOp::Le => a <= b,
                CmpOp::Gt => a > b,
                CmpOp::Ge => a >= b,
            })
        }
    }
}

fn tokenize(src: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["&&", "||", "==", "!=", "<=", ">="].contains(&two.as_str()) {
                out.push(two);
                i += 2;
            } else if "!<>()".contains(c) {
                out.push(c.to_string());
                i += 1;
            } else {
                return Err(format!("unexpected character `{c}`"));
            }
        }
    }
    if out.is_empty() {
        return Err("empty condition".into());
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<String>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }
    fn eat(&mut self, t: &str) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat("||") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.cmp()?;
        while self.eat("&&") {
            left = Expr::And(Box::new(left), Box::new(self.cmp()?));
        }
        Ok(left)
    }
    fn cmp(&mut self) -> Result<Expr, String> {
        let left = self.unary()?;
        let op = match self.peek() {
            Some("==") => CmpOp::Eq,
            Some("!=") => CmpOp::Ne,
            Some("<") => CmpOp::Lt,
            Some("<=") => CmpOp::Le,
            Some(">") => CmpOp::Gt,
            Some(">=") => CmpOp::Ge,
            _ => return Ok(left),
        };
        self.pos += 1;
        let right = self.unary()?;
        Ok(Expr::Cmp(Box::new(left), op, Box::new(right)))
    }
    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("(") {
            let e = self.or()?;
            if !self.eat(")") {
                return Err("a `)` is missing".into());
            }
            return Ok(e);
        }
        let Some(t) = self.peek().map(str::to_string) else {
            return Err("a value is missing at the end".into());
        };
        self.pos += 1;
        if let Ok(n) = t.parse::<i64>() {
            return Ok(Expr::Num(n));
        }
        match t.as_str() {
            "true" => Ok(Expr::Num(1)),
            "false" => Ok(Expr::Num(0)),
            _ if t.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') => Ok(Expr::Var(t)),
            _ => Err(format!("expected a variable or a number, found `{t}`")),
        }
    }
}

/// The parser's reasons in Chinese (the parser speaks English for tests and logs).
fn zh_reason(e: &str) -> String {
    if let Some(c) = e.strip_prefix("unexpected character ") {
        let hint = if c.contains('=') { "（比较相等请写 ==）" } else { "" };
        return format!("不能使用字符 {c}{hint}；可用：! && || == != < <= > >= ( )");
    }
    if let Some(t) = e.strip_prefix("unexpected ") {
        return format!("多出了 {t}（两个条件之间要用 && 或 || 连接）");
    }
    if let Some(t) = e.strip_prefix("expected a variable or a number, found ") {
        return format!("这里应该是变量名或数字，而不是 {t}");
    }
    match e {
        "empty condition" => "条件是空的".into(),
        "a `)` is missing" => "少了右括号 `)`".into(),
        "a value is missing at the end" => "结尾少了一个值（例如 `tries >=` 后面要写数字）".into(),
        other => other.into(),
    }
}

impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.src)
    }
}

impl Serialize for Cond {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.src)
    }
}

impl<'de> Deserialize<'de> for Cond {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Cond::parse(&s).map_err(|e| {
            de::Error::custom(format_args!("condition \"{s}\": {e} ||| 条件 \"{s}\" 写法有误：{}", zh_reason(&e)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(src: &str, a: i64, b: i64) -> bool {
        let c = Cond::parse(src).expect("parses");
        c.eval(&|v| match v {
            "a" => a,
            "b" => b,
            _ => 0,
        })
    }

    #[test]
    fn evaluates_precedence_and_comparisons() {
        assert!(ev("a", 1, 0));
        assert!(!ev("!a", 1, 0));
        assert!(ev("a && b || !b", 1, 0));
        assert!(!ev("a && (b || false)", 1, 0));
        assert!(ev("a >= 2 && b < 1", 2, 0));
        assert!(ev("a == true", 1, 0));
        assert!(ev("unknown == 0", 0, 0));
    }

    #[test]
    fn rejects_broken_conditions() {
        for bad in ["", "a &&", "(a", "a $ b", "a b", "3 >"] {
            assert!(Cond::parse(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn lists_variables() {
        let c = Cond::parse("a && !b || c > 1").expect("parses");
        assert_eq!(c.vars(), vec!["a", "b", "c"]);
    }
}
