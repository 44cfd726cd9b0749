//! Integration tests: sound, headless. A recorder stands in for the system's player; the
//! attempt is driven with the same intents the screens send, and what would sound is checked.

#![cfg(feature = "gui")]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bevy::prelude::*;
use kefu::app::sound::{Cue, Sink, Sound, samples, wav};
use kefu::app::{Intent, Settings};
use kefu::session::Action;

use crate::app_harness::{AppExt, Lab, student};

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Sink for Recorder {
    fn play(&mut self, cue: &Cue) {
        if let Ok(mut log) = self.0.lock() {
            log.push(format!("play {cue:?}"));
        }
    }
    fn stop_loop(&mut self) {
        if let Ok(mut log) = self.0.lock() {
            log.push("stop".into());
        }
    }
}

impl Recorder {
    fn take(&self) -> Vec<String> {
        self.0.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default()
    }
}

fn app(settings: Settings) -> (App, Recorder, Lab) {
    let lab = Lab::new();
    let rec = Recorder::default();
    let sink = rec.clone();
    let app = lab.app_with(Some(settings), |app| {
        app.insert_resource(Sound::new(Box::new(sink)));
    });
    (app, rec, lab)
}

/// Sign in, pick the sample and begin with seed 2 (the phone rings first).
fn begin(app: &mut App) {
    app.send(Intent::SignIn { id: "2024001".into(), name: "王玥".into(), group: None });
    app.send(Intent::Pick("sample-every-kind".into()));
    app.send(Intent::Begin { seed: Some(2) });
    assert!(app.world().resource::<kefu::app::Attempt>().0.is_some(), "the attempt started");
}

#[test]
fn the_phone_rings_until_answered_and_the_answer_chimes() {
    let (mut app, rec, _dir) = app(student());
    begin(&mut app);
    // The sample opens on a phone: 5 rings of 3 s.
    assert_eq!(rec.take(), vec!["play Ring { ring_ms: 3000, rings: 5 }".to_string()]);
    app.update();
    assert!(rec.take().is_empty(), "one player for the whole ringing, not one per frame");
    app.send(Intent::Answer(Action::Pickup));
    // Answered on ring 1: the ring stops and the answer chimes as right.
    assert_eq!(rec.take(), vec!["stop".to_string(), "play Good".to_string()]);
}

#[test]
fn muted_or_a_silent_exam_plays_nothing() {
    for settings in [Settings { sound: false, ..student() }, Settings { exam_mode: true, exam_silent: true, ..student() }] {
        let (mut app, rec, _dir) = app(settings);
        begin(&mut app);
        app.send(Intent::Answer(Action::Pickup));
        assert_eq!(rec.take(), Vec::<String>::new(), "nothing plays");
    }
}

#[test]
fn the_sounds_are_real_wav_files_that_keep_time_with_the_rings() {
    let ring = Cue::Ring { ring_ms: 3000, rings: 5 };
    let s = samples(&ring);
    assert_eq!(s.len(), 5 * 3 * kefu::app::sound::RATE as usize, "15 s: one cycle per ring");
    assert!(s.iter().any(|v| v.abs() > 0.2) && s.iter().all(|v| v.abs() <= 1.0));
    let bytes = wav(&s);
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..16], b"WAVEfmt ");
    assert_eq!(u32::from_le_bytes([bytes[40], bytes[41], bytes[42], bytes[43]]) as usize, s.len() * 2);
    for cue in [Cue::Good, Cue::Partial, Cue::Bad, Cue::Critical, Cue::Ticks { seconds: 5 }] {
        assert!(!samples(&cue).is_empty(), "{cue:?}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let f = kefu::app::sound::wav_file(dir.path(), &Cue::Good).expect("written");
    assert_eq!(std::fs::read(&f).expect("read"), wav(&samples(&Cue::Good)));
}

/// The system player is found on the PATH, or named by KEFU_SOUND_PLAYER; it is given the WAV
/// file. `true` stands in for a player here (it exists everywhere CI runs).
#[test]
fn the_system_player_is_spawned_with_the_wav() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(truth) = ["/usr/bin/true", "/bin/true"].into_iter().map(PathBuf::from).find(|p| p.is_file()) else { return };
    let mut sink = kefu::app::sound::CommandSink::with_player(dir.path().to_path_buf(), truth);
    sink.play(&Cue::Ring { ring_ms: 3000, rings: 2 });
    sink.play(&Cue::Good);
    sink.stop_loop();
    assert!(dir.path().join("ring-3000x2.wav").is_file() && dir.path().join("good.wav").is_file());
    std::thread::sleep(Duration::from_millis(200));
    sink.tidy();
}
