//! The runner refuses answers out of turn with typed errors, never a panic.

use kefu::session::{Action, Event, Session, SessionError, View};
use kefu::Lang;

use crate::common::*;

const SAMPLE: &str = "tests/data/sample.ron";

fn start() -> Session {
    Session::new(scenario(SAMPLE), 2).expect("start")
}

#[test]
fn wrong_kind_of_answer_is_refused() {
    let mut s = start();
    let e = s.answer(Action::Continue, 0).expect_err("a phone needs Pickup");
    assert!(matches!(e, SessionError::WrongKind { kind: "Phone", action: "Continue", .. }), "{e:?}");
    assert_eq!(s.node_id(), "ring", "nothing moved");
    assert!(s.log().is_empty(), "a refused answer is not logged");
}

#[test]
fn unknown_and_unavailable_options_are_refused() {
    let mut s = start();
    s.answer(Action::Pickup, 0).expect("pickup");
    let e = s.answer(Action::Choose("nope".into()), 0).expect_err("unknown");
    assert!(matches!(e, SessionError::UnknownOption { .. }));
    s.answer(Action::Choose("company".into()), 0).expect("greet");
    s.answer(Action::Continue, 0).expect("line");
    s.answer(Action::Choose("again".into()), 0).expect("again 1");
    s.answer(Action::Choose("again".into()), 0).expect("again 2");
    // `again` is offered only while retries < 2.
    let e = s.answer(Action::Choose("again".into()), 0).expect_err("no third time");
    assert!(matches!(e, SessionError::OptionNotAvailable { .. }), "{e:?}");
    let View::Choice { options, .. } = s.view(Lang::Zh) else { panic!("a choice") };
    assert!(!options.iter().any(|o| o.id == "again"));
}

#[test]
fn activity_answers_are_checked() {
    let mut s = start();
    for a in [Action::Pickup, Action::Choose("company".into()), Action::Continue, Action::Choose("when".into())] {
        s.answer(a, 0).expect("step");
    }
    let e = s.answer(Action::Form(pairs(&[("nofield", "x")])), 0).expect_err("no such field");
    assert!(matches!(e, SessionError::InvalidAnswer { .. }));
    s.answer(Action::Form(Vec::new()), 0).expect("an empty form is allowed (all wrong)");
    let e = s.answer(Action::Match(pairs(&[("web", "all"), ("web", "big")])), 0).expect_err("placed twice");
    assert!(matches!(e, SessionError::InvalidAnswer { .. }));
    let e = s.answer(Action::Match(pairs(&[("web", "mars")])), 0).expect_err("no category");
    assert!(matches!(e, SessionError::InvalidAnswer { .. }));
    s.answer(Action::Match(Vec::new()), 0).expect("nothing placed");
    let e = s.answer(Action::Order(ids(&["book", "weigh"])), 0).expect_err("not every step");
    assert!(matches!(e, SessionError::InvalidAnswer { .. }));
    let e = s.answer(Action::Order(ids(&["book", "book", "weigh", "pay"])), 0).expect_err("twice");
    assert!(matches!(e, SessionError::InvalidAnswer { .. }));
    s.answer(Action::Order(ids(&["pay", "waybill", "weigh", "book"])), 0).expect("order");
    let e = s.answer(Action::Compose(Vec::new()), 0).expect_err("below min_phrases");
    assert!(matches!(e, SessionError::InvalidAnswer { .. }));
    let e = s.answer(Action::Compose(ids(&["sit", "sit"])), 0).expect_err("twice");
    assert!(matches!(e, SessionError::InvalidAnswer { .. }));
    let e = s.answer(Action::Compose(ids(&["sit", "thanks", "sorry", "cant"])), 0).expect_err("above max_phrases");
    assert!(matches!(e, SessionError::InvalidAnswer { .. }));
}

#[test]
fn timeouts_are_refused_early_and_absent_elsewhere() {
    let mut s = start();
    let e = s.answer(Action::Timeout, 1000).expect_err("the phone still rings");
    assert!(matches!(e, SessionError::TooEarly { limit_ms: 15_000, .. }), "{e:?}");
    assert!(s.tick(14_999).is_none());
    s.answer(Action::Pickup, 0).expect("pickup");
    let e = s.answer(Action::Timeout, 99_000).expect_err("greet has no countdown");
    assert!(matches!(e, SessionError::NoTimeout { .. }));
}

#[test]
fn tick_applies_the_phone_timeout() {
    let mut s = start();
    assert_eq!(s.ring_at(0), 1);
    assert_eq!(s.ring_at(9_500), 4);
    let step = s.tick(15_000).expect("the caller hangs up");
    assert!(step.timed_out);
    assert_eq!(s.node_id(), "lost");
    assert!(matches!(s.view(Lang::Zh), View::Ended { success: false, .. }));
    assert_eq!(s.answer(Action::Continue, 0).expect_err("ended"), SessionError::Ended);
    assert!(s.tick(99_000).is_none());
}

#[test]
fn hints_run_out() {
    let mut s = start();
    s.answer(Action::Pickup, 0).expect("pickup");
    assert_eq!(s.next_hint(), Some((1, 2)));
    let h = s.hint(3000).expect("one hint");
    assert!(h.zh.contains("电话礼仪"));
    assert_eq!(s.next_hint(), None);
    assert!(matches!(s.hint(4000), Err(SessionError::NoHint { .. })));
    assert_eq!(s.hints_used().len(), 1);
}

#[test]
fn replay_names_the_refused_entry_and_the_wrong_node() {
    let sc = scenario(SAMPLE);
    let events = vec![at("ring", 0, Action::Pickup), Event { node: "close".into(), elapsed_ms: 0, action: Action::Choose("wait".into()) }];
    let (i, e) = Session::replay(sc, 2, &events).expect_err("close is not current");
    assert_eq!(i, 1);
    assert_eq!(e, SessionError::WrongNode { current: "greet".into(), expected: "close".into() });
}

#[test]
fn same_seed_same_attempt_and_options_really_shuffle() {
    let sc = scenario(SAMPLE);
    let order = |seed| {
        let mut s = Session::new(sc.clone(), seed).expect("start");
        s.answer(Action::Pickup, 0).expect("pickup");
        match s.view(Lang::Zh) {
            View::Choice { options, .. } => options.into_iter().map(|o| o.id).collect::<Vec<_>>(),
            v => panic!("{v:?}"),
        }
    };
    assert_eq!(order(7), order(7));
    let distinct: std::collections::BTreeSet<Vec<String>> = (0..20).map(order).collect();
    assert_eq!(distinct.len(), 2, "two options, both orders seen over 20 seeds");
}

#[test]
fn order_activity_is_never_shown_already_solved() {
    let sc = scenario(SAMPLE);
    for seed in 0..50 {
        let mut s = Session::new(sc.clone(), seed).expect("start");
        s.jump_to("steps").expect("jump");
        let View::Order { steps, .. } = s.view(Lang::Zh) else { panic!("order") };
        let got: Vec<&str> = steps.iter().map(|x| x.id.as_str()).collect();
        assert_ne!(got, ["book", "weigh", "waybill", "pay"], "seed {seed}");
    }
}

#[test]
fn views_render_placeholders_in_both_languages() {
    let sc = scenario(SAMPLE);
    let mut s = Session::new(sc, 2).expect("start");
    for a in [Action::Pickup, Action::Choose("company".into())] {
        s.answer(a, 0).expect("step");
    }
    let View::Line { speaker, text, .. } = s.view(Lang::Zh) else { panic!("line") };
    assert_eq!(speaker.map(|p| p.name), Some("王先生".to_string()));
    assert_eq!(text, "我有一批服装要发到威海，急！");
    let View::Line { text, .. } = s.view(Lang::En) else { panic!("line") };
    assert_eq!(text, "I have clothes to send to Weihai, urgently!");
}
