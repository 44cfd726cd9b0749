//! The drawing side, as far as it goes without a window: the real [`GuiPlugin`] built on top of
//! the [`CorePlugin`] headless (no GPU, no window: egui's pass never runs, but every plugin's
//! `build` and the systems outside the pass do), and the pure helpers the screens draw with.

use bevy::prelude::*;
use kefu::app::student::review::pair_up;
use kefu::app::theme::palette::{self, grade_color};
use kefu::app::{GuiPlugin, Intent, Screen};
use kefu::scoring::{Ratings, Scorer};
use kefu::session::autoplay::{self, Policy};

use crate::app_harness::{AppExt, Lab, student};
use crate::common::load;

/// Issue 17: the GUI plugin is built and runs headless beside the logic: the window, egui,
/// fonts, screens, the scripted walk-through and the idle loop all add their systems without a
/// window, and a whole sign-in still goes through.
#[test]
fn the_gui_plugin_builds_and_runs_headless() {
    let lab = Lab::new();
    let mut app = lab.app_with(Some(student()), |app| {
        app.add_plugins((bevy::asset::AssetPlugin::default(), bevy::input::InputPlugin, bevy::window::WindowPlugin { primary_window: None, ..default() }));
        app.add_plugins(bevy::image::ImagePlugin::default());
        // egui's shader is registered even without a renderer.
        app.init_asset::<bevy::shader::Shader>();
    });
    app.add_plugins(GuiPlugin);
    app.finish();
    app.cleanup();
    app.updates(3);
    assert_eq!(app.screen(), Screen::Start);
    // The views' own state is there: the GUI side was built, not skipped.
    assert!(app.world().contains_resource::<kefu::app::student::play::PlayUi>());
    assert!(app.world().contains_resource::<kefu::app::perf::Animate>());
    app.send(Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
    assert_eq!(app.screen(), Screen::Library);
    app.send(Intent::OpenSettings);
    assert!(matches!(app.screen(), Screen::Settings | Screen::Library), "settings, or the lock asking first");
}

/// The review's rows: each student decision beside the expert's at the same node, in the
/// student's order; the expert's decisions the student never reached come after, alone.
#[test]
fn pair_up_matches_decisions_by_node() {
    let loaded = load(crate::records::SAMPLE);
    let scorer = Scorer::new(loaded.scenario.clone());
    let report = |policy| {
        let s = autoplay::play(&loaded.scenario, 3, policy).expect("autoplay");
        scorer.score_session(&s, &Ratings::new())
    };
    let (student, expert) = (report(Policy::Worst), report(Policy::Expert));
    let rows = pair_up(&student.decisions, &expert.decisions);
    // Every decision of either side appears exactly once.
    assert_eq!(rows.iter().filter(|(s, _)| s.is_some()).count(), student.decisions.len());
    assert_eq!(rows.iter().filter(|(_, e)| e.is_some()).count(), expert.decisions.len());
    for (s, e) in &rows {
        if let (Some(s), Some(e)) = (s, e) {
            assert_eq!(s.node, e.node, "paired at the same node");
        }
    }
    // The student's decisions first, in their order.
    let firsts: Vec<&str> = rows.iter().map_while(|(s, _)| s.map(|d| d.node.as_str())).collect();
    assert_eq!(firsts, student.decisions.iter().map(|d| d.node.as_str()).collect::<Vec<_>>());
    // Against itself: every row paired.
    assert!(pair_up(&expert.decisions, &expert.decisions).iter().all(|(s, e)| s.is_some() && e.is_some()));
    assert!(pair_up(&[], &[]).is_empty());
}

/// Grade colours: the best level green, then darker green, the primary colour, warning, bad;
/// every level past the fourth is "bad"; no grade yet is muted.
#[test]
fn grade_color_follows_the_level() {
    let levels: Vec<_> = (0..5).map(|l| grade_color(Some(l))).collect();
    assert_eq!(levels[0], palette::GOOD);
    assert_eq!(levels[2], palette::PRIMARY);
    assert_eq!(levels[3], palette::WARN);
    assert_eq!(levels[4], palette::BAD);
    assert_eq!(grade_color(Some(9)), palette::BAD);
    assert_eq!(grade_color(None), palette::MUTED);
    for (i, a) in levels.iter().enumerate() {
        for b in &levels[i + 1..] {
            assert_ne!(a, b, "each level has its own colour");
        }
    }
}
