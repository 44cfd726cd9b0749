//! The walks through the teacher's screens: the lock, the teacher view with a class, tampered
//! records, the scenario map, the LRS and group play; and the helpers that set them up.

use super::*;

/// The teacher password of the scripted walks.
pub(super) const PIN: &str = "2468";

/// Answer the teacher lock as a teacher would: set [`PIN`] on first use, else enter it.
pub(super) fn give_password(w: &mut World) {
    let ask = w.resource::<Lock>().prompt.as_ref().map(|p| p.ask.clone());
    match ask {
        Some(Ask::Set) => {
            w.write_message(LockIntent::Set { password: PIN.into(), repeat: PIN.into() });
        }
        Some(Ask::Enter) => {
            w.write_message(LockIntent::Enter(PIN.into()));
        }
        _ => {}
    }
}

/// The class the lock walk drops on the teacher view (beside the walk's files): 王玥 and 李堃
/// played the sample, 赵一 did not.
pub(super) fn class_csv(w: &World) -> PathBuf {
    w.resource::<Script>().dir.join("物流2401班.csv")
}

pub(super) fn drag(w: &mut World, drop: bool) {
    let window = w.query_filtered::<Entity, With<bevy::window::PrimaryWindow>>().iter(w).next().unwrap_or(Entity::PLACEHOLDER);
    let path_buf = class_csv(w);
    let m = if drop { bevy::window::FileDragAndDrop::DroppedFile { window, path_buf } } else { bevy::window::FileDragAndDrop::HoveredFile { window, path_buf } };
    w.write_message(m);
}

/// The class CSV and two finished attempts at the sample in the records folder.
pub(super) fn lab_class(w: &mut World) {
    use crate::records::{AttemptRecord, Player, store::save_record};
    let csv = class_csv(w);
    let _ = std::fs::write(&csv, "学号,姓名,组别,组长\n2024001,王玥,第一组,是\n2024002,李堃,第一组,\n2024003,赵一,第一组,\n");
    let settings = w.resource::<Settings>().clone();
    let (records, _) = w.resource::<crate::app::settings::AppPaths>().records_dir(&settings);
    let Some(loaded) = w.resource::<Library>().find(SAMPLE).map(|e| e.loaded.clone()) else { return };
    for (seed, id, name, policy) in [(7, "2024001", "王玥", crate::session::autoplay::Policy::Expert), (8, "2024002", "李堃", crate::session::autoplay::Policy::Worst)] {
        let Ok(session) = crate::session::autoplay::play(&loaded.scenario, seed, policy) else { continue };
        let mut r = AttemptRecord::start(&session, &loaded.hash, Player { id: id.into(), name: name.into(), group: None });
        r.sync(&session);
        let _ = save_record(&records, &r, None);
    }
}

/// Issue 13: a class key on this PC, three signed attempts, then one edited (its seed), one
/// forged without a seal, and a copy renamed to `.bak`: what the teacher view shows.
pub(super) fn tampered_class(w: &mut World) {
    use crate::records::{AttemptRecord, Player, seal::ClassKey, store::save_record};
    let csv = class_csv(w);
    let _ = std::fs::write(&csv, "学号,姓名,组别,组长\n2024001,王玥,第一组,是\n2024002,李堃,第一组,\n2024003,赵一,第一组,\n");
    let settings = w.resource::<Settings>().clone();
    let paths = w.resource::<crate::app::settings::AppPaths>().clone();
    let (records, _) = paths.records_dir(&settings);
    let Some(key_file) = paths.key_file.clone() else { return };
    if let Some(d) = key_file.parent() {
        let _ = std::fs::create_dir_all(d);
    }
    let key = ClassKey::generate();
    let _ = std::fs::write(&key_file, key.to_file_text());
    let Some(loaded) = w.resource::<Library>().find(SAMPLE).map(|e| e.loaded.clone()) else { return };
    let record = |seed, id: &str, name: &str, policy| {
        let session = crate::session::autoplay::play(&loaded.scenario, seed, policy).ok()?;
        let mut r = AttemptRecord::start(&session, &loaded.hash, Player { id: id.into(), name: name.into(), group: None });
        r.sync(&session);
        Some(r)
    };
    use crate::session::autoplay::Policy;
    if let Some(r) = record(7, "2024001", "王玥", Policy::Expert)
        && let Ok(p) = save_record(&records, &r, Some(&key))
    {
        let _ = std::fs::copy(&p, records.join("王玥-备份.ron.bak"));
    }
    if let Some(r) = record(8, "2024002", "李堃", Policy::Worst)
        && let Ok(p) = save_record(&records, &r, Some(&key))
        && let Ok(t) = std::fs::read_to_string(&p)
    {
        let _ = std::fs::write(&p, t.replacen("seed: 8,", "seed: 7,", 1));
    }
    if let Some(r) = record(7, "2024003", "赵一", Policy::Expert) {
        let _ = std::fs::write(records.join("sample-every-kind_2024003_forged.ron"), r.to_ron());
    }
}

/// Select the authoring file whose name starts with `prefix` and show its map.
pub(super) fn map_of(w: &mut World, prefix: &str) {
    let path = w.resource::<Authoring>().files.iter().find(|f| f.name.starts_with(prefix)).map(|f| f.path.clone());
    if let Some(p) = path {
        w.write_message(AuthorIntent::Select(p));
        w.write_message(AuthorIntent::Show(crate::app::authoring::View::Map));
    }
}

/// Issue 14: the map of every course scenario in authoring mode, a node's panel, a file with
/// errors (tests/data/map-problems.ron, copied in by the script).
pub(super) const MAP_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 1200, apply: |w| {
        w.write_message(AuthorIntent::Enter);
    } },
    Step { shot: "", settle_ms: 1200, apply: give_password },
    Step { shot: "map-p1t1", settle_ms: 2500, apply: |w| map_of(w, "p1t1") },
    Step { shot: "map-p1t2", settle_ms: 2500, apply: |w| map_of(w, "p1t2") },
    Step { shot: "map-p1t3", settle_ms: 2500, apply: |w| map_of(w, "p1t3") },
    Step { shot: "map-p1t3-node", settle_ms: 1500, apply: |w| {
        w.write_message(AuthorIntent::MapSelect(Some("focus".into())));
    } },
    Step { shot: "map-p2t1", settle_ms: 2500, apply: |w| map_of(w, "p2t1") },
    Step { shot: "map-p2t2", settle_ms: 2500, apply: |w| map_of(w, "p2t2") },
    Step { shot: "map-p3t1", settle_ms: 2500, apply: |w| map_of(w, "p3t1") },
    Step { shot: "map-p3t2", settle_ms: 2500, apply: |w| map_of(w, "p3t2") },
    Step { shot: "map-p4t1", settle_ms: 2500, apply: |w| map_of(w, "p4t1") },
    Step { shot: "map-p4t2", settle_ms: 2500, apply: |w| map_of(w, "p4t2") },
    Step { shot: "map-s2", settle_ms: 2500, apply: |w| map_of(w, "s2-") },
    Step { shot: "map-s3", settle_ms: 2500, apply: |w| map_of(w, "s3-") },
    Step { shot: "map-s4", settle_ms: 2500, apply: |w| map_of(w, "s4-") },
    Step { shot: "map-problems", settle_ms: 2500, apply: |w| map_of(w, "map-problems") },
    Step { shot: "map-problems-node", settle_ms: 1500, apply: |w| {
        w.write_message(AuthorIntent::MapSelect(Some("greet".into())));
    } },
    Step { shot: "map-problems-en", settle_ms: 1500, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
];

/// Issue 15: an attempt filed while the school's LRS (kefu.toml in the working folder, written by
/// the script, pointing where nothing answers) is away; the settings screen's LRS card says it
/// waits.
pub(super) const LRS_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick(SAMPLE.into())]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Begin { seed: Some(7) }]) },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 300) },
    Step { shot: "", settle_ms: 3000, apply: |w| send(w, &[Intent::ToLibrary]) },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "lrs-settings-bottom", settle_ms: 1500, apply: give_password },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::CloseSettings]) },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "lrs-settings-en-bottom", settle_ms: 1500, apply: give_password },
];

/// Issue 16: a group of three plays P1 T2 together (by role: the front desk and the follow-up
/// caller): the start screen with the members typed, the turn bar, a pass, each member's part
/// on the results.
pub(super) const GROUP_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 800, apply: |w| {
        let mut f = w.resource_mut::<crate::app::student::StartForm>();
        f.team_name = "第一组".into();
        f.team_text = "2024001 王玥\n2024002 李堃\n2024003 赵一".into();
    } },
    Step { shot: "group-start-bottom", settle_ms: 1200, apply: |_| {} },
    Step { shot: "", settle_ms: 1000, apply: |w| {
        let members = crate::app::student::start::parse_members(&w.resource::<crate::app::student::StartForm>().team_text).unwrap_or_default();
        send(w, &[Intent::SignInGroup { name: "第一组".into(), members }]);
    } },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick("p1t2-front-desk-visitor".into())]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Begin { seed: Some(2) }]) },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 4) },
    Step { shot: "group-play", settle_ms: 1500, apply: |_| {} },
    Step { shot: "group-pass", settle_ms: 1500, apply: |w| {
        let turn = w.resource::<Attempt>().0.as_ref().and_then(|a| a.turn()).map_or(0, |t| t.member);
        send(w, &[Intent::PassTo((turn + 2) % 3)]);
    } },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 300) },
    Step { shot: "group-results", settle_ms: 2000, apply: |_| {} },
    Step { shot: "group-results-en", settle_ms: 1500, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
    // Projector mode: the class watches the group play P1 T3 in turns, then the review one
    // decision at a time.
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::SetLang(Lang::Zh), Intent::SetProjector(true), Intent::ToLibrary]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Pick("p1t3-botched-phone-call".into())]) },
    Step { shot: "", settle_ms: 800, apply: |w| send(w, &[Intent::Begin { seed: Some(3) }]) },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 9) },
    Step { shot: "projector-play", settle_ms: 1500, apply: |_| {} },
    Step { shot: "", settle_ms: 250, apply: |w| play_on(w, Policy::Expert, 300) },
    Step { shot: "", settle_ms: 1200, apply: |_| {} },
    Step { shot: "projector-review", settle_ms: 1500, apply: |w| send(w, &[Intent::ShowReview]) },
    // The teacher's grade sheet of the class: the group's members credited from the group
    // attempts, with their part in the notes.
    Step { shot: "", settle_ms: 800, apply: |w| {
        lab_class(w);
        send(w, &[Intent::SetProjector(false), Intent::ToLibrary]);
    } },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "", settle_ms: 1200, apply: give_password },
    Step { shot: "", settle_ms: 1200, apply: |w| {
        w.write_message(crate::app::teacher::TeacherIntent::Open);
    } },
    Step { shot: "", settle_ms: 1500, apply: |w| drag(w, true) },
    Step { shot: "group-teacher", settle_ms: 1500, apply: |w| {
        w.write_message(crate::app::teacher::TeacherIntent::PickTask("p1t2-front-desk-visitor".into()));
    } },
];

/// Issue 13: the teacher view of a class with tampered records (see [`tampered_class`]).
pub(super) const TAMPER_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 600, apply: |w| {
        tampered_class(w);
        send(w, &[Intent::SignOut]);
    } },
    Step { shot: "", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "", settle_ms: 1200, apply: give_password },
    Step { shot: "", settle_ms: 1200, apply: |w| {
        w.write_message(crate::app::teacher::TeacherIntent::Open);
    } },
    Step { shot: "tamper-teacher", settle_ms: 1500, apply: |w| drag(w, true) },
    Step { shot: "tamper-teacher-en", settle_ms: 1500, apply: |w| send(w, &[Intent::SetLang(Lang::En)]) },
];

/// Issue 10: the teacher lock and the teacher view's paths (see the module comment).
pub(super) const LOCK_STEPS: &[Step] = &[
    Step { shot: "", settle_ms: 1000, apply: |w| send(w, &[Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None }]) },
    Step { shot: "", settle_ms: 600, apply: |w| {
        lab_class(w);
        send(w, &[Intent::SignOut]);
    } },
    Step { shot: "lock-set", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "lock-settings", settle_ms: 1200, apply: give_password },
    Step { shot: "teacher-open", settle_ms: 1200, apply: |w| {
        w.write_message(crate::app::teacher::TeacherIntent::Open);
    } },
    Step { shot: "teacher-no-dialog", settle_ms: 1200, apply: |w| {
        let start = Some(class_csv(w));
        w.write_message(crate::app::dialog::Browse { field: crate::app::dialog::Field::ClassFile, kind: crate::app::dialog::Kind::Open(Vec::new()), title: "打开班级文件".into(), start });
    } },
    Step { shot: "teacher-drop", settle_ms: 1200, apply: |w| drag(w, false) },
    Step { shot: "teacher-dropped", settle_ms: 1500, apply: |w| drag(w, true) },
    Step { shot: "teacher-no-attempt", settle_ms: 1200, apply: |w| {
        w.write_message(crate::app::teacher::TeacherIntent::Rate { task: SAMPLE.into(), student: "2024003".into(), key: "cooperation".into(), points: Some(7) });
    } },
    Step { shot: "", settle_ms: 600, apply: |w| {
        w.write_message(crate::app::teacher::TeacherIntent::Close);
    } },
    Step { shot: "", settle_ms: 600, apply: |w| send(w, &[Intent::CloseSettings]) },
    Step { shot: "lock-ask", settle_ms: 1200, apply: |w| send(w, &[Intent::OpenSettings]) },
    Step { shot: "lock-wrong", settle_ms: 1200, apply: |w| {
        w.write_message(LockIntent::Enter("1357".into()));
    } },
    Step { shot: "", settle_ms: 400, apply: |w| {
        w.write_message(LockIntent::Enter("0000".into()));
    } },
    // Long enough for the countdown's digits to be drawn.
    Step { shot: "lock-wait", settle_ms: 2600, apply: |w| {
        w.write_message(LockIntent::Enter("9999".into()));
    } },
    Step { shot: "lock-ask-en", settle_ms: 1200, apply: |w| {
        w.write_message(LockIntent::Cancel);
        send(w, &[Intent::SetLang(Lang::En), Intent::OpenSettings]);
    } },
];
