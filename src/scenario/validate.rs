//! Validation, separate from parsing: what is wrong with a scenario that parsed, with file,
//! line and column for each finding. The full list is documented in `docs/authoring/{zh,en}/diagnostics.md`.

use std::collections::{BTreeSet, HashMap, HashSet};

use std::sync::Arc;

use super::ranges::{Ranges, expected_is_empty};
use super::cond::Cond;
use super::diag::{Diagnostic, Severity};
use super::load::Loaded;
use super::model::{Cap, Critical, Effects, Expected, Node, PlayedBy, Rule, Scenario};
use super::text::normalize;
use super::rubric::{Dim, Mode};
use super::text::{Text, placeholders};

/// Collects a text to check for `{placeholders}` with its path. A text without `{` has none, so it
/// is left out and its path never written: a large scenario has millions of texts.
macro_rules! text {
    ($texts:expr, $t:expr, $($path:tt)+) => {{
        let t = $t;
        if t.all().any(|s| s.contains('{')) {
            $texts.push((format!($($path)+), t));
        }
    }};
}

struct V<'a> {
    l: &'a Loaded,
    out: Vec<Diagnostic>,
}

impl V<'_> {
    fn push(&mut self, sev: Severity, code: &'static str, path: &str, zh: String, en: String) {
        let pos = self.l.map().pos(path);
        self.out.push(Diagnostic::new(sev, code, &self.l.path, pos, zh, en));
    }
    fn err(&mut self, code: &'static str, path: &str, zh: String, en: String) {
        self.push(Severity::Error, code, path, zh, en);
    }
    fn warn(&mut self, code: &'static str, path: &str, zh: String, en: String) {
        self.push(Severity::Warning, code, path, zh, en);
    }
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// " (did you mean `x`?)" when a close name exists.
fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> (String, String) {
    let best = candidates.map(|c| (distance(name, c), c)).filter(|(d, c)| *d <= 2.max(c.len() / 3)).min();
    match best {
        Some((_, c)) => (format!("（是不是 `{c}`？）"), format!(" (did you mean `{c}`?)")),
        None => (String::new(), String::new()),
    }
}

/// What to say about a `next` naming no node. A one-letter slip of an id (`gret` for `greet`)
/// is named as before; otherwise the endings come first: a target that matches nothing well is
/// often an ending never written (`left`), and following a look-alike id (`seat`) there turned
/// a way out into a loop.
fn unknown_target(sc: &Scenario, target: &str) -> (String, String) {
    let best = sc.nodes.iter().map(|n| (distance(target, n.id()), n)).filter(|(d, n)| *d <= 2.max(n.id().len() / 3)).min_by_key(|(d, n)| (*d, n.id()));
    let endings: Vec<&str> = sc.nodes.iter().filter(|n| matches!(n, Node::Ending(_))).map(Node::id).collect();
    let close_slip = best.is_some_and(|(d, n)| d <= 1 || matches!(n, Node::Ending(_)));
    if endings.is_empty() || close_slip {
        let (sz, se) = suggest(target, sc.nodes.iter().map(Node::id));
        return (format!("要跳转的节点 `{target}` 不存在{sz}"), format!("the node `{target}` to go to does not exist{se}"));
    }
    const SHOWN: usize = 8;
    let listed: Vec<String> = endings.iter().take(SHOWN).map(|e| format!("`{e}`")).collect();
    let more = if endings.len() > SHOWN { format!(" …（共 {} 个）", endings.len()) } else { String::new() };
    let more_en = if endings.len() > SHOWN { format!(" … ({} in all)", endings.len()) } else { String::new() };
    let (near_zh, near_en) = match best {
        Some((_, n)) => (format!("；相近的 id：`{}`（{} 节点，不是结局）", n.id(), n.kind()), format!("; a similar id: `{}` (a {} node, not an ending)", n.id(), n.kind())),
        None => (String::new(), String::new()),
    };
    (
        format!("没有叫 `{target}` 的节点。要去结局吗？结局有：{}{more}{near_zh}", listed.join("、")),
        format!("there is no node `{target}`. Going to an ending? The endings are: {}{more_en}{near_en}", listed.join(", ")),
    )
}

/// A critical marker names a grade or band the rubric has.
fn check_critical(v: &mut V, path: &str, c: &Critical, rubric: &super::rubric::Rubric) {
    if c.name.zh.trim().is_empty() {
        v.err("empty-text", &format!("{path}.name"), "严重错误要写名称 (name)，例如“违反首问负责制”".into(), "a critical error needs a name, e.g. “first-contact responsibility broken”".into());
    }
    match &c.cap {
        Cap::Grade(g) => {
            if !rubric.grades.iter().any(|x| &x.name.zh == g || x.name.en.as_deref() == Some(g.as_str())) {
                let names: Vec<&str> = rubric.grades.iter().map(|x| x.name.zh.as_str()).collect();
                let (sz, se) = suggest(g, names.iter().copied());
                v.err("bad-cap", &format!("{path}.cap"), format!("等级 `{g}` 不在评分标准里{sz}；可用：{}", names.join("、")), format!("the grade `{g}` is not in the rubric{se}; use one of: {}", names.join(", ")));
            } else if rubric.cap_total(&c.cap).is_none() {
                v.warn("bad-cap", &format!("{path}.cap"), format!("`{g}` 是最高的等级：这个上限什么也限制不了。请写一个更低的等级，例如 Grade(\"及格\")"), format!("`{g}` is the top grade: this cap holds nothing. Write a lower level, e.g. Grade(\"及格\")"));
            }
        }
        Cap::Band(b) => {
            if !rubric.bands.iter().any(|x| x.band == *b) {
                let names: Vec<String> = rubric.bands.iter().map(|x| x.band.to_string()).collect();
                v.err("bad-cap", &format!("{path}.cap"), format!("评分标准没有第 {b} 档；可用：{}", names.join("、")), format!("the rubric has no band {b}; use one of: {}", names.join(", ")));
            }
        }
    }
}

fn good_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Check a loaded scenario; errors and warnings, sorted by position.
pub fn validate(l: &Loaded) -> Vec<Diagnostic> {
    validate_with_ranges(l).0
}

/// [`validate`], and the scenario's reachable ranges when the checks computed them (a scenario
/// without structural errors): `kefu analyze` needs them too, and on a large scenario exploring
/// the state graph is the costly part.
fn validate_with_ranges(l: &Loaded) -> (Vec<Diagnostic>, Option<Arc<Ranges>>) {
    if l.scenario.nodes.len() < PARALLEL_NODES {
        return validate_inner(l, || l.scenario.ranges());
    }
    // A large scenario: the state graph is explored on a second thread while the other checks
    // run. Its result is used only if the structure is sound, as in the one-thread order; when
    // it is not, the thread is left to finish on its own (never waited for).
    let sc = std::sync::Arc::clone(&l.scenario);
    let explore = std::thread::Builder::new().name("ranges".into()).stack_size(16 << 20).spawn(move || sc.ranges());
    validate_inner(l, || match explore {
        Ok(h) => h.join().unwrap_or_else(|_| l.scenario.ranges()),
        Err(_) => l.scenario.ranges(),
    })
}

/// From this many nodes on, validation explores the state graph on a second thread.
const PARALLEL_NODES: usize = 2_000;

/// A text as the student sees it, placeholders filled from each group's first row (`first_row`).
/// A text with no `{` or `}` is shown as written (most are: no copy made).
fn shown_with<'t>(t: &'t str, first_row: &std::collections::BTreeMap<&str, &str>) -> std::borrow::Cow<'t, str> {
    if t.contains(['{', '}']) { super::text::substitute(t, |k| first_row.get(k).map(|v| v.to_string())).into() } else { t.into() }
}

fn validate_inner(l: &Loaded, ranges_of: impl FnOnce() -> Arc<Ranges>) -> (Vec<Diagnostic>, Option<Arc<Ranges>>) {
    let sc: &Scenario = &l.scenario;
    let mut computed = None;
    let mut v = V { l, out: Vec::new() };

    if !good_id(&sc.id) {
        v.err("bad-id", "id", format!("场景编号 `{}` 只能用英文字母、数字、`-` 和 `_`", sc.id), format!("the scenario id `{}` may only use latin letters, digits, `-` and `_`", sc.id));
    }
    // What `kefu new` could not ask for stays a placeholder until the teacher writes it.
    if sc.course.is_placeholder() {
        v.warn("template-values", "course", "课程项目和任务还是模板里的值：请改成你的，例如 course: (project: 2, task: 1)".into(), "the course project and task are still the template's: write yours, e.g. course: (project: 2, task: 1)".into());
    } else if !sc.course.in_course() {
        let (p, t) = (sc.course.project, sc.course.task);
        v.warn("course-unknown", "course", format!("课程里没有项目{p} 任务{t}：课程有 {}", super::model::CourseRef::outline(super::text::Lang::Zh)), format!("the course has no project {p} task {t}: it has {}", super::model::CourseRef::outline(super::text::Lang::En)));
    }
    if sc.title.zh.trim() == super::model::TITLE_PLACEHOLDER {
        v.warn("template-values", "title", "标题还是模板里的值：请写上你的场景标题".into(), "the title is still the template's: write your scenario's title".into());
    }
    for (path, t) in [("title", &sc.title), ("situation", &sc.situation)] {
        if t.zh.trim().is_empty() {
            v.err("empty-text", path, format!("`{path}` 不能为空"), format!("`{path}` must not be empty"));
        }
    }

    // Roles.
    let mut role_ids = HashSet::new();
    let mut texts: Vec<(String, &Text)> = vec![("title".into(), &sc.title), ("situation".into(), &sc.situation)];
    for (i, r) in sc.roles.iter().enumerate() {
        text!(texts, &r.name, "roles[{i}].name");
        if !role_ids.insert(r.id.as_str()) {
            v.err("duplicate-id", &format!("roles[{i}].id"), format!("角色编号 `{}` 重复了：每个角色的 id 必须不同", r.id), format!("the role id `{}` is used twice: every role needs its own id", r.id));
        }
    }
    if !sc.roles.iter().any(|r| r.played_by == PlayedBy::Student) {
        v.warn("no-student-role", "roles", "没有由学生扮演的角色：请给一个角色写上 played_by: Student".into(), "no role is played by the student: give one role `played_by: Student`".into());
    }

    // Rubric.
    let rubric = &sc.rubric;
    if rubric.bands.is_empty() {
        v.err("rubric", "rubric.bands", "评分标准至少需要一个档次 (bands)".into(), "the rubric needs at least one band".into());
    }
    if rubric.grades.is_empty() {
        v.err("rubric", "rubric.grades", "评分标准至少需要一个等级 (grades)".into(), "the rubric needs at least one grade level".into());
    }
    for (i, b) in rubric.bands.iter().enumerate() {
        if b.min > b.max {
            v.err("rubric", &format!("rubric.bands[{i}]"), format!("第{}档的最低分 {} 高于最高分 {}", b.band, b.min, b.max), format!("band {} has min {} above max {}", b.band, b.min, b.max));
        }
        if !b.min_share.is_finite() {
            v.err("bad-number", &format!("rubric.bands[{i}].min_share"), format!("min_share 必须是有限的数（不是 {}）", b.min_share), format!("min_share must be a finite number (not {})", b.min_share));
        }
    }

    // Node ids.
    let mut first_at: HashMap<&str, usize> = HashMap::new();
    for (i, n) in sc.nodes.iter().enumerate() {
        let id = n.id();
        if !good_id(id) {
            v.err("bad-id", &format!("nodes[{i}].id"), format!("节点编号 `{id}` 只能用英文字母、数字、`-` 和 `_`"), format!("the node id `{id}` may only use latin letters, digits, `-` and `_`"));
        }
        if let Some(&j) = first_at.get(id) {
            let p = v.l.map().pos(&format!("nodes[{j}].id"));
            v.err("duplicate-id", &format!("nodes[{i}].id"), format!("节点编号 `{id}` 重复了（第一次出现在第 {} 行）：请改成不同的名字", p.line), format!("the node id `{id}` is used twice (first on line {}): rename one", p.line));
        } else {
            first_at.insert(id, i);
        }
    }
    if sc.nodes.is_empty() {
        v.err("no-nodes", "nodes", "场景没有任何节点".into(), "the scenario has no nodes".into());
    }
    if !sc.nodes.iter().any(|n| matches!(n, Node::Ending(_))) {
        v.err("no-ending", "nodes", "场景没有结局：请至少加一个 Ending(…) 节点".into(), "the scenario has no ending: add at least one Ending(…) node".into());
    }
    if let Some(start) = &sc.start
        && sc.node_index(start).is_none()
    {
        let (sz, se) = suggest(start, sc.nodes.iter().map(Node::id));
        v.err("unknown-target", "start", format!("开始节点 `{start}` 不存在{sz}"), format!("the start node `{start}` does not exist{se}"));
    }

    // Variables and placeholders.
    // A Dial's try counter is a variable of its own, declared or not.
    let dial_vars: Vec<String> = sc.nodes.iter().filter_map(|n| if let Node::Dial(d) = n { Some(d.tries_var()) } else { None }).collect();
    let declared: BTreeSet<&str> = sc.variables.keys().chain(dial_vars.iter().map(String::as_str)).collect();
    let mut variant_keys: BTreeSet<String> = BTreeSet::new();
    for (g, group) in sc.variants.iter().enumerate() {
        if group.rows.is_empty() {
            v.err("too-few", &format!("variants[{g}].rows"), "变量组没有任何取值行".into(), "the variant group has no rows".into());
        }
        let first: BTreeSet<&str> = group.rows.first().map(|r| r.keys().collect()).unwrap_or_default();
        for (r, row) in group.rows.iter().enumerate() {
            for (k, forms) in row.iter() {
                if forms.all().is_empty() {
                    v.err("empty-text", &format!("variants[{g}].rows[{r}].{k}"), format!("`{k}` 的取值列表是空的：至少写一种写法，例如 {k}: [\"9:30\", \"9点半\"]（第一种是显示出来的）"), format!("the list of forms for `{k}` is empty: write at least one, e.g. {k}: [\"9:30\", \"9点半\"] (the first one is shown)"));
                } else if let Some(j) = forms.all().iter().position(|t| t.zh.trim().is_empty()).filter(|_| forms.all().len() > 1) {
                    v.err("empty-text", &format!("variants[{g}].rows[{r}].{k}"), format!("`{k}` 的第 {} 种写法是空的", j + 1), format!("form {} of `{k}` is empty", j + 1));
                }
            }
            let keys: BTreeSet<&str> = row.keys().collect();
            if keys != first {
                let missing: Vec<_> = first.symmetric_difference(&keys).map(|k| format!("`{k}`")).collect();
                v.err("variant-rows", &format!("variants[{g}].rows[{r}]"), format!("这一行的名称与第一行不一致：{}。同一组的每一行都要写相同的名称", missing.join("、")), format!("this row's names differ from the first row's: {}. Every row of a group needs the same names", missing.join(", ")));
            }
            variant_keys.extend(keys.into_iter().map(str::to_string));
        }
    }
    if let Some(t) = &sc.teaser {
        texts.push(("teaser".into(), t));
    }
    for (i, o) in sc.objectives.iter().enumerate() {
        text!(texts, o, "objectives[{i}]");
    }

    for (k, t) in sc.advice.iter() {
        text!(texts, t, "advice.{k}");
        if Dim::from_key(k).is_none() {
            let (sz, se) = suggest(k, Dim::ALL.iter().map(|d| d.key()));
            v.err("unknown-key", &format!("advice.{k}#key"), format!("advice 只能按 5S 写：smile、speed、sincerity、skill、research，不认识 `{k}`{sz}"), format!("advice is written per 5S dimension (smile, speed, sincerity, skill, research); `{k}` is not one{se}"));
        }
    }
    // The path is written only for a finding (a large scenario has millions of effects).
    let check_effects = |v: &mut V, path: &dyn Fn() -> String, e: &Effects| {
        for (k, _) in e.iter() {
            if rubric.is_effect_key(k) {
                continue;
            }
            let p = format!("{}.{k}", path());
            if rubric.criterion(k).is_some_and(|c| c.mode == Mode::Rated) {
                v.err("rated-criterion", &p, format!("`{k}` 由老师或同学评定，不能由选项加分"), format!("`{k}` is rated by people and cannot be scored by options"));
            } else {
                let keys = Dim::ALL.iter().map(|d| d.key()).chain(rubric.criteria.iter().filter(|c| c.mode == Mode::Auto).map(|c| c.key.as_str()));
                let (sz, se) = suggest(k, keys);
                let auto: Vec<&str> = rubric.criteria.iter().filter(|c| c.mode == Mode::Auto).map(|c| c.key.as_str()).collect();
                v.err("unknown-key", &p, format!("不认识的评分项 `{k}`{sz}。5S 用 smile、speed、sincerity、skill、research；评分标准用 {}", auto.join("、")), format!("unknown score key `{k}`{se}. 5S keys: smile, speed, sincerity, skill, research; criteria: {}", auto.join(", ")));
            }
        }
    };
    let mut conds: Vec<(String, &Cond)> = Vec::new();
    let mut setters: Vec<(String, &str)> = Vec::new();
    // `np.list`: the list's path, written only for a finding. A short list (most are) is
    // searched, not hashed.
    let ids_unique = |v: &mut V, np: &str, list: &str, what: (&str, &str), ids: Vec<&str>| {
        let mut seen = HashSet::new();
        for (j, id) in ids.iter().enumerate() {
            let again = if ids.len() <= 16 { ids[..j].contains(id) } else { !seen.insert(*id) };
            if again {
                v.err("duplicate-id", &format!("{np}.{list}[{j}].id"), format!("{} `{id}` 重复了", what.0), format!("the {} id `{id}` is used twice", what.1));
            }
        }
    };
    // `np`: the node's path; the speaker's is written only for a finding.
    let role_check = |v: &mut V, np: &str, speaker: &Option<String>| {
        if let Some(s) = speaker
            && sc.role(s).is_none()
        {
            let (sz, se) = suggest(s, sc.roles.iter().map(|r| r.id.as_str()));
            v.err("unknown-role", &format!("{np}.speaker"), format!("角色 `{s}` 没有在 roles 中定义{sz}"), format!("the role `{s}` is not defined in roles{se}"));
        }
    };

    let first_row: std::collections::BTreeMap<&str, &str> =
        sc.variants.iter().filter_map(|g| g.rows.first()).flat_map(|r| r.iter().filter_map(|(k, v)| v.all().first().map(|t| (k, t.zh.as_str())))).collect();
    let shown = |t: &str| shown_with(t, &first_row).chars().count();
    // (path, id) of each choice whose expert option is the longest.
    let mut expert_longest: Vec<(String, String)> = Vec::new();
    let mut choices_with_expert = 0usize;
    for (i, n) in sc.nodes.iter().enumerate() {
        let np = format!("nodes[{i}]");
        for (h, hint) in n.hints().iter().enumerate() {
            text!(texts, &hint.text, "{np}.hints[{h}].text");
        }
        if let Some((next, branches)) = n.flow() {
            if next.is_none() && branches.is_empty() {
                v.err("dead-end", &np, format!("节点 `{}` 没有出口：请写 next，或改成 Ending(…)", n.id()), format!("node `{}` has no way out: give it a `next`, or make it an Ending(…)", n.id()));
            }
            for (b, br) in branches.iter().enumerate() {
                conds.push((format!("{np}.branches[{b}].when"), &br.when));
            }
        }
        match n {
            Node::Line(l) => {
                role_check(&mut v, &np, &l.speaker);
                text!(texts, &l.text, "{np}.text");
                setters.extend(l.set.keys().map(|k| (format!("{np}.set.{k}"), k)));
                setters.extend(l.add.keys().map(|k| (format!("{np}.add.{k}"), k)));
            }
            Node::Choice(c) => {
                role_check(&mut v, &np, &c.speaker);
                text!(texts, &c.prompt, "{np}.prompt");
                if c.options.len() < 2 {
                    v.err("too-few", &format!("{np}.options"), format!("选择 `{}` 至少需要两个选项", c.id), format!("the choice `{}` needs at least two options", c.id));
                }
                if !c.options.is_empty() && !c.options.iter().any(|o| o.expert) {
                    v.warn("no-expert", &np, format!("选择 `{}` 没有标出专家选项：请给最好的选项写 expert: true", c.id), format!("the choice `{}` has no expert option: mark the best one with `expert: true`", c.id));
                }
                ids_unique(&mut v, &np, "options", ("选项编号", "option"), c.options.iter().map(|o| o.id.as_str()).collect());
                for (j, o) in c.options.iter().enumerate() {
                    let op = format!("{np}.options[{j}]");
                    text!(texts, &o.text, "{op}.text");
                    check_effects(&mut v, &|| format!("{op}.effects"), &o.effects);
                    match &o.feedback {
                        Some(f) => text!(texts, f, "{op}.feedback"),
                        None => v.warn("no-feedback", &op, format!("选项 `{}` 没有反馈 (feedback)：请说明它好或不好的原因，并点出对应的服务原则", o.id), format!("the option `{}` has no feedback: say why it is good or bad and name the service principle", o.id)),
                    }
                    if let Some(w) = &o.when {
                        conds.push((format!("{op}.when"), w));
                    }
                    setters.extend(o.set.keys().map(|k| (format!("{op}.set.{k}"), k)));
                    setters.extend(o.add.keys().map(|k| (format!("{op}.add.{k}"), k)));
                }
                for (j, o) in c.options.iter().enumerate() {
                    if let Some(cr) = &o.critical {
                        check_critical(&mut v, &format!("{np}.options[{j}].critical"), cr, rubric);
                        text!(texts, &cr.name, "{np}.options[{j}].critical.name");
                        if o.expert {
                            v.warn("critical-expert", &format!("{np}.options[{j}].critical"), format!("选项 `{}` 既是专家选项又是严重错误：请去掉其中一个", o.id), format!("the option `{}` is both the expert's and a critical error: remove one", o.id));
                        }
                    }
                }
                // The wording must not give the answer away: lengths as the student sees them
                // (placeholders filled with each group's first row).
                let len = |o: &crate::scenario::ChoiceOption| shown_with(&o.text.zh, &first_row).chars().filter(|c| !c.is_whitespace()).count();
                if let Some((j, e)) = c.options.iter().enumerate().find(|(_, o)| o.expert)
                    && c.options.len() >= 2
                {
                    let other = c.options.iter().filter(|o| !o.expert).map(len).max().unwrap_or(0);
                    if other > 0 && len(e) * 2 > other * 3 {
                        v.warn("expert-much-longer", &format!("{np}.options[{j}].text"), format!("专家选项比其他选项长得多（{} 字，其他最长 {} 字）：学生只挑最长的就能答对。请把错误选项写成新员工真会说的、差不多长的话", len(e), other), format!("the expert option is much longer than the others ({} vs at most {} characters): picking the longest wins. Write wrong options a real new hire would say, about as long", len(e), other));
                    }
                    if len(e) > other {
                        expert_longest.push((np.clone(), c.id.clone()));
                    }
                }
                if c.options.iter().any(|o| o.expert) {
                    choices_with_expert += 1;
                }
                if let Some(t) = &c.timeout {
                    if let Some(cr) = &t.critical {
                        check_critical(&mut v, &format!("{np}.timeout.critical"), cr, rubric);
                        text!(texts, &cr.name, "{np}.timeout.critical.name");
                    }
                    if t.seconds == 0 {
                        v.err("bad-number", &format!("{np}.timeout.seconds"), "倒计时秒数必须大于 0".into(), "the countdown must be more than 0 seconds".into());
                    }
                    check_effects(&mut v, &|| format!("{np}.timeout.effects"), &t.effects);
                    if let Some(f) = &t.feedback {
                        text!(texts, f, "{np}.timeout.feedback");
                    }
                }
            }
            Node::Match(m) => {
                text!(texts, &m.prompt, "{np}.prompt");
                if m.items.len() < 2 || m.categories.len() < 2 {
                    v.err("too-few", &np, format!("配对 `{}` 至少需要两个项目和两个类别", m.id), format!("the matching `{}` needs at least two items and two categories", m.id));
                }
                ids_unique(&mut v, &np, "items", ("项目编号", "item"), m.items.iter().map(|x| x.id.as_str()).collect());
                ids_unique(&mut v, &np, "categories", ("类别编号", "category"), m.categories.iter().map(|x| x.id.as_str()).collect());
                check_effects(&mut v, &|| format!("{np}.effects"), &m.effects);
                for (j, item) in m.items.iter().enumerate() {
                    text!(texts, &item.text, "{np}.items[{j}].text");
                    if let Some(f) = &item.feedback {
                        text!(texts, f, "{np}.items[{j}].feedback");
                    }
                    if item.answer.is_empty() {
                        v.err("too-few", &format!("{np}.items[{j}].answer"), format!("项目 `{}` 没有写正确类别 (answer)", item.id), format!("the item `{}` has no right category (answer)", item.id));
                    }
                    for (a, ans) in item.answer.iter().enumerate() {
                        if !m.categories.iter().any(|c| &c.id == ans) {
                            let (sz, se) = suggest(ans, m.categories.iter().map(|c| c.id.as_str()));
                            v.err("unknown-category", &format!("{np}.items[{j}].answer[{a}]"), format!("类别 `{ans}` 不存在{sz}"), format!("the category `{ans}` does not exist{se}"));
                        }
                    }
                }
                for (j, c) in m.categories.iter().enumerate() {
                    text!(texts, &c.text, "{np}.categories[{j}].text");
                }
            }
            Node::Order(o) => {
                text!(texts, &o.prompt, "{np}.prompt");
                if o.steps.len() < 3 {
                    v.err("too-few", &format!("{np}.steps"), format!("排序 `{}` 至少需要三个步骤", o.id), format!("the ordering `{}` needs at least three steps", o.id));
                }
                ids_unique(&mut v, &np, "steps", ("步骤编号", "step"), o.steps.iter().map(|x| x.id.as_str()).collect());
                check_effects(&mut v, &|| format!("{np}.effects"), &o.effects);
                for (j, s) in o.steps.iter().enumerate() {
                    text!(texts, &s.text, "{np}.steps[{j}].text");
                }
            }
            Node::Form(f) => {
                text!(texts, &f.prompt, "{np}.prompt");
                if f.fields.is_empty() {
                    v.err("too-few", &format!("{np}.fields"), format!("表单 `{}` 至少需要一个栏目", f.id), format!("the form `{}` needs at least one field", f.id));
                }
                ids_unique(&mut v, &np, "fields", ("栏目编号", "field"), f.fields.iter().map(|x| x.id.as_str()).collect());
                for (j, field) in f.fields.iter().enumerate() {
                    let fp = format!("{np}.fields[{j}]");
                    text!(texts, &field.label, "{fp}.label");
                    if let Some(f) = &field.feedback {
                        text!(texts, f, "{fp}.feedback");
                    }
                    check_effects(&mut v, &|| format!("{fp}.effects"), &field.effects);
                    if let Some(var) = &field.sets {
                        setters.push((format!("{fp}.sets"), var));
                    }
                    if let Some(cr) = &field.critical {
                        check_critical(&mut v, &format!("{fp}.critical"), cr, rubric);
                        text!(texts, &cr.name, "{fp}.critical.name");
                    }
                    if field.max_chars == Some(0) {
                        v.err("bad-number", &format!("{fp}.max_chars"), "max_chars 必须大于 0".into(), "max_chars must be more than 0".into());
                    }
                    for (w, wrong) in field.wrong.iter().enumerate() {
                        text!(texts, wrong, "{fp}.wrong[{w}]");
                        let wn = normalize(&wrong.zh);
                        if wn.is_empty() {
                            v.err("empty-text", &format!("{fp}.wrong[{w}]"), "错误答案不能是空的".into(), "a wrong answer cannot be empty".into());
                        } else if let Expected::Text(alts) = &field.expected
                            && alts.iter().any(|a| normalize(&a.zh).contains(&wn))
                        {
                            v.err("wrong-is-expected", &format!("{fp}.wrong[{w}]"), format!("错误答案 `{}` 包含在正确答案里：写对的学生也会被判错。请写更具体的错误答案", wrong.zh), format!("the wrong answer `{}` is part of a right answer: students who are right would be marked wrong. Write a more specific wrong answer", wrong.zh));
                        }
                    }
                    if let Expected::Text(alts) = &field.expected
                        && let Some(longest) = alts.iter().map(|a| shown(&a.zh)).max()
                        && u32::try_from(longest).unwrap_or(u32::MAX) > field.max_chars()
                    {
                        v.err("bad-number", &format!("{fp}.max_chars"), format!("正确答案有 {longest} 个字，超过了 max_chars（{}）", field.max_chars()), format!("a right answer has {longest} characters, more than max_chars ({})", field.max_chars()));
                    }
                    if expected_is_empty(&field.expected) {
                        v.err("too-few", &format!("{fp}.expected"), format!("栏目 `{}` 没有写正确答案", field.id), format!("the field `{}` has no expected answer", field.id));
                    }
                    match &field.expected {
                        Expected::Text(alts) => {
                            for (a, t) in alts.iter().enumerate() {
                                text!(texts, t, "{fp}.expected[{a}]");
                            }
                        }
                        Expected::Number { value, also, tolerance, .. } => {
                            if !(tolerance.is_finite() && *tolerance >= 0.0) {
                                v.err("bad-number", &format!("{fp}.expected.tolerance"), format!("tolerance 必须是有限的数，且不能是负数（不是 {tolerance}）"), format!("tolerance must be a finite number, not negative (not {tolerance})"));
                            }
                            let rows: Vec<_> = sc.variants.iter().flat_map(|g| g.rows.iter()).collect();
                            let bad = |s: &str| s.trim().trim_start_matches('-').replace('.', "").chars().all(|c| c.is_ascii_digit()) && !s.trim().is_empty();
                            for value in std::iter::once(value).chain(also) {
                                let sample = super::text::substitute(&value.0, |k| rows.iter().find_map(|r| r.get(k)).map(|t| t.shown().zh));
                                if !bad(&sample) {
                                    v.err("bad-number", &format!("{fp}.expected"), format!("`{}` 不是一个数字（或变量的取值不是数字）", value.0), format!("`{}` is not a number (or a variant value is not a number)", value.0));
                                }
                            }
                        }
                        Expected::Filled => {}
                    }
                }
            }
            Node::Compose(c) => {
                text!(texts, &c.prompt, "{np}.prompt");
                if c.phrases.len() < 2 {
                    v.err("too-few", &format!("{np}.phrases"), format!("拼写 `{}` 至少需要两个短语", c.id), format!("the composer `{}` needs at least two phrases", c.id));
                }
                if c.rules.is_empty() {
                    v.err("too-few", &format!("{np}.rules"), format!("拼写 `{}` 至少需要一条规则", c.id), format!("the composer `{}` needs at least one rule", c.id));
                }
                if c.max_phrases.is_some_and(|m| m < c.min_phrases) {
                    v.err("bad-number", &format!("{np}.max_phrases"), "max_phrases 小于 min_phrases".into(), "max_phrases is less than min_phrases".into());
                }
                ids_unique(&mut v, &np, "phrases", ("短语编号", "phrase"), c.phrases.iter().map(|x| x.id.as_str()).collect());
                check_effects(&mut v, &|| format!("{np}.effects"), &c.effects);
                let tags: BTreeSet<&str> = c.phrases.iter().flat_map(|p| p.tags.iter().map(String::as_str)).collect();
                for (j, p) in c.phrases.iter().enumerate() {
                    text!(texts, &p.text, "{np}.phrases[{j}].text");
                }
                for (r, rule) in c.rules.iter().enumerate() {
                    text!(texts, rule.feedback(), "{np}.rules[{r}].feedback");
                    let rp = format!("{np}.rules[{r}]");
                    if let Some(cr) = rule.critical() {
                        check_critical(&mut v, &format!("{rp}.critical"), cr, &sc.rubric);
                    }
                    let lists: Vec<(&str, &Vec<String>)> = match rule {
                        Rule::Require { tags, .. } | Rule::Forbid { tags, .. } => vec![("tags", tags)],
                        Rule::Before { first, then, .. } => vec![("first", first), ("then", then)],
                        Rule::Avoid { words, .. } => {
                            for (w, word) in words.iter().enumerate() {
                                text!(texts, word, "{rp}.words[{w}]");
                                if normalize(&word.zh).is_empty() {
                                    v.err("empty-text", &format!("{rp}.words[{w}]"), "要避免的词不能是空的".into(), "a word to avoid cannot be empty".into());
                                }
                            }
                            Vec::new()
                        }
                    };
                    for (field, list) in lists {
                        // A rule lists alternatives: it is broken only when none of its tags is used.
                        let none_used = !list.iter().any(|t| tags.contains(t.as_str()));
                        for (t, tag) in list.iter().enumerate() {
                            if !tags.contains(tag.as_str()) {
                                let (sz, se) = suggest(tag, tags.iter().copied());
                                let (zh, en) = (format!("没有任何短语带标签 `{tag}`{sz}"), format!("no phrase has the tag `{tag}`{se}"));
                                if none_used {
                                    v.err("unknown-tag", &format!("{rp}.{field}[{t}]"), zh, en);
                                } else {
                                    v.warn("unknown-tag", &format!("{rp}.{field}[{t}]"), zh, en);
                                }
                            }
                        }
                        if list.is_empty() {
                            v.err("too-few", &format!("{rp}.{field}"), "规则至少要写一个标签".into(), "a rule needs at least one tag".into());
                        }
                    }
                }
                // The expert must be able to keep every rule.
                let pick = super::rules::compose_pick(c, super::rules::Policy::Expert);
                let chosen: Vec<_> = pick.iter().filter_map(|id| c.phrases.iter().find(|p| &p.id == id)).collect();
                let text = format!(
                    "{}\n{}",
                    chosen.iter().map(|p| p.text.zh.as_str()).collect::<String>(),
                    chosen.iter().map(|p| p.text.en.as_deref().unwrap_or("")).collect::<Vec<_>>().join(" ")
                );
                let all_kept = c.rules.iter().all(|r| super::rules::rule_holds(r, &chosen, &text));
                if !all_kept && !c.rules.is_empty() && c.phrases.len() >= 2 {
                    v.warn("compose-impossible", &np, format!("拼写 `{}` 找不到能满足全部规则的短语组合：请检查标签、顺序规则 (Before)、max_phrases，以及需要的短语里有没有 Avoid 规则禁止的负面语言（如“没办法”“我不会”）", c.id), format!("no choice of phrases in `{}` keeps every rule: check the tags, the order rules (Before), max_phrases, and whether a needed phrase contains negative language an Avoid rule forbids (such as 没办法, 我不会)", c.id));
                }
            }
            Node::Table(t) => {
                role_check(&mut v, &np, &t.speaker);
                text!(texts, &t.prompt, "{np}.prompt");
                check_effects(&mut v, &|| format!("{np}.effects"), &t.effects);
                ids_unique(&mut v, &np, "keys", ("数据编号", "data key"), t.keys.iter().map(|x| x.id.as_str()).collect());
                ids_unique(&mut v, &np, "rows", ("行编号", "row"), t.rows.iter().map(|x| x.id.as_str()).collect());
                ids_unique(&mut v, &np, "columns", ("列编号", "column"), t.columns.iter().map(|x| x.id.as_str()).collect());
                if let Some(var) = &t.sets {
                    setters.push((format!("{np}.sets"), var));
                }
                check_table(&mut v, t, &np, &mut texts);
            }
            Node::Say(x) => {
                role_check(&mut v, &np, &x.speaker);
                text!(texts, &x.prompt, "{np}.prompt");
                check_say(&mut v, sc, x, &np, &mut texts, &mut setters);
                if let Some(t) = &x.timeout {
                    if t.seconds == 0 {
                        v.err("bad-number", &format!("{np}.timeout.seconds"), "倒计时秒数必须大于 0".into(), "the countdown must be more than 0 seconds".into());
                    }
                    check_effects(&mut v, &|| format!("{np}.timeout.effects"), &t.effects);
                    if let Some(f) = &t.feedback {
                        text!(texts, f, "{np}.timeout.feedback");
                    }
                    if let Some(cr) = &t.critical {
                        check_critical(&mut v, &format!("{np}.timeout.critical"), cr, rubric);
                        text!(texts, &cr.name, "{np}.timeout.critical.name");
                    }
                    setters.extend(t.set.keys().map(|k| (format!("{np}.timeout.set.{k}"), k)));
                    setters.extend(t.add.keys().map(|k| (format!("{np}.timeout.add.{k}"), k)));
                }
                for (j, e) in x.elements.iter().enumerate() {
                    check_effects(&mut v, &|| format!("{np}.elements[{j}].effects"), &e.effects);
                    if let Some(cr) = &e.critical {
                        check_critical(&mut v, &format!("{np}.elements[{j}].critical"), cr, rubric);
                        text!(texts, &cr.name, "{np}.elements[{j}].critical.name");
                    }
                }
                for (j, a) in x.avoid.iter().enumerate() {
                    check_effects(&mut v, &|| format!("{np}.avoid[{j}].effects"), &a.effects);
                    if let Some(cr) = &a.critical {
                        check_critical(&mut v, &format!("{np}.avoid[{j}].critical"), cr, rubric);
                        text!(texts, &cr.name, "{np}.avoid[{j}].critical.name");
                    }
                }
            }
            Node::Phone(p) => {
                text!(texts, &p.prompt, "{np}.prompt");
                if p.max_rings == 0 {
                    v.err("bad-number", &format!("{np}.max_rings"), "max_rings 必须大于 0".into(), "max_rings must be more than 0".into());
                }
                if p.by_ring.is_empty() {
                    v.err("too-few", &format!("{np}.by_ring"), "by_ring 至少要写第 1 声铃响时接起的得分".into(), "by_ring needs at least the score for answering on ring 1".into());
                }
                if !p.ring_seconds.is_finite() {
                    v.err("bad-number", &format!("{np}.ring_seconds"), format!("ring_seconds 必须是有限的数（不是 {}）", p.ring_seconds), format!("ring_seconds must be a finite number (not {})", p.ring_seconds));
                } else if p.ring_seconds <= 0.0 {
                    v.err("bad-number", &format!("{np}.ring_seconds"), "ring_seconds 必须大于 0".into(), "ring_seconds must be more than 0".into());
                }
                if let Some(cr) = &p.on_timeout.critical {
                    check_critical(&mut v, &format!("{np}.on_timeout.critical"), cr, rubric);
                    text!(texts, &cr.name, "{np}.on_timeout.critical.name");
                }
                for (j, r) in p.by_ring.iter().enumerate() {
                    if let Some(cr) = &r.critical {
                        check_critical(&mut v, &format!("{np}.by_ring[{j}].critical"), cr, rubric);
                        text!(texts, &cr.name, "{np}.by_ring[{j}].critical.name");
                    }
                    check_effects(&mut v, &|| format!("{np}.by_ring[{j}].effects"), &r.effects);
                    if let Some(f) = &r.feedback {
                        text!(texts, f, "{np}.by_ring[{j}].feedback");
                    }
                }
                check_effects(&mut v, &|| format!("{np}.on_timeout.effects"), &p.on_timeout.effects);
                if let Some(f) = &p.on_timeout.feedback {
                    text!(texts, f, "{np}.on_timeout.feedback");
                }
            }
            Node::Dial(d) => {
                role_check(&mut v, &np, &d.speaker);
                text!(texts, &d.prompt, "{np}.prompt");
                if d.numbers.is_empty() {
                    v.err("too-few", &format!("{np}.numbers"), format!("拨号 `{}` 至少要写一个号码 (numbers)", d.id), format!("the dial `{}` needs at least one number", d.id));
                } else if !d.numbers.iter().any(|n| n.expert) {
                    v.err("no-expert", &format!("{np}.numbers"), format!("拨号 `{}` 没有标出该拨的号码：请给正确的号码写 expert: true", d.id), format!("the dial `{}` has no expert number: mark the right one with `expert: true`", d.id));
                }
                if d.max_tries == 0 {
                    v.err("bad-number", &format!("{np}.max_tries"), "max_tries 必须大于 0".into(), "max_tries must be more than 0".into());
                }
                if let Some(t) = &d.tries
                    && !(t.chars().all(|c| c.is_alphanumeric() || c == '_') && t.chars().next().is_some_and(|c| !c.is_ascii_digit()))
                {
                    v.err("bad-id", &format!("{np}.tries"), format!("计数变量名 `{t}` 只能用字母、数字和 `_`，不能以数字开头"), format!("the try counter `{t}` may only use letters, digits and `_`, and not start with a digit"));
                }
                let bad_number = |v: &mut V, path: String, n: &str| {
                    v.err("bad-number", &path, format!("`{n}` 不是电话号码：只能写数字（可以有空格和 -）"), format!("`{n}` is not a phone number: digits only (spaces and dashes allowed)"));
                };
                let mut seen: HashMap<String, usize> = HashMap::new();
                let mut longest = 0usize;
                for (j, n) in d.numbers.iter().enumerate() {
                    let jp = format!("{np}.numbers[{j}]");
                    match crate::scenario::normalize_number(&n.number.0).filter(|x| x.chars().all(|c| c.is_ascii_digit())) {
                        None => bad_number(&mut v, format!("{jp}.number"), &n.number.0),
                        Some(x) => {
                            longest = longest.max(x.len());
                            if let Some(&first) = seen.get(&x) {
                                v.err("duplicate-number", &format!("{jp}.number"), format!("号码 {x} 重复了（numbers[{first}] 已经写过）：一个号码只能接通一个地方"), format!("the number {x} is listed twice (already numbers[{first}]): a number reaches one place"));
                            } else {
                                seen.insert(x, j);
                            }
                        }
                    }
                    check_effects(&mut v, &|| format!("{jp}.effects"), &n.effects);
                    if let Some(f) = &n.feedback {
                        text!(texts, f, "{jp}.feedback");
                    }
                    if let Some(c) = &n.busy {
                        conds.push((format!("{jp}.busy"), c));
                        if d.busy.is_none() {
                            v.err("no-busy-route", &format!("{jp}.busy"), format!("号码 {} 会占线，但拨号 `{}` 没有写占线时去哪里 (busy: (next: …))", n.number.0, d.id), format!("the number {} can be engaged, but the dial `{}` has no `busy` route (busy: (next: …))", n.number.0, d.id));
                        }
                    }
                    if let Some(cr) = &n.critical {
                        check_critical(&mut v, &format!("{jp}.critical"), cr, rubric);
                        text!(texts, &cr.name, "{jp}.critical.name");
                        if n.expert {
                            v.warn("critical-expert", &format!("{jp}.critical"), format!("号码 {} 既是该拨的号码又是严重错误：请去掉其中一个", n.number.0), format!("the number {} is both the expert's and a critical error: remove one", n.number.0));
                        }
                    }
                    setters.extend(n.set.keys().map(|k| (format!("{jp}.set.{k}"), k)));
                    setters.extend(n.add.keys().map(|k| (format!("{jp}.add.{k}"), k)));
                }
                for (j, l) in d.directory.iter().enumerate() {
                    text!(texts, &l.label, "{np}.directory[{j}].label");
                    match crate::scenario::normalize_number(&l.number.0).filter(|x| x.chars().all(|c| c.is_ascii_digit())) {
                        None => bad_number(&mut v, format!("{np}.directory[{j}].number"), &l.number.0),
                        Some(x) => longest = longest.max(x.len()),
                    }
                }
                if let Some(m) = d.max_digits
                    && (m as usize) < longest.max(1)
                {
                    v.err("bad-number", &format!("{np}.max_digits"), format!("max_digits（{m}）比最长的号码（{longest} 位）还短：这个号码拨不出去"), format!("max_digits ({m}) is shorter than the longest number ({longest} digits): it could never be dialled"));
                }
                if d.busy.is_some() && !d.numbers.iter().any(|n| n.busy.is_some()) {
                    v.warn("unused-busy", &format!("{np}.busy"), format!("拨号 `{}` 写了占线路线 (busy)，但没有任何号码写 busy 条件：它永远用不上", d.id), format!("the dial `{}` has a `busy` route but no number has a `busy` condition: it is never taken", d.id));
                }
                for (r, name) in d.routes() {
                    let rp = format!("{np}.{name}");
                    check_effects(&mut v, &|| format!("{rp}.effects"), &r.effects);
                    if let Some(f) = &r.feedback {
                        text!(texts, f, "{rp}.feedback");
                    }
                    if let Some(cr) = &r.critical {
                        check_critical(&mut v, &format!("{rp}.critical"), cr, rubric);
                        text!(texts, &cr.name, "{rp}.critical.name");
                    }
                    setters.extend(r.set.keys().map(|k| (format!("{rp}.set.{k}"), k)));
                    setters.extend(r.add.keys().map(|k| (format!("{rp}.add.{k}"), k)));
                }
            }
            Node::Ending(e) => {
                text!(texts, &e.outcome, "{np}.outcome");
                if let Some(cr) = &e.critical {
                    check_critical(&mut v, &format!("{np}.critical"), cr, rubric);
                    text!(texts, &cr.name, "{np}.critical.name");
                }
            }
        }
        let general = match n {
            Node::Match(m) => m.feedback.as_ref(),
            Node::Order(o) => o.feedback.as_ref(),
            Node::Form(f) => f.feedback.as_ref(),
            Node::Compose(c) => c.feedback.as_ref(),
            Node::Say(x) => x.feedback.as_ref(),
            Node::Table(t) => t.feedback.as_ref(),
            _ => None,
        };
        if let Some(f) = general {
            text!(texts, f, "{np}.feedback");
        }
        n.each_target(&mut |target, rel| {
            if sc.node_index(target).is_none() {
                let (zh, en) = unknown_target(sc, target);
                v.err("unknown-target", &format!("{np}.{}", rel()), zh, en);
            }
        });
    }

    if choices_with_expert >= 3 && expert_longest.len() * 2 > choices_with_expert {
        let first = expert_longest.first().map_or_else(|| "nodes".to_string(), |(p, _)| p.clone());
        let ids: Vec<String> = expert_longest.iter().map(|(_, id)| format!("`{id}`")).collect();
        v.warn(
            "expert-longest",
            &first,
            format!("{} 个选择中有 {} 个的专家选项是最长的（{}；按学生看到的字数算，不计空格，占位符按第一行随机值填入）：学生总挑最长的选项就能得高分。请改写，让错误选项同样具体、可信；也别让专家选项总是最短的", choices_with_expert, expert_longest.len(), ids.join("、")),
            format!("in {} of {} choices the expert option is the longest ({}; counted as the student sees it, spaces left out, placeholders filled from each group's first row): always picking the longest option scores well. Rewrite so wrong options are as specific and plausible, without making the expert option always the shortest", expert_longest.len(), choices_with_expert, ids.join(", ")),
        );
    }
    for (path, c) in &conds {
        for var in c.vars() {
            if !declared.contains(var) {
                let (sz, se) = suggest(var, declared.iter().copied());
                v.err("unknown-variable", path, format!("变量 `{var}` 没有在 variables 中声明{sz}"), format!("the variable `{var}` is not declared in `variables`{se}"));
            }
        }
    }
    for (i, d) in sc.draws.iter().enumerate() {
        let dp = format!("draws[{i}]");
        if d.vars.is_empty() {
            v.err("too-few", &format!("{dp}.vars"), "随机抽取至少要列出一个变量".into(), "a draw needs at least one variable".into());
        }
        if d.pick == 0 || d.pick as usize > d.vars.len() {
            v.err("bad-number", &format!("{dp}.pick"), format!("pick 必须在 1 到 {} 之间（列出的变量个数）", d.vars.len()), format!("pick must be between 1 and {} (the number of variables listed)", d.vars.len()));
        }
        for (j, var) in d.vars.iter().enumerate() {
            if !declared.contains(var.as_str()) {
                let (sz, se) = suggest(var, declared.iter().copied());
                v.err("unknown-variable", &format!("{dp}.vars[{j}]"), format!("变量 `{var}` 没有在 variables 中声明{sz}"), format!("the variable `{var}` is not declared in `variables`{se}"));
            }
        }
    }
    for (path, var) in &setters {
        if !declared.contains(var) {
            let (sz, se) = suggest(var, declared.iter().copied());
            v.err("unknown-variable", path, format!("变量 `{var}` 没有在 variables 中声明{sz}"), format!("the variable `{var}` is not declared in `variables`{se}"));
        }
    }
    for (path, t) in &texts {
        for s in t.all() {
            for (_, name) in placeholders(s) {
                if !variant_keys.contains(&name) {
                    let (sz, se) = suggest(&name, variant_keys.iter().map(String::as_str));
                    v.err("unknown-placeholder", path, format!("占位符 `{{{name}}}` 没有对应的变量取值 (variants){sz}"), format!("the placeholder `{{{name}}}` has no variant value{se}"));
                }
            }
        }
    }

    // Reachability, ignoring conditions.
    if let Some(start) = sc.start_id().and_then(|s| sc.node_index(s)) {
        let mut seen = vec![false; sc.nodes.len()];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(i) = stack.pop() {
            sc.nodes[i].each_target(&mut |t, _| {
                if let Some(j) = sc.node_index(t)
                    && !seen[j]
                {
                    seen[j] = true;
                    stack.push(j);
                }
            });
        }
        // A broken `next` makes everything behind it unreachable: report the cause only.
        let broken_links = v.out.iter().any(|d| d.code == "unknown-target");
        for (i, n) in sc.nodes.iter().enumerate() {
            if !seen[i] && !broken_links {
                v.warn("unreachable", &format!("nodes[{i}]"), format!("没有任何路径能到达节点 `{}`：检查是否有 next 指向它，或删除它", n.id()), format!("no path leads to node `{}`: point a `next` at it, or remove it", n.id()));
            }
        }

        // With the structure sound, play the state graph for what only conditions reveal.
        if !v.out.iter().any(Diagnostic::is_error) {
            let r = ranges_of();
            for (key, node) in &r.unbounded {
                let i = sc.node_index(node).unwrap_or(0);
                v.err("endless-points", &format!("nodes[{i}]"), format!("经过节点 `{node}` 的循环可以无限增加 `{key}` 的分数：让回头的选项得分为 0 或负分，或用变量限制只能选一次"), format!("the loop through node `{node}` can raise `{key}` without limit: give the option that loops back 0 or negative points, or use a variable so it can be chosen once"));
            }
            for node in &r.stuck {
                let i = sc.node_index(node).unwrap_or(0);
                v.err("stuck", &format!("nodes[{i}]"), format!("在某些情况下，节点 `{node}` 没有可选的选项或可走的分支（检查 when 条件）"), format!("in some situations node `{node}` offers no option and no branch applies (check the `when` conditions)"));
            }
            if !r.ending_reachable {
                v.err("no-ending", "nodes", "没有任何路径能走到结局".into(), "no path reaches an ending".into());
            }
            if !r.approximate {
                for (i, n) in sc.nodes.iter().enumerate() {
                    if seen[i] && !r.reached[i] {
                        v.warn("unreachable", &format!("nodes[{i}]"), format!("按照 when 条件，没有任何路径能到达节点 `{}`", n.id()), format!("with the `when` conditions as written, no path reaches node `{}`", n.id()));
                    }
                }
            }
            for (i, c) in rubric.criteria.iter().enumerate() {
                if c.mode == Mode::Auto && r.max(&c.key).is_some_and(|m| m <= 0.0) {
                    v.warn("unscored-criterion", &format!("rubric.criteria[{i}]"), format!("没有任何选项给评分项「{}」加分，它将留给老师评定", c.name.zh), format!("no option scores “{}”; it will be left for the teacher to rate", c.name.get(super::text::Lang::En)));
                }
            }
            computed = Some(r);
        }
    }

    v.out.sort_by_key(|d| (d.line, d.col, d.severity));
    v.out.dedup();
    (v.out, computed)
}

/// A `Say` node: elements, their phrases and patterns, forbidden language, model answers.
/// A table: its data, its columns' formulas and bands, its sort and its chart.
fn check_table<'a>(v: &mut V, t: &'a super::model::Table, np: &str, texts: &mut Vec<(String, &'a Text)>) {
    use super::formula::{Formula, Name};
    use super::model::CellValue;
    const MAX_ROWS: usize = 500;
    const MAX_COLUMNS: usize = 30;
    if t.rows.len() < 2 {
        v.err("too-few", &format!("{np}.rows"), format!("表格 `{}` 至少需要两行数据", t.id), format!("the table `{}` needs at least two rows of data", t.id));
    }
    if t.rows.len() > MAX_ROWS {
        v.err("too-many", &format!("{np}.rows"), format!("表格 `{}` 有 {} 行，最多 {MAX_ROWS} 行", t.id, t.rows.len()), format!("the table `{}` has {} rows; at most {MAX_ROWS}", t.id, t.rows.len()));
    }
    if t.columns.len() > MAX_COLUMNS {
        v.err("too-many", &format!("{np}.columns"), format!("表格 `{}` 有 {} 列，最多 {MAX_COLUMNS} 列", t.id, t.columns.len()), format!("the table `{}` has {} columns; at most {MAX_COLUMNS}", t.id, t.columns.len()));
    }
    if !t.columns.iter().any(|c| !c.given) {
        v.err("too-few", &format!("{np}.columns"), format!("表格 `{}` 没有要学生填的列：至少一列不写 given: true", t.id), format!("the table `{}` has no column for the student to fill: at least one column without `given: true`", t.id));
    }
    let keys: Vec<&str> = t.keys.iter().map(|k| k.id.as_str()).collect();
    for (j, k) in t.keys.iter().enumerate() {
        text!(texts, &k.label, "{np}.keys[{j}].label");
    }
    for (i, r) in t.rows.iter().enumerate() {
        let rp = format!("{np}.rows[{i}]");
        text!(texts, &r.name, "{rp}.name");
        for k in &keys {
            if r.values.get(k).is_none() {
                v.err("missing-value", &format!("{rp}.values"), format!("第 {} 行（`{}`）没有写数据 `{k}`", i + 1, r.id), format!("row {} (`{}`) has no value for `{k}`", i + 1, r.id));
            }
        }
        for (k, x) in r.values.iter() {
            if !keys.contains(&k) {
                let (zh, en) = suggest(k, keys.iter().copied());
                v.err("unknown-key", &format!("{rp}.values.{k}"), format!("`{k}` 不在表格的 keys 里{zh}"), format!("`{k}` is not one of the table's keys{en}"));
            } else if !x.is_finite() {
                v.err("bad-number", &format!("{rp}.values.{k}"), format!("`{k}` 的值不是一个数"), format!("the value of `{k}` is not a number"));
            }
        }
        if super::rules::resolve_row(t, &r.name.zh) != Some(i) {
            v.warn("ambiguous-row", &format!("{rp}.name"), format!("行名“{}”和别的行分不开（名字或其中的数字相同）：学生写这个名字时认不出是哪一行", r.name.zh), format!("the row name “{}” cannot be told apart from another row's (same name or same number in it): a student writing it would not be understood", r.name.zh));
        }
    }
    let row_cols: Vec<usize> = t.columns.iter().enumerate().filter(|(_, c)| matches!(c.value, CellValue::Row)).map(|(j, _)| j).collect();
    match (&t.sort, row_cols.as_slice()) {
        (Some(sort), cols) => {
            if !keys.contains(&sort.key()) {
                let (zh, en) = suggest(sort.key(), keys.iter().copied());
                v.err("unknown-key", &format!("{np}.sort"), format!("排序依据 `{}` 不在表格的 keys 里{zh}", sort.key()), format!("the sort key `{}` is not one of the table's keys{en}", sort.key()));
            }
            if cols != [0] {
                v.err("sort-needs-row", &format!("{np}.columns"), "表格要学生排序 (sort) 时，第一列必须是 value: Row（学生在每个名次写哪一行），且只能有这一列".into(), "a table the student sorts (`sort`) needs `value: Row` as its first column (which row goes in each place), and only there".into());
            }
        }
        (None, []) => {}
        (None, _) => v.err("row-needs-sort", &format!("{np}.columns[{}].value", row_cols[0]), "value: Row 要和 sort 一起用：没有 sort 时每行的顺序已经固定".into(), "`value: Row` needs the table's `sort`: without it the rows keep the order given".into()),
    }
    let formula_col = |id: &str| t.columns.iter().position(|c| c.id == id && matches!(c.value, CellValue::Formula(_)));
    for (j, col) in t.columns.iter().enumerate() {
        let cp = format!("{np}.columns[{j}]");
        text!(texts, &col.label, "{cp}.label");
        if let Some(f) = &col.feedback {
            text!(texts, f, "{cp}.feedback");
        }
        if !(col.weight.is_finite() && col.weight > 0.0) {
            v.err("bad-number", &format!("{cp}.weight"), "weight 必须是大于 0 的有限的数".into(), "weight must be a finite number above 0".into());
        }
        if col.tolerance.is_some_and(|x| !(x.is_finite() && x >= 0.0)) {
            v.err("bad-number", &format!("{cp}.tolerance"), "tolerance 必须是有限的数，且不能是负数".into(), "tolerance must be a finite number, not negative".into());
        }
        if col.decimals > 6 {
            v.err("bad-number", &format!("{cp}.decimals"), "decimals 最多 6 位".into(), "decimals is at most 6".into());
        }
        let formulas: Vec<(String, &String)> = match &col.value {
            CellValue::Formula(f) => std::iter::once((format!("{cp}.value"), f)).chain(col.also.iter().enumerate().map(|(a, f)| (format!("{cp}.also[{a}]"), f))).collect(),
            _ => {
                if !col.also.is_empty() {
                    v.err("also-needs-formula", &format!("{cp}.also"), "also 只用于 Formula 列".into(), "`also` is only for Formula columns".into());
                }
                Vec::new()
            }
        };
        if matches!(col.value, CellValue::Row) && col.given {
            v.err("row-given", &format!("{cp}.given"), "Row 列是学生排序的地方，不能是 given".into(), "the Row column is where the student sorts; it cannot be `given`".into());
        }
        for (fp, text) in formulas {
            match Formula::parse(text) {
                Err(e) => v.err("bad-formula", &fp, format!("公式“{text}”第 {} 个字符处有错：{}", e.at + 1, e.zh), format!("the formula “{text}” is wrong at character {}: {}", e.at + 1, e.en)),
                Ok(f) => {
                    for name in f.names() {
                        let x = name.name();
                        let ok = match name {
                            Name::Sum(_) => keys.contains(&x),
                            Name::Here(_) => keys.contains(&x) || formula_col(x).is_some_and(|k| k < j),
                            Name::Above(_) => keys.contains(&x) || formula_col(x).is_some(),
                        };
                        if !ok {
                            let later = matches!(name, Name::Here(_)) && formula_col(x).is_some_and(|k| k >= j);
                            let (zh, en) = if later {
                                (format!("公式用到的 `{x}` 是本列或它右边的列：一行里按从左到右的顺序算，只能用左边的列（上一行的值用 above({x})）"), format!("the formula uses `{x}`, this column or one to its right: a row is worked out left to right, so only columns to the left can be used (the row above's value: above({x}))"))
                            } else if matches!(name, Name::Sum(_)) {
                                let (szh, sen) = suggest(x, keys.iter().copied());
                                (format!("sum({x}) 只能用表格的数据 (keys){szh}"), format!("sum({x}) takes one of the table's data keys{sen}"))
                            } else {
                                let names = keys.iter().copied().chain(t.columns.iter().filter(|c| matches!(c.value, CellValue::Formula(_))).map(|c| c.id.as_str()));
                                let (szh, sen) = suggest(x, names);
                                (format!("公式里的 `{x}` 既不是数据 (keys) 也不是数值列{szh}"), format!("`{x}` in the formula is neither a data key nor a number column{sen}"))
                            };
                            v.err("unknown-name", &fp, zh, en);
                        }
                    }
                }
            }
        }
        if let CellValue::Bands { of, bands, otherwise } = &col.value {
            text!(texts, otherwise, "{cp}.value.otherwise");
            if !(keys.contains(&of.as_str()) || formula_col(of).is_some_and(|k| k < j)) {
                let (zh, en) = suggest(of, keys.iter().copied().chain(t.columns[..j].iter().map(|c| c.id.as_str())));
                v.err("unknown-name", &format!("{cp}.value.of"), format!("分档依据 `{of}` 要是数据 (keys) 或本列左边的数值列{zh}"), format!("the bands' `of` (`{of}`) must be a data key or a number column to the left{en}"));
            }
            if bands.is_empty() {
                v.err("too-few", &format!("{cp}.value.bands"), "Bands 至少要有一档".into(), "Bands needs at least one band".into());
            }
            for (b, band) in bands.iter().enumerate() {
                text!(texts, &band.class, "{cp}.value.bands[{b}].class");
                if !band.upto.is_finite() {
                    v.err("bad-number", &format!("{cp}.value.bands[{b}].upto"), format!("upto 必须是有限的数（不是 {}）", band.upto), format!("`upto` must be a finite number (not {})", band.upto));
                    continue;
                }
                if b > 0 && bands[b - 1].upto.is_finite() && band.upto.partial_cmp(&bands[b - 1].upto) != Some(std::cmp::Ordering::Greater) {
                    v.err("bands-order", &format!("{cp}.value.bands[{b}].upto"), "各档的 upto 要从小到大写".into(), "the bands' `upto` values must go up".into());
                }
            }
        }
    }
    if let Some(ch) = &t.chart {
        text!(texts, &ch.title, "{np}.chart.title");
        for (field, id) in [("bars", &ch.bars), ("line", &ch.line)] {
            if let Some(id) = id
                && formula_col(id).is_none()
            {
                v.err("unknown-name", &format!("{np}.chart.{field}"), format!("图表的 {field} 要写一个数值列 (Formula) 的编号，`{id}` 不是"), format!("the chart's `{field}` must name a number (Formula) column; `{id}` is not one"));
            }
        }
        if let Some(id) = &ch.classes
            && !t.columns.iter().any(|c| &c.id == id && matches!(c.value, CellValue::Bands { .. }))
        {
            v.err("unknown-name", &format!("{np}.chart.classes"), format!("图表的 classes 要写一个分档列 (Bands) 的编号，`{id}` 不是"), format!("the chart's `classes` must name a Bands column; `{id}` is not one"));
        }
    }
}

fn check_say<'a>(v: &mut V, sc: &Scenario, x: &'a super::model::Say, np: &str, texts: &mut Vec<(String, &'a Text)>, setters: &mut Vec<(String, &'a str)>) {
    use crate::scenario::reply::{canon_text, pieces};
    if x.elements.is_empty() {
        v.err("too-few", &format!("{np}.elements"), format!("说话节点 `{}` 至少需要一个要点 (elements)", x.id), format!("the Say node `{}` needs at least one element", x.id));
    }
    if x.max_chars == Some(0) {
        v.err("bad-number", &format!("{np}.max_chars"), "max_chars 必须大于 0".into(), "max_chars must be more than 0".into());
    }
    let mut seen = HashSet::new();
    for (j, e) in x.elements.iter().enumerate() {
        let ep = format!("{np}.elements[{j}]");
        if !seen.insert(e.id.as_str()) {
            v.err("duplicate-id", &format!("{ep}.id"), format!("要点编号 `{}` 重复了", e.id), format!("the element id `{}` is used twice", e.id));
        }
        text!(texts, &e.name, "{ep}.name");
        if let Some(f) = &e.feedback {
            text!(texts, f, "{ep}.feedback");
        }
        if let Some(var) = &e.sets {
            setters.push((format!("{ep}.sets"), var));
        }
        if e.say.is_empty() {
            v.err("too-few", &format!("{ep}.say"), format!("要点 `{}` 没有写任何说法 (say)：至少写一个词或短语", e.id), format!("the element `{}` lists no way to say it (say): write at least one word or phrase", e.id));
        }
        for (field, list) in [("say", &e.say), ("half", &e.half)] {
            for (k, t) in list.iter().enumerate() {
                let path = format!("{ep}.{field}[{k}]");
                texts.push((path.clone(), t));
                if t.all().any(|a| pieces(&super::text::substitute(a, |_| Some("1".into()))).is_empty()) {
                    v.err("empty-text", &path, "说法不能是空的（或只有标点）".into(), "a way of saying it cannot be empty (or only punctuation)".into());
                } else if canon_text(&t.zh).chars().count() > 12 {
                    v.warn("long-phrase", &path, format!("说法「{}」太长：要点应写成关键词或短语（如「工号…{{staff}}」），整句话很少有学生一字不差地说出来", t.zh), format!("the phrase “{}” is long: write an element as key words or a short phrase; students rarely type a whole sentence word for word", t.zh));
                }
            }
        }
    }
    for (j, a) in x.avoid.iter().enumerate() {
        let ap = format!("{np}.avoid[{j}]");
        text!(texts, &a.feedback, "{ap}.feedback");
        setters.extend(a.set.keys().map(|k| (format!("{ap}.set.{k}"), k)));
        setters.extend(a.add.keys().map(|k| (format!("{ap}.add.{k}"), k)));
        if a.words.is_empty() && a.list.is_none() {
            v.err("too-few", &ap, "要避免的语言没有写 words，也没有选课程的词表 (list: Negative 或 Rude)".into(), "the language to avoid lists no words and no course list (list: Negative or Rude)".into());
        }
        if a.effects.iter().any(|(_, p)| *p > 0) {
            v.warn("avoid-positive", &format!("{ap}.effects"), "说了要避免的语言却加分：这里的分数应是负数，如 (sincerity: -3)".into(), "saying language to avoid adds points: the points here should be negative, e.g. (sincerity: -3)".into());
        }
        for (k, w) in a.words.iter().enumerate() {
            text!(texts, w, "{ap}.words[{k}]");
            if pieces(&w.zh).is_empty() {
                v.err("empty-text", &format!("{ap}.words[{k}]"), "要避免的词不能是空的".into(), "a word to avoid cannot be empty".into());
            }
        }
        // A forbidden phrase inside a required one: a student saying the right thing is punished.
        let mut forbidden: Vec<(String, String)> = a.words.iter().map(|w| (format!("{ap}.words"), w.zh.clone())).collect();
        if let Some(l) = a.list {
            forbidden.extend(l.words().into_iter().map(|w| (format!("{ap}.list"), w.to_string())));
        }
        for (path, word) in forbidden {
            let w = pieces(&word);
            let Some(first) = w.first() else { continue };
            let first: String = first.iter().collect();
            for e in &x.elements {
                for t in e.say.iter().chain(&e.half) {
                    let phrase = canon_text(&t.zh);
                    if w.len() == 1 && !first.is_empty() && phrase.contains(&first) && (!(a.at_start || a.list == Some(super::model::CourseList::Rude)) || phrase.starts_with(&first)) {
                        v.err("avoid-is-expected", &path, format!("要避免的「{word}」也出现在要点 `{}` 的说法「{}」里：说对的学生反而会被扣分", e.id, t.zh), format!("“{word}”, to be avoided, is also in “{}”, a way of saying the element `{}`: students who say it right would lose points", t.zh, e.id));
                    }
                }
            }
        }
    }
    for (k, w) in x.words.iter().enumerate() {
        // A word that contains an element phrase is read as one word, and hides the phrase.
        let cw = canon_text(w);
        for e in &x.elements {
            for t in e.say.iter().chain(&e.half) {
                let p = canon_text(&t.zh);
                let is_phrase = x.elements.iter().flat_map(|e| e.say.iter().chain(&e.half)).any(|t| canon_text(&t.zh) == cw);
                if !is_phrase && !p.is_empty() && !p.contains('{') && p != cw && cw.contains(&p) {
                    v.warn("word-hides-phrase", &format!("{np}.words[{k}]"), format!("分词用的词「{w}」包含要点 `{}` 的说法「{}」：学生说「{w}」时，「{}」不会被单独认出。请删掉这个词，或把「{w}」也写进说法", e.id, t.zh, t.zh), format!("the word “{w}” contains “{}”, a way of saying the element `{}`: when a student says “{w}”, “{}” is not found on its own. Remove the word, or add “{w}” to the ways of saying it", t.zh, e.id, t.zh));
                }
            }
        }
        if cw.chars().count() < 2 {
            v.warn("empty-text", &format!("{np}.words[{k}]"), format!("分词用的词「{w}」至少要两个字"), format!("the word “{w}” for the word splitter needs at least two characters"));
        }
    }
    if x.models.is_empty() {
        v.warn("no-model", &format!("{np}.models"), format!("说话节点 `{}` 没有参考说法 (models)：学生看不到好的回答是什么样的", x.id), format!("the Say node `{}` has no model reply (models): students never see what a good reply looks like", x.id));
    }
    // Each model reply, with the first variant row's values, must earn every point and break no
    // avoid rule.
    let values: std::collections::BTreeMap<String, Text> = sc.variants.iter().filter_map(|g| g.rows.first()).flat_map(|r| r.iter().map(|(k, t)| (k.to_string(), t.shown()))).collect();
    let forms: std::collections::BTreeMap<String, Vec<Text>> = sc.variants.iter().filter_map(|g| g.rows.first()).flat_map(|r| r.iter().map(|(k, t)| (k.to_string(), t.all().to_vec()))).collect();
    for (k, m) in x.models.iter().enumerate() {
        let mp = format!("{np}.models[{k}]");
        texts.push((mp.clone(), m));
        let text = m.render(super::text::Lang::Zh, &values);
        if u32::try_from(text.trim().chars().count()).unwrap_or(u32::MAX) > x.max_chars() {
            v.err("bad-number", &mp, format!("参考说法有 {} 个字，超过了 max_chars（{}）", text.trim().chars().count(), x.max_chars()), format!("the model reply has {} characters, more than max_chars ({})", text.trim().chars().count(), x.max_chars()));
            continue;
        }
        if x.elements.is_empty() {
            continue;
        }
        let j = crate::scenario::reply::judge(sc, x, &forms, &text);
        let missing: Vec<&str> = x.elements.iter().zip(&j.elements).filter(|(_, v)| !matches!(v, crate::scenario::reply::Verdict::Said(_))).map(|(e, _)| e.id.as_str()).collect();
        if !missing.is_empty() {
            v.warn("model-not-full", &mp, format!("参考说法「{text}」没有（完整）说到这些要点：{}。请补上说法或改写参考说法", missing.join("、")), format!("the model reply “{text}” does not (fully) say these elements: {}. Add ways of saying them or rewrite the model", missing.join(", ")));
        } else if j.list_like {
            v.warn("model-not-full", &mp, format!("参考说法「{text}」读起来像关键词列表，只能得一半分：把它写成完整的句子"), format!("the model reply “{text}” reads as a keyword list and earns half: write it in whole sentences"));
        }
        if let Some(h) = j.hits.first() {
            v.warn("model-not-full", &mp, format!("参考说法里有要避免的语言「{}」", h.quote), format!("the model reply contains language to avoid: “{}”", h.quote));
        }
    }
}

/// Load and validate one file: the scenario (if it parsed) and every diagnostic.
pub fn check_file(path: &std::path::Path) -> (Option<Loaded>, Vec<Diagnostic>) {
    match super::load::load_file(path) {
        Ok(loaded) => {
            let diags = validate(&loaded);
            (Some(loaded), diags)
        }
        Err(d) => (None, vec![d]),
    }
}

