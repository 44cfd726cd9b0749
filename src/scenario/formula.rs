//! Formulas of a table's columns: `revenue / sum(revenue) * 100`, `above(cum) + revenue`.
//!
//! A formula is arithmetic (`+ - * /`, parentheses, numbers) over names: a data value of the
//! row (`revenue`), a column of the same row (`cum`), `above(x)` (the value in the row above, 0
//! in the first row) and `sum(x)` (the data value summed over every row). It is read once, by
//! the shunting-yard algorithm into postfix order (no recursion, whatever the nesting), and
//! worked out per cell with the names looked up by the caller.

use std::fmt;

/// A name a formula uses, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    /// The value in this row.
    Here(String),
    /// The value in the row above (0 in the first row).
    Above(String),
    /// A data value summed over every row.
    Sum(String),
}

impl Name {
    pub fn name(&self) -> &str {
        match self {
            Name::Here(n) | Name::Above(n) | Name::Sum(n) => n,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Num(f64),
    Name(Name),
    Op(char),
    Neg,
}

/// A formula, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    postfix: Vec<Item>,
}

/// Why a formula cannot be read: what, and at which character (0-based, in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormulaError {
    pub at: usize,
    pub zh: String,
    pub en: String,
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} (character {})", self.en, self.at + 1)
    }
}

fn err(at: usize, zh: impl Into<String>, en: impl Into<String>) -> FormulaError {
    FormulaError { at, zh: zh.into(), en: en.into() }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Formula {
    /// Read a formula (`×`, `÷` and full-width signs are accepted too).
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        let chars: Vec<char> = text
            .chars()
            .map(|c| match c {
                '×' | '＊' => '*',
                '÷' | '／' => '/',
                '（' => '(',
                '）' => ')',
                '＋' => '+',
                '－' | '−' => '-',
                c => c,
            })
            .collect();
        let prec = |op: char| match op {
            '+' | '-' => 1,
            '*' | '/' => 2,
            _ => 3, // unary minus
        };
        let mut out: Vec<Item> = Vec::new();
        // Operators waiting: '(' , '+', '-', '*', '/', 'n' (unary minus).
        let mut ops: Vec<(char, usize)> = Vec::new();
        let mut expect_value = true;
        let mut i = 0;
        let pop_to_out = |out: &mut Vec<Item>, op: char| out.push(if op == 'n' { Item::Neg } else { Item::Op(op) });
        while i < chars.len() {
            let c = chars[i];
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if expect_value {
                if c.is_ascii_digit() || c == '.' {
                    let start = i;
                    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                        i += 1;
                    }
                    let s: String = chars[start..i].iter().collect();
                    let v: f64 = s.parse().map_err(|_| err(start, format!("“{s}”不是一个数"), format!("“{s}” is not a number")))?;
                    out.push(Item::Num(v));
                    expect_value = false;
                    continue;
                }
                if is_name_char(c) {
                    let start = i;
                    while i < chars.len() && is_name_char(chars[i]) {
                        i += 1;
                    }
                    let word: String = chars[start..i].iter().collect();
                    let mut j = i;
                    while j < chars.len() && chars[j].is_whitespace() {
                        j += 1;
                    }
                    if chars.get(j) == Some(&'(') {
                        // A function: above(x) or sum(x), one name inside.
                        let mut k = j + 1;
                        while k < chars.len() && chars[k].is_whitespace() {
                            k += 1;
                        }
                        let arg_start = k;
                        while k < chars.len() && is_name_char(chars[k]) {
                            k += 1;
                        }
                        let arg: String = chars[arg_start..k].iter().collect();
                        while k < chars.len() && chars[k].is_whitespace() {
                            k += 1;
                        }
                        if arg.is_empty() || chars.get(k) != Some(&')') {
                            return Err(err(j, format!("{word}(…) 的括号里要写一个名字，如 {word}(revenue)"), format!("{word}(…) takes one name in its parentheses, like {word}(revenue)")));
                        }
                        let name = match word.as_str() {
                            "above" => Name::Above(arg),
                            "sum" => Name::Sum(arg),
                            _ => {
                                return Err(err(start, format!("没有函数“{word}”：可用 above(列) 和 sum(数据)"), format!("there is no function “{word}”: use above(column) or sum(data)")));
                            }
                        };
                        out.push(Item::Name(name));
                        i = k + 1;
                    } else {
                        out.push(Item::Name(Name::Here(word)));
                    }
                    expect_value = false;
                    continue;
                }
                match c {
                    '(' => ops.push(('(', i)),
                    '-' => ops.push(('n', i)),
                    '+' => {}
                    _ => return Err(err(i, format!("这里应是一个数、一个名字或“(”，不是“{c}”"), format!("expected a number, a name or “(” here, not “{c}”"))),
                }
                i += 1;
                continue;
            }
            match c {
                ')' => {
                    loop {
                        match ops.pop() {
                            Some(('(', _)) => break,
                            Some((op, _)) => pop_to_out(&mut out, op),
                            None => return Err(err(i, "多了一个“)”", "one “)” too many")),
                        }
                    }
                }
                '+' | '-' | '*' | '/' => {
                    while let Some(&(top, _)) = ops.last() {
                        if top != '(' && prec(top) >= prec(c) {
                            ops.pop();
                            pop_to_out(&mut out, top);
                        } else {
                            break;
                        }
                    }
                    ops.push((c, i));
                    expect_value = true;
                }
                _ => return Err(err(i, format!("这里应是运算符（+ - * /）或“)”，不是“{c}”"), format!("expected an operator (+ - * /) or “)” here, not “{c}”"))),
            }
            i += 1;
        }
        if expect_value {
            return Err(err(chars.len(), "公式不完整：结尾缺一个数或名字", "the formula is incomplete: a number or name is missing at the end"));
        }
        while let Some((op, at)) = ops.pop() {
            if op == '(' {
                return Err(err(at, "这个“(”没有配对的“)”", "this “(” has no matching “)”"));
            }
            pop_to_out(&mut out, op);
        }
        Ok(Formula { postfix: out })
    }

    /// Every name the formula uses, in order.
    pub fn names(&self) -> impl Iterator<Item = &Name> {
        self.postfix.iter().filter_map(|i| match i {
            Item::Name(n) => Some(n),
            _ => None,
        })
    }

    /// Work it out with `lookup` giving each name's value; `None` when a name has no value or a
    /// division is by zero.
    pub fn eval(&self, mut lookup: impl FnMut(&Name) -> Option<f64>) -> Option<f64> {
        let mut stack: Vec<f64> = Vec::with_capacity(self.postfix.len());
        for item in &self.postfix {
            match item {
                Item::Num(v) => stack.push(*v),
                Item::Name(n) => stack.push(lookup(n)?),
                Item::Neg => {
                    let v = stack.pop()?;
                    stack.push(-v);
                }
                Item::Op(op) => {
                    let b = stack.pop()?;
                    let a = stack.pop()?;
                    stack.push(arith(a, *op, b)?);
                }
            }
        }
        (stack.len() == 1).then(|| stack[0]).filter(|v| v.is_finite())
    }
}

/// `a op b` for `+ - * /`; `None` for a division by zero. Shared with the number answers'
/// working ("71-6+4").
pub fn arith(a: f64, op: char, b: f64) -> Option<f64> {
    Some(match op {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        _ => {
            if b == 0.0 {
                return None;
            }
            a / b
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(f: &str, vals: &[(&str, f64)]) -> Option<f64> {
        Formula::parse(f).expect("reads").eval(|n| {
            let key = match n {
                Name::Here(s) => s.clone(),
                Name::Above(s) => format!("above:{s}"),
                Name::Sum(s) => format!("sum:{s}"),
            };
            vals.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
        })
    }

    #[test]
    fn formulas_work_out_with_names_and_functions() {
        assert_eq!(eval("revenue / sum(revenue) * 100", &[("revenue", 740.0), ("sum:revenue", 2000.0)]), Some(37.0));
        assert_eq!(eval("above(cum) + revenue", &[("revenue", 590.0), ("above:cum", 740.0)]), Some(1330.0));
        assert_eq!(eval("-(2 + 3) * 4", &[]), Some(-20.0));
        assert_eq!(eval("2 + 3 × 4", &[]), Some(14.0));
        assert_eq!(eval("（1+1）÷ 4", &[]), Some(0.5));
        assert_eq!(eval("x / 0", &[("x", 1.0)]), None);
        assert_eq!(eval("missing + 1", &[]), None);
    }

    #[test]
    fn broken_formulas_say_where() {
        let at = |f: &str| Formula::parse(f).expect_err("refused").at;
        assert_eq!(at("revenue /"), 9);
        assert_eq!(at("(revenue + 1"), 0);
        assert_eq!(at("revenue + 1)"), 11);
        assert_eq!(at("total(revenue)"), 0);
        assert_eq!(at("sum()"), 3);
        assert_eq!(at("a $ b"), 2);
        // Deep nesting is read without recursion.
        let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(Formula::parse(&deep).expect("reads").eval(|_| None), Some(1.0));
    }
}
