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
                Band {
                    band: 2,
                    min: 50,
                    max: 59,
                    min_share: 0.5,
                    max_hints: Some(0),
                    within_time: true,
                    finished: true,
                    success: false,
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

    /// Points a whole attempt can reach: member criteria + the top band.
    pub fn total_max(&self) -> u32 {
        self.criteria.iter().map(|c| c.max).sum::<u32>()
            + self.bands.iter().map(|b| b.max).max().unwrap_or(0)
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
