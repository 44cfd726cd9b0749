//! Integration tests: grades_overview — the class overview statistics (kefu::grades::overview):
//! who played, grade levels and 10-point bins, each group's weakest 5S dimension, and how often
//! each option of every decision was chosen in the counted attempts.

use std::path::PathBuf;

use kefu::grades::overview::{overview, task_overview, without_placeholders};
use kefu::grades::{ClassGrades, Counting, Entries, Selection, compute};
use kefu::records::AttemptRecord;
use kefu::roster::{Class, load_class};
use kefu::scenario::{Dim, Node};
use kefu::session::Action;
use kefu::session::autoplay::Policy;
use kefu::Loaded;

use crate::common::*;
use crate::records::{SAMPLE, attempt};

fn class() -> Class {
    load_class(&repo("tests/data/roster/class.ron")).expect("class file")
}

/// 张喆 expert; 李堃 worst then expert (two attempts); 王玥 worst; 赵一 expert; 钱二 worst;
/// 孙三 (a group of one) never played. One record of another class's student.
fn records(l: &Loaded) -> Vec<(PathBuf, AttemptRecord)> {
    let mut out = Vec::new();
    let mut add = |id: &str, name: &str, policy: Policy, seed: u64, at: &str| {
        let n = out.len();
        out.push((PathBuf::from(format!("r{n}.ron")), attempt(l, policy, seed, id, name, at)));
    };
    add("0024001", "张喆", Policy::Expert, 1, "2026-11-23T09:00:00Z");
    add("0024002", "李堃", Policy::Worst, 2, "2026-11-23T09:00:00Z");
    add("0024002", "李堃", Policy::Expert, 3, "2026-11-23T09:30:00Z");
    add("0024003", "王玥", Policy::Worst, 4, "2026-11-23T09:00:00Z");
    add("0024004", "赵一", Policy::Expert, 5, "2026-11-23T09:00:00Z");
    add("0024005", "钱二", Policy::Worst, 6, "2026-11-23T09:00:00Z");
    add("9999999", "别班", Policy::Expert, 7, "2026-11-23T09:00:00Z");
    out
}

fn grades(l: &Loaded, recs: &[(PathBuf, AttemptRecord)], entries: &Entries) -> ClassGrades {
    compute(&class(), std::slice::from_ref(l), recs, entries, &Selection::default())
}

#[test]
fn counts_players_grade_levels_and_bins_from_the_totals() {
    let l = load(SAMPLE);
    let recs = records(&l);
    let mut entries = Entries::new("物流2401班");
    entries.set_rating("sample-every-kind", "0024001", "cooperation", Some(9));
    let g = grades(&l, &recs, &entries);
    let all = overview(&g, std::slice::from_ref(&l), &recs);
    assert_eq!(all.len(), 1);
    let ov = &all[0];
    assert_eq!(ov.scenario_id, "sample-every-kind");
    assert_eq!((ov.students, ov.played, ov.graded), (6, 5, 5), "孙三 never played; the other class's record is not counted");
    assert_eq!(ov.provisional, 4, "only 张喆 has 互助与合作");

    let task = &g.tasks[0];
    let totals: Vec<u32> = task.members().filter_map(|(_, m)| m.total).collect();
    assert_eq!(totals.len(), 5);
    // Grade levels, highest first, as the course's five-level grade.
    let names: Vec<&str> = ov.by_grade.iter().map(|c| c.name.zh.as_str()).collect();
    assert_eq!(names, ["优秀", "良好", "中等", "及格", "不及格"]);
    assert_eq!(ov.by_grade.iter().map(|c| c.count).sum::<usize>(), 5);
    // The grade rests on the projected total (scaled while 互助与合作 is pending), exactly as on
    // the student's result screen, and lies in its level.
    for (_, m) in task.members() {
        if let (Some(t), Some(p), Some(grade)) = (m.total, m.projected, &m.grade) {
            let level = ov.by_grade.iter().find(|c| c.name == *grade).expect("level of the member's grade");
            assert!(p >= level.min && p >= t, "{p} in {}", grade.zh);
            if !m.provisional {
                assert_eq!(p, t);
            }
        }
    }
    for c in &ov.by_grade {
        let want = task.members().filter(|(_, m)| m.grade.as_ref() == Some(&c.name)).count();
        assert_eq!(c.count, want, "{}", c.name.zh);
    }
    // 10-point bins.
    assert_eq!(ov.bins.iter().sum::<usize>(), 5);
    for (i, n) in ov.bins.iter().enumerate() {
        let want = totals.iter().filter(|t| (**t as usize / 10).min(9) == i).count();
        assert_eq!(*n, want, "bin {i}");
    }
    let mean = f64::from(totals.iter().sum::<u32>()) / 5.0;
    assert!((ov.mean.expect("mean") - mean).abs() < 1e-9);
    let mut sorted = totals.clone();
    sorted.sort_unstable();
    assert_eq!(ov.median, Some(f64::from(sorted[2])));
}

#[test]
fn the_weakest_dimension_per_group_is_the_lowest_mean_of_its_members() {
    let l = load(SAMPLE);
    let recs = records(&l);
    let g = grades(&l, &recs, &Entries::new("物流2401班"));
    let ov = task_overview(&g.tasks[0], &l.scenario, &recs);
    assert_eq!(ov.groups.iter().map(|x| x.group.as_str()).collect::<Vec<_>>(), ["第一组", "第二组", "第三组"]);
    for (gd, gg) in ov.groups.iter().zip(&g.tasks[0].groups) {
        let dims: Vec<&Vec<f64>> = gg.members.iter().filter(|m| m.counted.is_some()).map(|m| &m.dimensions).collect();
        assert_eq!(gd.counted, dims.len(), "{}", gd.group);
        if dims.is_empty() {
            assert!(gd.means.is_empty() && gd.weakest.is_none(), "{}: nobody played", gd.group);
            continue;
        }
        let means: Vec<f64> = (0..5).map(|i| dims.iter().map(|d| d[i]).sum::<f64>() / dims.len() as f64).collect();
        assert_eq!(gd.means.len(), 5);
        for (a, b) in gd.means.iter().zip(&means) {
            assert!((a - b).abs() < 1e-9, "{}: {a} vs {b}", gd.group);
        }
        let (dim, pct) = gd.weakest.expect("weakest");
        let low = means.iter().copied().fold(f64::INFINITY, f64::min);
        assert!((pct - low).abs() < 1e-9);
        let first_low = Dim::ALL[means.iter().position(|m| *m == low).expect("min")];
        assert_eq!(dim, first_low, "{}: ties go to the first dimension", gd.group);
    }
    assert_eq!(ov.groups[2].group, "第三组");
    assert!(ov.groups[2].weakest.is_none(), "孙三 has no attempt");
}

#[test]
fn decisions_count_every_option_of_the_counted_attempts_with_the_expert_marked() {
    let l = load(SAMPLE);
    let recs = records(&l);
    for counting in [Counting::Best, Counting::First] {
        let mut entries = Entries::new("物流2401班");
        entries.set_counting(Some("sample-every-kind"), counting);
        let g = grades(&l, &recs, &entries);
        let task = &g.tasks[0];
        let ov = task_overview(task, &l.scenario, &recs);

        // Every Choice node of the file, in file order, with the file's options.
        let choices: Vec<&kefu::scenario::Choice> = l.scenario.nodes.iter().filter_map(|n| if let Node::Choice(c) = n { Some(c) } else { None }).collect();
        assert_eq!(ov.decisions.iter().map(|d| d.node.as_str()).collect::<Vec<_>>(), choices.iter().map(|c| c.id.as_str()).collect::<Vec<_>>());
        for (d, c) in ov.decisions.iter().zip(&choices) {
            assert_eq!(d.options.iter().map(|o| (o.id.as_str(), o.expert)).collect::<Vec<_>>(), c.options.iter().map(|o| (o.id.as_str(), o.expert)).collect::<Vec<_>>());
        }

        // Counted independently from the counted attempts' logs.
        let counted: Vec<&AttemptRecord> = task
            .members()
            .filter_map(|(_, m)| m.counted.as_ref())
            .map(|c| &recs.iter().find(|(p, _)| *p == c.path).expect("counted record").1)
            .collect();
        assert_eq!(counted.len(), 5);
        for d in &ov.decisions {
            for o in &d.options {
                let want: usize = counted.iter().map(|r| r.log.iter().filter(|e| e.node == d.node && e.action == Action::Choose(o.id.clone())).count()).sum();
                assert_eq!(o.count, want, "{counting:?} {}/{}", d.node, o.id);
            }
            let timeouts: usize = counted.iter().map(|r| r.log.iter().filter(|e| e.node == d.node && e.action == Action::Timeout).count()).sum();
            assert_eq!(d.timeouts, timeouts);
            let reached = counted.iter().filter(|r| r.log.iter().any(|e| e.node == d.node && matches!(e.action, Action::Choose(_) | Action::Timeout))).count();
            assert_eq!(d.attempts, reached);
        }

        // 李堃's counted attempt: the expert one with Best, the worst (first) one with First.
        let greet = ov.decisions.iter().find(|d| d.node == "greet").expect("greet");
        let company = greet.options.iter().find(|o| o.id == "company").expect("company");
        assert!(company.expert);
        let want = if counting == Counting::Best { 3 } else { 2 };
        assert_eq!(company.count, want, "{counting:?}: expert attempts say the company's name");
        // The worst path lets the phone ring out, so it never reaches the greeting.
        assert_eq!(greet.options.iter().find(|o| o.id == "hello").map(|o| o.count), Some(0));
        assert_eq!((greet.attempts, greet.answers()), (want, want));
        assert_eq!(greet.expert_share(), Some(1.0));
        let close = ov.decisions.iter().find(|d| d.node == "close").expect("close");
        assert_eq!(close.options.iter().find(|o| o.id == "wait").map(|o| (o.count, o.expert)), Some((want, true)));
    }
}

#[test]
fn a_task_without_records_gives_empty_statistics() {
    let l = load(SAMPLE);
    let mut entries = Entries::new("物流2401班");
    // An entry alone makes the task appear (the teacher rated before anyone played).
    entries.set_rating("sample-every-kind", "0024001", "cooperation", Some(8));
    let g = grades(&l, &[], &entries);
    let ov = &overview(&g, std::slice::from_ref(&l), &[])[0];
    assert_eq!((ov.played, ov.graded, ov.provisional), (0, 0, 0));
    assert_eq!(ov.bins, [0; 10]);
    assert!(ov.by_grade.iter().all(|c| c.count == 0));
    assert_eq!((ov.mean, ov.median), (None, None));
    assert!(ov.groups.iter().all(|g| g.weakest.is_none()));
    assert!(ov.decisions.iter().all(|d| d.answers() == 0 && d.attempts == 0 && d.expert_share().is_none()));
    // A scenario not passed in is left out.
    assert!(overview(&g, &[], &[]).is_empty());
}

#[test]
fn placeholders_are_left_out_of_option_texts() {
    assert_eq!(without_placeholders("您好，长海物流，工号{staff}，请问有什么可以帮您？"), "您好，长海物流，工号…，请问有什么可以帮您？");
    assert_eq!(without_placeholders("{{literal}} {x}"), "{literal} …");
}
