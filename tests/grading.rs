//! Issue 9, grades a teacher can trust: critical errors and their caps, form fields that cannot
//! be stuffed, compose rules on order and negative language, advice that cites the decisions,
//! the audit bots and the `--stdio` protocol. Real paths through tests/data/sample.ron (seed 2:
//! 王先生 / 服装 / 威海 / 3 days), edited in place where a test needs a marker.

use std::path::Path;
use std::sync::Arc;

use kefu::scenario::{Cap, Dim, Rule, Text, load_str, validate};
use kefu::scoring::audit::{Bot, audit};
use kefu::scoring::{Ratings, Report, Scorer};
use kefu::session::{Action, Event, rule_holds};

use crate::common::*;
use crate::golden::expert_events;

const SEED: u64 = 2;

/// The sample with `edits` applied (each `from` must be present), validated clean of errors.
fn sample_with(edits: &[(&str, &str)]) -> Scorer {
    let mut src = std::fs::read_to_string(repo("tests/data/sample.ron")).expect("read");
    for (from, to) in edits {
        assert!(src.contains(from), "sample lacks {from:?}");
        src = src.replacen(from, to, 1);
    }
    let loaded = load_str(Path::new("sample.ron"), &src).unwrap_or_else(|d| panic!("{}", d.render(kefu::Lang::En)));
    let errors: Vec<_> = validate(&loaded).into_iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    Scorer::new(loaded.scenario)
}

fn play(scorer: &Scorer, events: &[Event]) -> Report {
    scorer.score(SEED, events, &Ratings::new()).expect("replays")
}

/// The expert path with the answer at `node` replaced.
fn expert_but(node: &str, action: Action) -> Vec<Event> {
    expert_events().into_iter().map(|e| if e.node == node { at(node, e.elapsed_ms, action.clone()) } else { e }).collect()
}

const HANG_UP: &str = r#"(id: "hang", "#;
const HANG_UP_CRITICAL: &str = r#"(id: "hang", critical: (name: (zh: "先于客户挂断电话", en: "Hung up before the customer"), principle: sincerity), "#;

#[test]
fn a_critical_error_caps_the_grade_and_comes_first() {
    let plain = sample_with(&[]);
    let marked = sample_with(&[(HANG_UP, HANG_UP_CRITICAL)]);
    let events = expert_but("close", Action::Choose("hang".into()));
    let before = play(&plain, &events);
    let after = play(&marked, &events);
    // Without the marker, hanging up first costs only its points: still 良好.
    assert!(before.critical.is_empty());
    assert_eq!((before.total, before.projected, before.grade.zh.as_str()), (76, 84, "良好"));
    // Marked critical: held at 及格 (69), the error listed with its principle and cap.
    assert_eq!(after.critical.len(), 1);
    let c = &after.critical[0];
    assert_eq!((c.node.as_str(), c.principle, &c.cap), ("close", Dim::Sincerity, &Cap::Grade("及格".into())));
    assert_eq!(c.cap_text.zh, "最高及格");
    assert_eq!((after.total, after.projected, after.grade.zh.as_str()), (69, 69, "及格"));
    assert_eq!((after.uncapped_total, after.uncapped_projected, after.cap_limit), (Some(76), Some(84), Some(69)));
    assert_eq!(after.grade_level, 3);
    // The advice names the principle broken and the decision.
    assert_eq!(after.advice.dim, Dim::Sincerity);
    assert_eq!(after.advice.cites, vec!["close".to_string()]);
    assert!(after.advice.text.zh.starts_with("严重错误：先于客户挂断电话"), "{}", after.advice.text.zh);
    assert!(!after.advice.praise);
    // The decision carries it too.
    let d = after.decisions.iter().find(|d| d.node == "close").expect("close");
    assert_eq!(d.critical.len(), 1);
    assert_eq!(d.lost.get("sincerity"), Some(&4.0));
}

#[test]
fn a_band_cap_holds_the_group_band_and_the_lowest_cap_wins() {
    let band = sample_with(&[(HANG_UP, r#"(id: "hang", critical: (name: "先挂电话", principle: sincerity, cap: Band(3)), "#)]);
    let events = expert_but("close", Action::Choose("hang".into()));
    let r = play(&band, &events);
    assert_eq!((r.band.band, r.band.points), (3, 49));
    assert!(r.band.reasons.iter().any(|t| t.zh.contains("严重错误")));
    // 18 member points + 49: band 3 at its top (it was band 2, 58, without the cap).
    assert_eq!((r.total, r.projected, r.grade.zh.as_str()), (67, 74, "中等"));
    assert_eq!((r.uncapped_total, r.uncapped_projected, r.cap_limit), (None, None, None), "a band cap alone holds no total");

    // Two errors: 中等 and 及格 caps, the lower holds.
    let two = sample_with(&[
        (HANG_UP, r#"(id: "hang", critical: (name: "先挂电话", principle: sincerity, cap: Grade("中等")), "#),
        (r#"(id: "dest", "#, r#"(id: "dest", critical: (name: "没有记下目的地", principle: research), "#),
    ]);
    let mut events = expert_but("close", Action::Choose("hang".into()));
    events = events
        .into_iter()
        .map(|e| if e.node == "notes" { at("notes", 30_000, Action::Form(pairs(&[("goods", "服装"), ("days", "3天内")]))) } else { e })
        .collect();
    let r = play(&two, &events);
    let names: Vec<&str> = r.critical.iter().map(|c| c.name.zh.as_str()).collect();
    assert_eq!(names, vec!["没有记下目的地", "先挂电话"], "in the order made");
    assert_eq!(r.cap_limit, Some(69));
    assert!(r.projected <= 69 && r.grade.zh == "及格", "{} {}", r.projected, r.grade.zh);
}

#[test]
fn form_fields_cannot_be_stuffed() {
    let scorer = sample_with(&[(r#"(id: "dest", "#, r#"(id: "dest", wrong: ["北京", "上海"], "#)]);
    let credit = |fields: &[(&str, &str)]| {
        let r = play(&scorer, &expert_but("notes", Action::Form(pairs(fields))));
        let d = r.decisions.iter().find(|d| d.node == "notes").expect("notes");
        (d.credit, d.feedback.iter().map(|f| f.zh.clone()).collect::<Vec<_>>().join(" "))
    };
    // The expert's notes.
    assert_eq!(credit(&[("dest", "山东威海"), ("goods", "服装"), ("days", "3天内")]).0, Some(1.0));
    // A wrong alternative beside the right one earns nothing for that field.
    let (c, fb) = credit(&[("dest", "威海或者北京"), ("goods", "服装"), ("days", "3天内")]);
    assert_eq!(c, Some(2.0 / 3.0));
    assert!(fb.contains("错误的内容"), "{fb}");
    // One catch-all sentence in every field: none of them counts.
    let all = "山东威海的服装，3天内送到";
    let (c, fb) = credit(&[("dest", all), ("goods", all), ("days", all)]);
    assert_eq!(c, Some(0.0));
    assert!(fb.contains("同样的文字"), "{fb}");
    // Too long for a note.
    let long = format!("威海{}", "的".repeat(40));
    let (c, fb) = credit(&[("dest", &long), ("goods", "服装"), ("days", "3天内")]);
    assert_eq!(c, Some(2.0 / 3.0));
    assert!(fb.contains("太长"), "{fb}");
    // The same text is fine where it is exactly what the field expects.
    let (c, _) = credit(&[("dest", "威海"), ("goods", "威海"), ("days", "3天内")]);
    assert_eq!(c, Some(2.0 / 3.0), "dest counts, goods is wrong anyway");
}

#[test]
fn compose_checks_order_and_negative_language() {
    let scorer = sample_with(&[(
        r#"Forbid(tags: ["negative"]"#,
        r#"Before(first: ["situation"], then: ["thanks", "apology"], feedback: (zh: "先说明情况，再道谢或致歉。", en: "The situation first, then thanks.")),
                Avoid(words: ["做不到"], feedback: (zh: "不要说做不到。", en: "Never say you can't."), critical: (name: (zh: "对客户使用负面语言", en: "Negative language to a customer"), principle: sincerity)),
                Forbid(tags: ["negative"]"#,
    )]);
    let credit = |phrases: &[&str]| {
        let r = play(&scorer, &expert_but("notice", Action::Compose(ids(phrases))));
        let d = r.decisions.iter().find(|d| d.node == "notice").expect("notice").clone();
        (d.credit, r.critical.len(), r.grade.zh.clone())
    };
    assert_eq!(credit(&["sit", "thanks"]), (Some(1.0), 0, "优秀".to_string()));
    // The same phrases in the wrong order: one rule of five broken.
    assert_eq!(credit(&["thanks", "sit"]).0, Some(0.8));
    // "别的我们做不到" breaks Forbid and Avoid; the Avoid rule is critical.
    let (c, crit, grade) = credit(&["sit", "thanks", "cant"]);
    assert_eq!((c, crit, grade.as_str()), (Some(0.6), 1, "及格"));

    // Without words, Avoid uses the course's negative language.
    let avoid = Rule::Avoid { words: Vec::new(), feedback: Text::zh("x"), critical: None };
    assert!(!rule_holds(&avoid, &[], "这个不归我管，您找别人吧"));
    assert!(!rule_holds(&avoid, &[], "违者后果自负"));
    assert!(rule_holds(&avoid, &[], "我们能为您做的是：请走3号门。"));
}

#[test]
fn praise_only_when_deserved() {
    let scorer = sample_with(&[]);
    let mut ratings = Ratings::new();
    ratings.insert("cooperation".into(), 10);
    let r = scorer.score(SEED, &expert_events(), &ratings).expect("replays");
    assert!(r.advice.praise && r.total == 100);
    // A 中等 attempt is not told to keep it up.
    let events = expert_but("close", Action::Choose("hang".into()));
    let r = play(&scorer, &events);
    assert!(!r.advice.praise);
    assert!(!r.advice.text.zh.contains("继续保持"), "{}", r.advice.text.zh);
}

#[test]
fn the_audit_plays_the_bots_and_each_critical_error() {
    let plain = sample_with(&[]);
    let a = audit(plain.scenario(), 20);
    assert_eq!((a.seeds, a.expert_mean, a.expert_min), (20, 100.0, 100));
    assert_eq!(a.bots.iter().map(|b| b.bot).collect::<Vec<_>>(), Bot::ALL.to_vec());
    // The sample has few choices and no critical marker: some naive strategy gets 良好 or
    // better, and the audit says so by name.
    let gamed: Vec<_> = a.bots.iter().filter(|b| b.mean >= 80.0).collect();
    assert!(!gamed.is_empty(), "{:?}", a.bots);
    for b in gamed {
        assert!(a.warnings.iter().any(|w| w.zh.contains(&b.name.zh) && w.zh.contains("投机取巧")), "{:?}", a.warnings);
    }
    assert!(a.warnings.iter().any(|w| w.zh.contains("没有任何一个单独的错误")), "no critical marked");

    let marked = sample_with(&[(HANG_UP, HANG_UP_CRITICAL)]);
    let a = audit(marked.scenario(), 20);
    assert_eq!(a.critical.len(), 1);
    let c = &a.critical[0];
    assert_eq!((c.node.as_str(), c.deviation.as_str(), c.projected, c.ending.as_deref()), ("close", "option hang", Some(69), Some("done")));
    assert!(!a.warnings.iter().any(|w| w.zh.contains("没有任何一个单独的错误")));
    // Bots are the real runner: the same seed gives the same report.
    let r1 = kefu::scoring::audit::play_bot(&marked, 7, Bot::Random).expect("plays");
    let r2 = kefu::scoring::audit::play_bot(&marked, 7, Bot::Random).expect("plays");
    assert_eq!(r1, r2);
}

#[test]
fn the_scenario_rubric_decides_what_a_hint_does() {
    // A teacher who counts any hint as help (band 3) writes it in the scenario's rubric.
    let scorer = sample_with(&[(
        "    variables:",
        "    rubric: (bands: [
        (band: 1, min: 60, max: 70, min_share: 0.8, max_hints: 0, within_time: true, finished: true, success: true),
        (band: 2, min: 50, max: 59, min_share: 0.5, max_hints: 0, within_time: true, finished: true, success: true),
        (band: 3, min: 40, max: 49),
    ]),
    variables:",
    )]);
    let mut events = expert_events();
    events.insert(1, at("greet", 4000, Action::Hint));
    let r = play(&scorer, &events);
    assert_eq!((r.band.band, r.total, r.hint_effect), (3, 67, 23));
    let mut s = kefu::session::Session::new(Arc::clone(scorer.scenario()), SEED).expect("starts");
    s.apply(&expert_events()[0]).expect("pickup");
    let p = scorer.hint_preview(&s).expect("a hint");
    assert_eq!((p.ceiling_now, p.ceiling_after, p.band_after), (100, 77, 3));
}

#[test]
fn a_timeout_can_count_as_a_strike_and_order_rules_compare_different_phrases() {
    // A silence adds to a variable: after two, "could you say that again?" is no longer offered.
    let scorer = sample_with(&[(r#"timeout: (seconds: 20, next: "ask","#, r#"timeout: (seconds: 20, next: "ask", add: (retries: 1),"#)]);
    let mut s = kefu::session::Session::new(Arc::clone(scorer.scenario()), SEED).expect("starts");
    for e in &expert_events()[..3] {
        s.apply(e).expect("plays");
    }
    let offered = |s: &kefu::session::Session| s.available_options().iter().any(|o| o.id == "again");
    assert!(offered(&s));
    s.apply(&at("ask", 20_000, Action::Timeout)).expect("silence");
    s.apply(&at("ask", 20_000, Action::Timeout)).expect("silence");
    assert_eq!(s.vars().get("retries"), Some(&2));
    assert!(!offered(&s));

    // A phrase tagged both `first` and `then` does not break the order on its own.
    let phrase = |id: &str, tags: &[&str]| kefu::scenario::Phrase { id: id.into(), text: Text::zh(id), tags: tags.iter().map(|t| t.to_string()).collect() };
    let both = phrase("both", &["situation", "apology"]);
    let sorry = phrase("sorry", &["apology"]);
    let sit = phrase("sit", &["situation"]);
    let before = Rule::Before { first: vec!["situation".into()], then: vec!["apology".into()], feedback: Text::zh("x"), critical: None };
    assert!(rule_holds(&before, &[&both], ""));
    assert!(rule_holds(&before, &[&sit, &both, &sorry], ""));
    assert!(!rule_holds(&before, &[&sorry, &sit], ""));
    assert!(!rule_holds(&before, &[&both, &sit], ""), "an apology before a later situation phrase");
}

/// Portraits follow the conversation: the student's last decision decides how the customer
/// looks, a line's own `mood` wins, and an ending shows how it ended.
#[test]
fn the_customer_mood_follows_the_last_decision() {
    use kefu::scenario::Mood;
    let scorer = sample_with(&[]);
    let mood_after = |events: &[Event]| kefu::session::Session::replay(Arc::clone(scorer.scenario()), SEED, events).expect("replays").mood();
    let ev = expert_events();
    assert_eq!(mood_after(&ev[..1]), Mood::Pleased, "answered on the first ring");
    assert_eq!(mood_after(&ev[..2]), Mood::Pleased, "greeted with the company name");
    let curt = [ev[0].clone(), choose("greet", "hello")];
    assert_eq!(mood_after(&curt), Mood::Annoyed, "a curt hello annoys");
    assert_eq!(mood_after(&ev), Mood::Pleased, "a successful ending");
    // A line can say it itself.
    let calm = sample_with(&[(r#"Line(id: "caller", speaker: "customer","#, r#"Line(id: "caller", speaker: "customer", mood: neutral,"#)]);
    let s = kefu::session::Session::replay(Arc::clone(calm.scenario()), SEED, &curt).expect("replays");
    assert_eq!(s.mood(), Mood::Neutral);
    let kefu::session::View::Line { speaker: Some(sp), .. } = s.view(kefu::Lang::Zh) else { panic!("the caller's line") };
    assert_eq!(sp.mood, Mood::Neutral);
}

/// Issue 12: number answers with the working shown, several right values, and a limit
/// ("at most 3 days": 2 is right too).
#[test]
fn number_answers_take_working_alternatives_and_limits() {
    let credit = |expected: &str, written: &str| {
        let scorer = sample_with(&[(r#"expected: Number(value: "{days}", tolerance: 0)"#, expected)]);
        let r = play(&scorer, &expert_but("notes", Action::Form(pairs(&[("dest", "山东威海"), ("goods", "服装"), ("days", written)]))));
        r.decisions.iter().find(|d| d.node == "notes").expect("notes").credit
    };
    let exact = r#"expected: Number(value: "{days}", tolerance: 0)"#;
    assert_eq!(credit(exact, "1+2=3"), Some(1.0), "the part after = counts");
    assert_eq!(credit(exact, "1+2"), Some(1.0), "the expression is worked out");
    assert_eq!(credit(exact, "1+2=4"), Some(2.0 / 3.0), "a wrong result after right working is wrong");
    let also = r#"expected: Number(value: "{days}", also: ["72"], tolerance: 0)"#;
    assert_eq!(credit(also, "72小时"), Some(1.0), "another accepted value");
    assert_eq!(credit(also, "48"), Some(2.0 / 3.0));
    let at_most = r#"expected: Number(value: "{days}", compare: AtMost)"#;
    assert_eq!(credit(at_most, "2天"), Some(1.0), "within the limit");
    assert_eq!(credit(at_most, "三天"), Some(1.0));
    assert_eq!(credit(at_most, "4天"), Some(2.0 / 3.0), "over the limit");
    let at_least = r#"expected: Number(value: "{days}", compare: AtLeast)"#;
    assert_eq!(credit(at_least, "5"), Some(1.0));
    assert_eq!(credit(at_least, "2"), Some(2.0 / 3.0));
}

/// Issue 12: random draws set variables from the attempt's seed (the customer's personality),
/// replays draw the same, and the analysis starts from every outcome.
#[test]
fn draws_set_variables_per_attempt_and_the_analysis_sees_them_all() {
    let src = r#"Scenario(
    id: "draws",
    title: "抽取",
    course: (project: 9, task: 9),
    situation: "一位客户来投诉。",
    roles: [(id: "agent", name: "刘铭丽", played_by: Student), (id: "customer", name: "客户")],
    variables: (friendly: false, dictatorial: false, analytical: false, self_centred: false),
    draws: [(vars: ["friendly", "dictatorial", "analytical", "self_centred"])],
    nodes: [
        Line(id: "meet", speaker: "customer", text: "你们怎么搞的！", next: "calm",
             branches: [(when: "dictatorial", next: "boss"), (when: "analytical", next: "facts")]),
        Choice(id: "calm", prompt: "你：", options: [
            (id: "sorry", text: "非常抱歉，我马上为您处理。", effects: (sincerity: 2), expert: true, feedback: "好。", next: "end"),
            (id: "argue", text: "这不是我们的问题。", effects: (sincerity: -2), feedback: "不好。", next: "end"),
        ]),
        Choice(id: "boss", prompt: "你：", options: [
            (id: "respect", text: "您说得对，我这就按您的要求办。", effects: (skill: 2), expert: true, feedback: "好。", next: "end"),
            (id: "lecture", text: "请您先冷静一下，听我解释规定。", effects: (skill: -1), feedback: "不好。", next: "end"),
        ]),
        Choice(id: "facts", prompt: "你：", options: [
            (id: "reasons", text: "原因有三点，我一一说明。", effects: (research: 2), expert: true, feedback: "好。", next: "end"),
            (id: "vague", text: "反正就是出了点问题。", effects: (research: -1), feedback: "不好。", next: "end"),
        ]),
        Ending(id: "end", outcome: "结束。"),
    ],
)"#;
    let loaded = kefu::scenario::load_str(std::path::Path::new("draws.ron"), src).expect("loads");
    let errors: Vec<String> = kefu::scenario::validate(&loaded).iter().filter(|d| d.is_error()).map(|d| d.render(kefu::Lang::En)).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let sc = loaded.scenario;
    let drawn = |seed: u64| {
        let s = kefu::Session::new(std::sync::Arc::clone(&sc), seed).expect("session");
        let on: Vec<String> = s.vars().iter().filter(|(_, v)| **v == 1).map(|(k, _)| k.clone()).collect();
        on
    };
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..40 {
        let on = drawn(seed);
        assert_eq!(on.len(), 1, "exactly one personality: {on:?}");
        assert_eq!(drawn(seed), on, "the same seed draws the same");
        seen.insert(on[0].clone());
    }
    assert_eq!(seen.len(), 4, "over 40 seeds every personality comes up: {seen:?}");
    // The analysis starts from every draw: the three branches' points are all reachable.
    let r = kefu::scenario::ranges::ranges(&sc);
    assert_eq!((r.max("sincerity"), r.max("skill"), r.max("research")), (Some(2.0), Some(2.0), Some(2.0)));
    assert!(!r.approximate);
    // A draw of an undeclared variable, and a pick larger than the list.
    let bad = src.replace(r#"draws: [(vars: ["friendly", "dictatorial", "analytical", "self_centred"])]"#, r#"draws: [(vars: ["friendly", "shy"], pick: 3)]"#);
    let l = kefu::scenario::load_str(std::path::Path::new("draws.ron"), &bad).expect("loads");
    let codes: Vec<&str> = kefu::scenario::validate(&l).iter().map(|d| d.code).collect();
    assert!(codes.contains(&"unknown-variable") && codes.contains(&"bad-number"), "{codes:?}");
}

/// A typed reply can have a countdown (the customer will not wait for ever): past it, the reply
/// is the timeout, with its points, feedback and path; the analysis knows the path.
#[test]
fn a_typed_reply_can_time_out() {
    let src = r#"Scenario(
    id: "say-timeout",
    title: "打字倒计时",
    course: (project: 9, task: 9),
    situation: "客户在柜台前等着。",
    roles: [(id: "agent", name: "刘铭丽", played_by: Student), (id: "customer", name: "客户")],
    variables: (strikes: 0),
    nodes: [
        Say(
            id: "greet",
            speaker: "customer",
            prompt: "客户走到柜台前。你说：",
            elements: [(id: "hello", name: "问候", say: ["您好"], effects: (smile: 2))],
            models: ["您好，请问有什么可以帮您？"],
            timeout: (seconds: 30, next: "waited", effects: (speed: -1), add: (strikes: 1), feedback: "客户等了半分钟，你一句话也没说。",
                      critical: (name: "让客户干等", principle: speed, cap: Grade("中等"))),
            next: "end",
        ),
        Line(id: "waited", speaker: "customer", text: "有人吗？", next: "end"),
        Ending(id: "end", outcome: "结束。"),
    ],
)"#;
    let loaded = load_str(Path::new("say-timeout.ron"), src).expect("loads");
    let errors: Vec<String> = validate(&loaded).iter().filter(|d| d.is_error()).map(|d| d.render(kefu::Lang::En)).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let sc = loaded.scenario;
    let scorer = Scorer::new(Arc::clone(&sc));
    // In time: the reply counts.
    let r = scorer.score(0, &[at("greet", 12_000, Action::Say("您好".into()))], &Ratings::new()).expect("plays");
    assert_eq!((r.ending.as_deref(), r.critical.len()), (Some("end"), 0));
    // Typed after the countdown: the timeout, with its path, points and critical error.
    let late = [at("greet", 31_000, Action::Say("您好".into())), at("waited", 0, Action::Continue)];
    let r = scorer.score(0, &late, &Ratings::new()).expect("plays");
    let d = r.decisions.iter().find(|d| d.node == "greet").expect("greet");
    assert!(d.timed_out && d.credit == Some(0.0));
    assert_eq!(criticals(&r), vec![("greet", "让客户干等")]);
    let s = kefu::Session::replay(Arc::clone(&sc), 0, &late).expect("replays");
    assert_eq!(s.vars().get("strikes"), Some(&1));
    // Too early for a timeout.
    let mut s = kefu::Session::new(Arc::clone(&sc), 0).expect("session");
    assert!(s.answer(Action::Timeout, 5000).is_err());
    // The analysis knows both ways on.
    let ranges = kefu::scenario::ranges::ranges(&sc);
    assert_eq!((ranges.max("smile"), ranges.min("speed")), (Some(2.0), Some(-1.0)));
}

/// A critical error on a branch that only some random draws open (the cold call meets three of
/// nine objections) is played with the first seed whose expert path gets there, not reported as
/// never reached.
#[test]
fn the_audit_reaches_critical_errors_behind_random_draws() {
    let sc = scenario("scenarios/s3-forwarder-cold-call.ron");
    let a = audit(&sc, 5);
    assert!(a.critical.iter().all(|c| c.projected.is_some()), "{:?}", a.critical.iter().filter(|c| c.projected.is_none()).map(|c| &c.node).collect::<Vec<_>>());
    assert!(a.critical.iter().any(|c| c.seed > 0), "some objections are not drawn by seed 0");
    assert!(a.critical.iter().filter(|c| c.seed > 0).all(|c| c.projected.is_some_and(|p| p <= 69)));
}

/// The reachable ranges are explored once per scenario: validation, every scorer and the
/// analysis share them; a clone (which may be changed) explores its own.
#[test]
fn ranges_are_explored_once_per_scenario() {
    let loaded = kefu::scenario::load_file(&crate::common::repo("tests/data/sample.ron")).expect("loads");
    let sc = std::sync::Arc::clone(&loaded.scenario);
    assert!(kefu::scenario::validate(&loaded).iter().all(|d| !d.is_error()));
    let kept = sc.ranges();
    let a = kefu::scoring::Scorer::new(std::sync::Arc::clone(&sc));
    let b = kefu::scoring::Scorer::new(std::sync::Arc::clone(&sc));
    assert!(std::ptr::eq(a.ranges(), &*kept) && std::ptr::eq(b.ranges(), &*kept), "each scorer explored again");
    let (again, _) = kefu::scenario::ranges::ranges_and_node_ranges(&sc);
    assert!(std::sync::Arc::ptr_eq(&again, &kept));
    let copy = std::sync::Arc::new((*sc).clone());
    let theirs = copy.ranges();
    assert!(!std::sync::Arc::ptr_eq(&theirs, &kept), "a clone shares its original's ranges");
    assert_eq!(theirs.max, kept.max, "the same scenario has the same ranges");
    assert!(kept.max.iter().any(|m| m.is_some_and(|x| x > 0.0)));
}
