//! The 5S dimensions and the course rubric (member criteria, group bands, five-level grades).

use serde::{Deserialize, Serialize};

use super::text::{Lang, Text};

/// The five 5S service dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dim {
    Smile,
    Speed,
    Sincerity,
    Skill,
    Research,
}

impl Dim {
    pub const ALL: [Dim; 5] = [Dim::Smile, Dim::Speed, Dim::Sincerity, Dim::Skill, Dim::Research];

    pub fn key(self) -> &'static str {
        match self {
            Dim::Smile => "smile",
            Dim::Speed => "speed",
            Dim::Sincerity => "sincerity",
            Dim::Skill => "skill",
            Dim::Research => "research",
        }
    }

    pub fn from_key(k: &str) -> Option<Dim> {
        Dim::ALL.into_iter().find(|d| d.key() == k)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Dim::Smile => ("微笑", "Smile"),
            Dim::Speed => ("迅速", "Speed"),
            Dim::Sincerity => ("诚恳", "Sincerity"),
            Dim::Skill => ("技巧", "Skill"),
            Dim::Research => ("研究", "Research"),
        };
        lang.pick(zh, en)
    }

    /// Built-in advice for a weak dimension, citing the course's 5S principle.
    pub fn advice(self) -> Text {
        match self {
            Dim::Smile => Text::new(
                "5S·微笑：用微笑感谢客户。问候、称呼、请坐、倒茶、道谢，电话里也要让客户听得到笑容。",
                "5S Smile: thank the customer with a smile. Greet, address, seat and thank them; even on the phone your warmth must be heard.",
            ),
            Dim::Speed => Text::new(
                "5S·迅速：迅速决策，减少客户等待。电话最迟响三声内接起，放下手头工作，立即处理。",
                "5S Speed: decide quickly so the customer waits less. Answer the phone by the third ring at the latest and put other work down at once.",
            ),
            Dim::Sincerity => Text::new(
                "5S·诚恳：以诚恳的态度尊重客户。首问负责，不推诿；有错敢于道歉；不要凌驾于客户之上。",
                "5S Sincerity: respect the customer sincerely. First-contact responsibility, never push the customer away; dare to say sorry; never place yourself above the customer.",
            ),
            Dim::Skill => Text::new(
                "5S·技巧：用熟练的技巧赢得信任。按正确流程办事，准确答复时效、手续和费用，选对沟通渠道。",
                "5S Skill: win trust with proficient skills. Follow the correct procedure, answer time, procedure and fees accurately, choose the right channel.",
            ),
            Dim::Research => Text::new(
                "5S·研究：专注研究客户需求。问对问题，用记事本记录，复述并确认关键信息。",
                "5S Research: study the customer's needs with focus. Ask the right questions, write them in a notebook, repeat and confirm the key facts.",
            ),
        }
    }
}

/// How a rubric criterion gets its points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    /// Scored from play: the points options give to it, as a share of the most reachable.
    Auto,
    /// Judged by people (teacher or peers), e.g. 互助与合作.
    Rated,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub key: String,
    pub name: Text,
    pub max: u32,
    pub mode: Mode,
    /// In a group attempt, whose decisions an automatic criterion is scored from: each member's
    /// own (`Member`, the default: 态度, 倾听) or the whole attempt's (`Group`: 展示与效果).
    #[serde(default, skip_serializing_if = "Scope::is_member")]
    pub scope: Scope,
}

/// Whose decisions a criterion is scored from in a group attempt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    #[default]
    Member,
    Group,
}

impl Scope {
    fn is_member(&self) -> bool {
        *self == Scope::Member
    }
}

/// A group band: the first band (from the top) whose conditions hold is the group's band.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub band: u8,
    pub min: u32,
    pub max: u32,
    /// Least share (0-1) of the 5S maximum the attempt must reach.
    #[serde(default)]
    pub min_share: f64,
    /// Most hints allowed (help used moves a group down); omitted = any.
    #[serde(default)]
    pub max_hints: Option<u32>,
    /// Must finish within the scenario's time limit.
    #[serde(default)]
    pub within_time: bool,
    /// Must reach an ending.
    #[serde(default)]
    pub finished: bool,
    /// Must reach an ending marked `success` (the customer was really served).
    #[serde(default)]
    pub success: bool,
    #[serde(default)]
    pub descriptor: Text,
}

/// A level of the five-level grade, e.g. 优秀 from 90.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeLevel {
    pub name: Text,
    pub min: u32,
}

/// A total with its grade, from [`Rubric::totals`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Totals {
    pub total: u32,
    /// The total scaled to the whole while points are pending (= total otherwise); the grade rests on it.
    pub projected: u32,
    pub grade: Text,
    /// 0 = the best level.
    pub grade_level: usize,
    pub provisional: bool,
    /// The total before a critical error's cap lowered it.
    pub uncapped: Option<u32>,
    /// The projected total before a cap lowered it (set when the cap lowered the projection,
    /// even where the total itself was under the cap).
    pub uncapped_projected: Option<u32>,
    /// The highest total the caps allow.
    pub limit: Option<u32>,
}

/// The rubric a scenario is graded with. Every part defaults to the course's own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Rubric {
    pub criteria: Vec<Criterion>,
    pub bands: Vec<Band>,
    pub grades: Vec<GradeLevel>,
}

impl Default for Rubric {
    fn default() -> Self {
        Rubric::course()
    }
}

impl Rubric {
    /// 小组成员评价表 (30) + 小组学习评价指标 (40-70) + 五级制, as the courseware gives them.
    pub fn course() -> Rubric {
        let crit = |key: &str, zh: &str, en: &str, max, mode| Criterion {
            key: key.into(),
            name: Text::new(zh, en),
            max,
            mode,
            scope: if key == "presentation" { Scope::Group } else { Scope::Member },
        };
        Rubric {
            criteria: vec![
                crit("attitude", "态度", "Attitude", 5, Mode::Auto),
                crit("cooperation", "互助与合作", "Cooperation", 10, Mode::Rated),
                crit("listening", "倾听", "Listening", 5, Mode::Auto),
                crit("presentation", "展示与效果", "Presentation & effect", 10, Mode::Auto),
            ],
            bands: vec![
                Band {
                    band: 1,
                    min: 60,
                    max: 70,
                    min_share: 0.8,
                    max_hints: Some(0),
                    within_time: true,
                    finished: true,
                    success: true,
                    descriptor: Text::new(
                        "在规定时间内小组合作完成，角色扮演顺利；情境合理，礼仪规范，物流服务理念正确",
                        "Completed within the time limit by the group, role-play went smoothly; situation reasonable, etiquette correct, service concept correct",
                    ),
                },
                // A lost customer (a failure ending) is not "completed": band 3 at best. One hint
                // still allows band 2; from the second the group "completed only with help".
                Band {
                    band: 2,
                    min: 50,
                    max: 59,
                    min_share: 0.5,
                    max_hints: Some(1),
                    within_time: true,
                    finished: true,
                    success: true,
                    descriptor: Text::new(
                        "在规定时间内完成，能够展示；情境较合理，注意了礼貌用语",
                        "Completed within the time limit and could present; situation fairly reasonable, some attention to polite language",
                    ),
                },
                Band {
                    band: 3,
                    min: 40,
                    max: 49,
                    min_share: 0.0,
                    max_hints: None,
                    within_time: false,
                    finished: false,
                    success: false,
                    descriptor: Text::new(
                        "在老师或其他小组帮助下完成，能够展示",
                        "Completed only with help from the teacher or other groups; did present",
                    ),
                },
            ],
            grades: vec![
                GradeLevel { name: Text::new("优秀", "Excellent"), min: 90 },
                GradeLevel { name: Text::new("良好", "Good"), min: 80 },
                GradeLevel { name: Text::new("中等", "Fair"), min: 70 },
                GradeLevel { name: Text::new("及格", "Pass"), min: 60 },
                GradeLevel { name: Text::new("不及格", "Fail"), min: 0 },
            ],
        }
    }

    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.key == key)
    }

    /// The grade level for a total out of 100.
    pub fn grade(&self, total: u32) -> Option<&GradeLevel> {
        let mut levels: Vec<&GradeLevel> = self.grades.iter().collect();
        levels.sort_by_key(|g| std::cmp::Reverse(g.min));
        levels.into_iter().find(|g| total >= g.min)
    }

    /// Whether `key` may appear in effects: a 5S dimension or an auto criterion.
    pub fn is_effect_key(&self, key: &str) -> bool {
        Dim::from_key(key).is_some()
            || self.criterion(key).is_some_and(|c| c.mode == Mode::Auto)
    }

    /// The index of a total's grade level, 0 = the best (for colours and comparisons).
    pub fn grade_index(&self, total: u32) -> usize {
        let mut mins: Vec<u32> = self.grades.iter().map(|g| g.min).collect();
        mins.sort_unstable_by(|a, b| b.cmp(a));
        mins.iter().position(|m| total >= *m).unwrap_or(mins.len().saturating_sub(1))
    }

    /// The highest total a grade cap allows: one below the next level up (None: no limit, or
    /// an unknown level).
    pub fn cap_total(&self, cap: &Cap) -> Option<u32> {
        let Cap::Grade(name) = cap else { return None };
        let level = self.grades.iter().find(|g| &g.name.zh == name || g.name.en.as_deref() == Some(name.as_str()))?;
        self.grades.iter().filter(|g| g.min > level.min).map(|g| g.min).min().map(|m| m.saturating_sub(1))
    }

    /// The worst band any of the caps allows (a higher number is a lower band).
    pub fn band_cap(caps: &[&Cap]) -> Option<u8> {
        caps.iter().filter_map(|c| if let Cap::Band(b) = c { Some(*b) } else { None }).max()
    }

    /// A cap in words: "最高及格" / "at most Pass".
    pub fn cap_text(&self, cap: &Cap) -> Text {
        match cap {
            Cap::Grade(name) => {
                let en = self.grades.iter().find(|g| &g.name.zh == name).and_then(|g| g.name.en.clone()).unwrap_or_else(|| name.clone());
                Text::new(format!("最高{name}"), format!("at most {en}"))
            }
            Cap::Band(b) => Text::new(format!("小组评价最高第{b}档"), format!("group band {b} at best")),
        }
    }

    /// The one rule for totals and grades, used by the result screen and the grade sheets alike:
    /// member points + band − deduction, held under every cap; while `pending_max` points wait
    /// for people, the grade rests on the total scaled to the whole (also held under the caps).
    pub fn totals(&self, member_points: u32, pending_max: u32, band_points: u32, deduction: u32, caps: &[&Cap]) -> Totals {
        let total_max = self.total_max();
        let raw = member_points.saturating_add(band_points).saturating_sub(deduction).min(total_max);
        let limit = caps.iter().filter_map(|c| self.cap_total(c)).min();
        let total = limit.map_or(raw, |l| raw.min(l));
        let projected = if pending_max > 0 && total_max > pending_max {
            (f64::from(total) * f64::from(total_max) / f64::from(total_max - pending_max)).round() as u32
        } else {
            total
        }
        .min(total_max);
        let uncapped_projected = if pending_max > 0 && total_max > pending_max {
            (f64::from(raw) * f64::from(total_max) / f64::from(total_max - pending_max)).round() as u32
        } else {
            raw
        }
        .min(total_max);
        let projected = limit.map_or(projected, |l| projected.min(l));
        let grade = self.grade(projected).map(|g| g.name.clone()).unwrap_or_default();
        Totals {
            total,
            projected,
            grade,
            grade_level: self.grade_index(projected),
            provisional: pending_max > 0,
            uncapped: (raw != total).then_some(raw),
            uncapped_projected: (uncapped_projected != projected).then_some(uncapped_projected),
            limit,
        }
    }

    /// Points a whole attempt can reach: member criteria + the top band.
    pub fn total_max(&self) -> u32 {
        // Saturating: a hostile rubric's maxima (u32::MAX each) would wrap.
        self.criteria.iter().fold(0u32, |t, c| t.saturating_add(c.max)).saturating_add(self.bands.iter().map(|b| b.max).max().unwrap_or(0))
    }
}

/// What a critical error caps.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub enum Cap {
    /// The best grade level still reachable, by its Chinese name (`Grade("及格")`): the total is
    /// held just below the next level up.
    Grade(String),
    /// The best group band still reachable (`Band(3)`).
    Band(u8),
}

impl Default for Cap {
    fn default() -> Self {
        Cap::Grade("及格".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_rubric_adds_up_to_100() {
        let r = Rubric::course();
        assert_eq!(r.criteria.iter().map(|c| c.max).sum::<u32>(), 30);
        assert_eq!(r.total_max(), 100);
    }

    #[test]
    fn five_level_grades_have_the_course_boundaries() {
        let r = Rubric::course();
        let g = |t| r.grade(t).map(|g| g.name.zh.clone()).unwrap_or_default();
        assert_eq!(g(100), "优秀");
        assert_eq!(g(90), "优秀");
        assert_eq!(g(89), "良好");
        assert_eq!(g(80), "良好");
        assert_eq!(g(79), "中等");
        assert_eq!(g(70), "中等");
        assert_eq!(g(69), "及格");
        assert_eq!(g(60), "及格");
        assert_eq!(g(59), "不及格");
        assert_eq!(g(0), "不及格");
    }

    #[test]
    fn effect_keys_are_5s_and_auto_criteria_only() {
        let r = Rubric::course();
        assert!(r.is_effect_key("smile"));
        assert!(r.is_effect_key("listening"));
        assert!(!r.is_effect_key("cooperation"), "rated by people");
        assert!(!r.is_effect_key("smille"));
    }

    #[test]
    fn a_partial_rubric_keeps_course_defaults() {
        let r: Rubric = ron::from_str("(grades: [(name: \"通过\", min: 60), (name: \"不通过\", min: 0)])")
            .expect("parse");
        assert_eq!(r.criteria.len(), 4);
        assert_eq!(r.grades.len(), 2);
    }
}
