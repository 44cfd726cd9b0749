//! Class rosters: a class, its groups with their leaders and members (学号, 姓名). Read from a
//! RON class file or imported from the CSV a teacher keeps in Excel; checked as a whole.
//!
//! A class file looks like this (RON, UTF-8):
//!
//! ```ron
//! Class(
//!     name: "物流2401班",
//!     groups: [
//!         (name: "第一组", leader: "2024001", members: [
//!             (id: "2024001", name: "张喆"),
//!             (id: "2024002", name: "李堃"),
//!         ]),
//!     ],
//! )
//! ```

pub mod import;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::records::store::write_atomic;
use crate::scenario::{Lang, Text};

pub use import::{import_csv, import_csv_bytes};

/// One student.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Student {
    /// 学号: kept as text (leading zeros matter).
    pub id: String,
    /// 姓名.
    pub name: String,
}

/// A study group (小组) with its leader (组长).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub name: String,
    /// The leader's 学号; must be one of the members.
    pub leader: String,
    pub members: Vec<Student>,
}

impl Group {
    /// The leader as a member, when the leader id names one.
    pub fn leader_student(&self) -> Option<&Student> {
        self.members.iter().find(|m| m.id == self.leader)
    }
}

/// A class (班级) as the teacher grades it: groups in order, members in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Class {
    pub name: String,
    pub groups: Vec<Group>,
}

impl Class {
    /// Every student with their group, in roster order.
    pub fn students(&self) -> impl Iterator<Item = (&Group, &Student)> {
        self.groups.iter().flat_map(|g| g.members.iter().map(move |m| (g, m)))
    }

    /// The student with this 学号 and their group.
    pub fn find(&self, id: &str) -> Option<(&Group, &Student)> {
        let id = id.trim();
        self.students().find(|(_, s)| s.id == id)
    }

    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }

    pub fn student_count(&self) -> usize {
        self.groups.iter().map(|g| g.members.len()).sum()
    }

    /// Every problem with the class as a whole: empty or repeated ids, a student in two groups,
    /// a leader who is not a member, empty or repeated groups. Positions are left unset.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut p = |zh: String, en: String| out.push(Problem { at: At::Nowhere, message: Text::new(zh, en) });
        if self.name.trim().is_empty() {
            p("班级名称为空".into(), "the class name is empty".into());
        }
        let mut seen_groups: HashMap<&str, usize> = HashMap::new();
        let mut seen_ids: HashMap<&str, &str> = HashMap::new();
        for (gi, g) in self.groups.iter().enumerate() {
            let gname = g.name.trim();
            if gname.is_empty() {
                p(format!("第{}个小组没有名称", gi + 1), format!("group {} has no name", gi + 1));
            } else if seen_groups.insert(gname, gi).is_some() {
                p(format!("小组“{gname}”出现了两次"), format!("group “{gname}” appears twice"));
            }
            if g.members.is_empty() {
                p(format!("小组“{gname}”没有成员"), format!("group “{gname}” has no members"));
            }
            for m in &g.members {
                let id = m.id.trim();
                if id.is_empty() {
                    p(format!("小组“{gname}”中“{}”的学号为空", m.name), format!("“{}” in group “{gname}” has an empty student id", m.name));
                    continue;
                }
                if m.name.trim().is_empty() {
                    p(format!("学号 {id} 的姓名为空"), format!("student {id} has an empty name"));
                }
                match seen_ids.insert(id, gname) {
                    Some(other) if other == gname => p(format!("学号 {id} 在小组“{gname}”中重复"), format!("student id {id} is repeated in group “{gname}”")),
                    Some(other) => p(
                        format!("学号 {id} 同时在小组“{other}”和“{gname}”中"),
                        format!("student {id} is in two groups: “{other}” and “{gname}”"),
                    ),
                    None => {}
                }
            }
            if !g.members.is_empty() {
                if g.leader.trim().is_empty() {
                    p(format!("小组“{gname}”没有组长"), format!("group “{gname}” has no leader"));
                } else if g.leader_student().is_none() {
                    p(
                        format!("小组“{gname}”的组长 {} 不是本组成员", g.leader),
                        format!("the leader {} of group “{gname}” is not one of its members", g.leader),
                    );
                }
            }
        }
        out
    }

    /// The class as RON text, in the class-file format.
    pub fn to_ron(&self) -> String {
        let cfg = ron::ser::PrettyConfig::new().depth_limit(4).struct_names(true);
        ron::ser::to_string_pretty(self, cfg).unwrap_or_else(|e| format!("// could not write: {e}"))
    }
}

/// Where a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// A line and column of a RON file (1-based).
    Pos { line: usize, col: usize },
    /// Rows of a CSV file as Excel numbers them (the header is row 1).
    Rows(Vec<usize>),
    Nowhere,
}

/// One problem with a roster, for the teacher.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub at: At,
    pub message: Text,
}

impl Problem {
    /// `file:line:col: message` or `file: row 3, 7: message`.
    pub fn render(&self, file: &Path, lang: Lang) -> String {
        let f = file.display();
        let msg = self.message.get(lang);
        match &self.at {
            At::Pos { line, col } => format!("{f}:{line}:{col}: {msg}"),
            At::Rows(rows) => {
                let list = rows.iter().map(ToString::to_string).collect::<Vec<_>>().join(lang.pick("、", ", "));
                match lang {
                    Lang::Zh => format!("{f}: 第{list}行: {msg}"),
                    Lang::En => format!("{f}: row{} {list}: {msg}", if rows.len() > 1 { "s" } else { "" }),
                }
            }
            At::Nowhere => format!("{f}: {msg}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("{path}: cannot read: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The file could not be read as a class, or the class has problems; nothing was loaded.
    #[error("{}", render_all(.path, .problems, Lang::En))]
    Invalid { path: PathBuf, problems: Vec<Problem> },
}

fn render_all(path: &Path, problems: &[Problem], lang: Lang) -> String {
    problems.iter().map(|p| p.render(path, lang)).collect::<Vec<_>>().join("\n")
}

impl RosterError {
    /// Every problem, one a line, in the given language.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            RosterError::Io { path, source } => format!("{}: {}{}", path.display(), lang.pick("无法读取：", "cannot read: "), crate::fsread::describe(source, lang)),
            RosterError::Invalid { path, problems } => render_all(path, problems, lang),
        }
    }

    pub fn problems(&self) -> &[Problem] {
        match self {
            RosterError::Invalid { problems, .. } => problems,
            RosterError::Io { .. } => &[],
        }
    }
}

/// Parse a class file's text. `path` is only used in messages.
pub fn parse_class(path: &Path, text: &str) -> Result<Class, RosterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let class: Class = crate::scenario::load::ron_options().from_str(text).map_err(|e| RosterError::Invalid {
        path: path.to_path_buf(),
        problems: vec![Problem {
            at: At::Pos { line: e.span.start.line.max(1), col: e.span.start.col.max(1) },
            message: {
                let code = crate::fsread::clip(&e.code.to_string());
                Text::new(format!("不是有效的班级文件：{code}"), format!("not a valid class file: {code}"))
            },
        }],
    })?;
    let mut problems = class.problems();
    if problems.is_empty() {
        return Ok(class);
    }
    for p in &mut problems {
        p.at = locate(text, &p.message).unwrap_or(At::Nowhere);
    }
    Err(RosterError::Invalid { path: path.to_path_buf(), problems })
}

/// Point a validation problem at the first quoted id or name it mentions.
fn locate(text: &str, message: &Text) -> Option<At> {
    let msg = message.en.as_deref().unwrap_or(&message.zh);
    let candidates: Vec<&str> = msg
        .split(|c: char| c == '“' || c == '”' || c.is_whitespace() || c == ':' || c == ',')
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    for w in candidates {
        if let Some(off) = text.find(&format!("\"{w}\"")) {
            let before = &text[..off];
            let line = 1 + before.matches('\n').count();
            let col = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            return Some(At::Pos { line, col });
        }
    }
    None
}

/// Read a class file (RON).
pub fn load_class(path: &Path) -> Result<Class, RosterError> {
    let bytes = crate::fsread::read_limited(path, crate::fsread::Kind::Roster).map_err(|source| RosterError::Io { path: path.to_path_buf(), source })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let before = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]).into_owned();
        RosterError::Invalid {
            path: path.to_path_buf(),
            problems: vec![Problem {
                at: At::Pos { line: 1 + before.matches('\n').count(), col: 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count()) },
                message: Text::new("文件不是 UTF-8 编码：请“另存为”UTF-8", "the file is not UTF-8: use “Save as” and choose UTF-8"),
            }],
        }
    })?;
    parse_class(path, &text)
}

/// Read a class from a RON class file, or import it from a `.csv`/`.tsv`/`.txt` roster (the
/// class is then named after the file).
pub fn load_any(path: &Path) -> Result<Class, RosterError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv" | "tsv" | "txt") => {
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("班级");
            import_csv(path, name)
        }
        _ => load_class(path),
    }
}

/// Save a class file atomically (a reader never sees half a file).
pub fn save_class(path: &Path, class: &Class) -> std::io::Result<()> {
    write_atomic(path, class.to_ron().as_bytes())
}

/// Students of the class by 学号 (for quick look-ups).
pub fn index(class: &Class) -> BTreeMap<&str, (&Group, &Student)> {
    class.students().map(|(g, s)| (s.id.as_str(), (g, s))).collect()
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} groups, {} students)", self.name, self.groups.len(), self.student_count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"Class(
    name: "物流2401班",
    groups: [
        (name: "第一组", leader: "2024001", members: [
            (id: "2024001", name: "张喆"),
            (id: "2024002", name: "李堃"),
        ]),
        (name: "第二组", leader: "0024003", members: [(id: "0024003", name: "王玥")]),
    ],
)"#;

    #[test]
    fn reads_a_class_file() {
        let c = parse_class(Path::new("c.ron"), GOOD).expect("parse");
        assert_eq!(c.student_count(), 3);
        assert_eq!(c.find("0024003").map(|(g, s)| (g.name.as_str(), s.name.as_str())), Some(("第二组", "王玥")));
        assert_eq!(c.groups[0].leader_student().map(|s| s.name.as_str()), Some("张喆"));
        let again = parse_class(Path::new("c.ron"), &c.to_ron()).expect("round trip");
        assert_eq!(again, c);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let bad = GOOD.replace("(id: \"2024002\", name: \"李堃\")", "(id: \"2024002\", nam: \"李堃\")");
        let e = parse_class(Path::new("c.ron"), &bad).expect_err("bad field");
        let line = e.render(Lang::En);
        assert!(line.starts_with("c.ron:6:"), "{line}");
    }

    #[test]
    fn problems_point_at_the_id() {
        let bad = GOOD.replace("leader: \"0024003\"", "leader: \"2024002\"").replace("(id: \"0024003\", name: \"王玥\")", "(id: \"2024002\", name: \"王玥\")");
        let e = parse_class(Path::new("c.ron"), &bad).expect_err("problems");
        let text = e.render(Lang::Zh);
        assert!(text.contains("学号 2024002 同时在小组“第一组”和“第二组”中"), "{text}");
        assert!(text.starts_with("c.ron:6:"), "{text}");
    }

    #[test]
    fn leader_must_be_a_member() {
        let bad = GOOD.replace("leader: \"2024001\"", "leader: \"9999\"");
        let e = parse_class(Path::new("c.ron"), &bad).expect_err("leader");
        assert!(e.render(Lang::En).contains("is not one of its members"));
    }
}
