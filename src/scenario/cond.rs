//! Conditions on variables: `noted_time`, `!asked`, `tries >= 2 && !angry || done`.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// A parsed condition, keeping its source text for messages.
///
/// The expression is kept in postfix order (operands before their operator), parsed and
/// evaluated with explicit stacks: nothing here recurses on how deeply a teacher nests
/// brackets or `!`, so 20,000 parentheses are read like 2.
#[derive(Clone, Debug, PartialEq)]
pub struct Cond {
    pub src: String,
    pub code: Vec<Op>,
}

/// One step of a condition in postfix order.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Var(String),
    Num(i64),
    Not,
    Cmp(CmpOp),
    And,
    Or,
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
        let code = parse(&tokens)?;
        Ok(Cond { src: src.to_string(), code })
    }

    /// Evaluate with `lookup` giving each variable's value (0 when unknown).
    pub fn eval(&self, lookup: &impl Fn(&str) -> i64) -> bool {
        let mut stack: Vec<i64> = Vec::with_capacity(8);
        for op in &self.code {
            let v = match op {
                Op::Var(v) => lookup(v),
                Op::Num(n) => *n,
                Op::Not => i64::from(stack.pop().unwrap_or(0) == 0),
                Op::And | Op::Or | Op::Cmp(_) => {
                    let b = stack.pop().unwrap_or(0);
                    let a = stack.pop().unwrap_or(0);
                    i64::from(match op {
                        Op::And => a != 0 && b != 0,
                        Op::Or => a != 0 || b != 0,
                        Op::Cmp(CmpOp::Eq) => a == b,
                        Op::Cmp(CmpOp::Ne) => a != b,
                        Op::Cmp(CmpOp::Lt) => a < b,
                        Op::Cmp(CmpOp::Le) => a <= b,
                        Op::Cmp(CmpOp::Gt) => a > b,
                        Op::Cmp(CmpOp::Ge) => a >= b,
                        _ => false,
                    })
                }
            };
            stack.push(v);
        }
        stack.pop().unwrap_or(0) != 0
    }

    /// The variable names this condition reads, in the order they are written.
    pub fn vars(&self) -> Vec<&str> {
        self.code
            .iter()
            .filter_map(|op| match op {
                Op::Var(v) => Some(v.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// What waits on the operator stack.
#[derive(Clone, Copy, PartialEq)]
enum Pending {
    Open,
    Not,
    Cmp(CmpOp),
    And,
    Or,
}

impl Pending {
    /// Binding strength: `!` > comparisons > `&&` > `||` (a bracket binds nothing).
    fn prec(self) -> u8 {
        match self {
            Pending::Open => 0,
            Pending::Or => 1,
            Pending::And => 2,
            Pending::Cmp(_) => 3,
            Pending::Not => 4,
        }
    }
    fn op(self) -> Option<Op> {
        match self {
            Pending::Open => None,
            Pending::Not => Some(Op::Not),
            Pending::Cmp(c) => Some(Op::Cmp(c)),
            Pending::And => Some(Op::And),
            Pending::Or => Some(Op::Or),
        }
    }
}

fn binary(t: &str) -> Option<Pending> {
    Some(match t {
        "||" => Pending::Or,
        "&&" => Pending::And,
        "==" => Pending::Cmp(CmpOp::Eq),
        "!=" => Pending::Cmp(CmpOp::Ne),
        "<" => Pending::Cmp(CmpOp::Lt),
        "<=" => Pending::Cmp(CmpOp::Le),
        ">" => Pending::Cmp(CmpOp::Gt),
        ">=" => Pending::Cmp(CmpOp::Ge),
        _ => return None,
    })
}

/// Operator precedence with an explicit stack (shunting-yard). Comparisons don't chain
/// (`a < b < c` is refused, as `a < b` is already a yes/no).
fn parse(tokens: &[String]) -> Result<Vec<Op>, String> {
    let mut out: Vec<Op> = Vec::with_capacity(tokens.len());
    let mut ops: Vec<Pending> = Vec::new();
    // Open brackets on `ops`, to word an error the way a reader sees it.
    let mut open = 0usize;
    let mut want_operand = true;
    let stray = |t: &str, open: usize| -> String {
        if open > 0 { "a `)` is missing".into() } else { format!("unexpected `{t}`") }
    };
    for t in tokens {
        let t = t.as_str();
        if want_operand {
            match t {
                "!" => ops.push(Pending::Not),
                "(" => {
                    ops.push(Pending::Open);
                    open += 1;
                }
                _ => {
                    out.push(operand(t)?);
                    want_operand = false;
                }
            }
            continue;
        }
        if t == ")" {
            if open == 0 {
                return Err(stray(t, open));
            }
            while let Some(p) = ops.pop() {
                match p.op() {
                    Some(op) => out.push(op),
                    None => break,
                }
            }
            open -= 1;
            continue;
        }
        let Some(bin) = binary(t) else { return Err(stray(t, open)) };
        while let Some(&top) = ops.last() {
            if top.prec() < bin.prec() {
                break;
            }
            if matches!((top, bin), (Pending::Cmp(_), Pending::Cmp(_))) {
                return Err(stray(t, open));
            }
            ops.pop();
            out.extend(top.op());
        }
        ops.push(bin);
        want_operand = true;
    }
    if want_operand {
        return Err("a value is missing at the end".into());
    }
    if open > 0 {
        return Err("a `)` is missing".into());
    }
    while let Some(p) = ops.pop() {
        out.extend(p.op());
    }
    Ok(out)
}

fn operand(t: &str) -> Result<Op, String> {
    if let Ok(n) = t.parse::<i64>() {
        return Ok(Op::Num(n));
    }
    match t {
        "true" => Ok(Op::Num(1)),
        "false" => Ok(Op::Num(0)),
        _ if t.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') => Ok(Op::Var(t.to_string())),
        _ => Err(format!("expected a variable or a number, found `{t}`")),
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
            // The condition quoted is clipped, so the reason after it is never cut off.
            let q = crate::fsread::clip(&s);
            de::Error::custom(format_args!("condition \"{q}\": {e} ||| 条件 \"{q}\" 写法有误：{}", zh_reason(&e)))
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

    #[test]
    fn keeps_the_old_errors() {
        let err = |s: &str| Cond::parse(s).expect_err(s);
        assert_eq!(err(""), "empty condition");
        assert_eq!(err("a &&"), "a value is missing at the end");
        assert_eq!(err("(a"), "a `)` is missing");
        assert_eq!(err("(a b"), "a `)` is missing");
        assert_eq!(err("a b"), "unexpected `b`");
        assert_eq!(err("a)"), "unexpected `)`");
        assert_eq!(err("a < b < c"), "unexpected `<`");
        assert_eq!(err("(a < !b < c)"), "a `)` is missing");
        assert_eq!(err("a && )"), "expected a variable or a number, found `)`");
        assert_eq!(err("a $ b"), "unexpected character `$`");
    }

    #[test]
    fn precedence_as_written() {
        assert!(ev("!a == 0", 1, 0)); // (!a) == 0
        assert!(ev("(a < b) < 1", 1, 0));
        assert!(ev("a < !b", 0, 0));
        assert!(!ev("a || b && false", 0, 1));
        assert!(ev("!!a", 1, 0));
    }

    #[test]
    fn deep_nesting_is_read_without_recursion() {
        let n = 200_000;
        let src = format!("{}a{}", "(".repeat(n), ")".repeat(n));
        assert!(ev(&src, 1, 0));
        let src = format!("{}a", "!".repeat(n));
        assert!(ev(&src, 1, 0)); // an even number of `!`
        let src = vec!["a"; n].join(" && ");
        let c = Cond::parse(&src).expect("parses");
        assert_eq!(c.vars().len(), n);
        assert!(ev(&src, 1, 0));
        assert!(!ev(&src, 0, 0));
        assert_eq!(Cond::parse(&"(".repeat(n)).expect_err("open"), "a value is missing at the end");
    }
}
