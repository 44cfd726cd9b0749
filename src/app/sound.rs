//! Sound: the phone rings aloud, a countdown ticks through its last seconds, feedback chimes.
//!
//! The sounds are synthesised here (no recordings, so no licence to ship), written once as WAV
//! files and played by the system's own player: PipeWire's `pw-play`, PulseAudio's `paplay` or
//! ALSA's `aplay` on Linux, `afplay` on macOS, PowerShell's `Media.SoundPlayer` on Windows. The
//! build therefore needs no audio `-dev` package (Bevy's audio pulls in `alsa-sys`, which needs
//! `libasound2-dev` and pkg-config on Linux), a newcomer's `cargo run --release` just works, and
//! the idle loop stays asleep: a ringing phone is one player process, started when the phone
//! starts ringing and stopped when it is answered. Where no player is found the app is silent
//! and says nothing (a lab PC without speakers is normal).
//!
//! What to play is decided from the attempt (`cues`), headless; the `Sink` does the playing,
//! and tests put a recorder in its place (`tests/app_sound.rs`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use bevy::prelude::*;

use crate::app::attempt::Attempt;
use crate::app::settings::Settings;
use crate::scenario::Node;

/// Samples per second of the synthesised sounds (plenty for beeps and bells; small files).
pub const RATE: u32 = 22_050;

/// Something the student hears.
#[derive(Clone, Debug, PartialEq)]
pub enum Cue {
    /// The phone rings: `rings` rings of `ring_ms` each (one burst-pause cycle per ring).
    Ring { ring_ms: u64, rings: u32 },
    /// The last seconds of a countdown, one tick a second.
    Ticks { seconds: u32 },
    /// After an answer: all right, partly right, wrong, a critical error.
    Good,
    Partial,
    Bad,
    Critical,
}

impl Cue {
    /// A file name that names the sound exactly (cached between runs).
    pub fn file_name(&self) -> String {
        match self {
            Cue::Ring { ring_ms, rings } => format!("ring-{ring_ms}x{rings}.wav"),
            Cue::Ticks { seconds } => format!("ticks-{seconds}.wav"),
            Cue::Good => "good.wav".into(),
            Cue::Partial => "partial.wav".into(),
            Cue::Bad => "bad.wav".into(),
            Cue::Critical => "critical.wav".into(),
        }
    }

    /// Whether the sound lasts while something goes on (and is stopped when it ends).
    pub fn is_loop(&self) -> bool {
        matches!(self, Cue::Ring { .. } | Cue::Ticks { .. })
    }
}

// ---- Synthesis ----

fn tone(out: &mut Vec<f32>, freqs: &[f32], ms: u32, gain: f32, decay: bool) {
    let n = (RATE * ms / 1000) as usize;
    let fade = (RATE as usize / 200).min(n / 2).max(1); // 5 ms, no clicks
    let start = out.len();
    for i in 0..n {
        let t = i as f32 / RATE as f32;
        let mut v: f32 = freqs.iter().map(|f| (std::f32::consts::TAU * f * t).sin()).sum::<f32>() / freqs.len().max(1) as f32;
        if decay {
            v *= (-4.0 * t * 1000.0 / ms.max(1) as f32).exp();
        }
        let edge = (i.min(n - 1 - i) as f32 / fade as f32).min(1.0);
        out.push(v * gain * edge);
    }
    debug_assert_eq!(out.len() - start, n);
}

fn silence(out: &mut Vec<f32>, ms: u64) {
    out.extend(std::iter::repeat_n(0.0, (u64::from(RATE) * ms / 1000) as usize));
}

/// The samples of a cue, -1..1.
pub fn samples(cue: &Cue) -> Vec<f32> {
    let mut s = Vec::new();
    match cue {
        Cue::Ring { ring_ms, rings } => {
            // A desk phone's double ring (two 440+480 Hz bursts), then quiet until the next ring,
            // so the sound keeps time with the ring counter on the screen.
            for _ in 0..*rings {
                let before = s.len();
                tone(&mut s, &[440.0, 480.0], 400, 0.35, false);
                silence(&mut s, 200);
                tone(&mut s, &[440.0, 480.0], 400, 0.35, false);
                let used = ((s.len() - before) as u64) * 1000 / u64::from(RATE);
                silence(&mut s, ring_ms.saturating_sub(used));
            }
        }
        Cue::Ticks { seconds } => {
            for _ in 0..*seconds {
                tone(&mut s, &[1000.0], 35, 0.3, true);
                silence(&mut s, 965);
            }
        }
        Cue::Good => {
            tone(&mut s, &[660.0], 110, 0.3, true);
            tone(&mut s, &[880.0], 200, 0.3, true);
        }
        Cue::Partial => tone(&mut s, &[660.0], 220, 0.28, true),
        Cue::Bad => {
            tone(&mut s, &[440.0], 140, 0.28, true);
            tone(&mut s, &[330.0], 240, 0.28, true);
        }
        Cue::Critical => {
            tone(&mut s, &[220.0, 233.0], 260, 0.32, false);
            silence(&mut s, 80);
            tone(&mut s, &[220.0, 233.0], 260, 0.32, false);
        }
    }
    s
}

/// 16-bit mono PCM WAV bytes.
pub fn wav(samples: &[f32]) -> Vec<u8> {
    let data_len = u32::try_from(samples.len() * 2).unwrap_or(u32::MAX);
    let mut b = Vec::with_capacity(44 + samples.len() * 2);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&RATE.to_le_bytes());
    b.extend_from_slice(&(RATE * 2).to_le_bytes());
    b.extend_from_slice(&2u16.to_le_bytes());
    b.extend_from_slice(&16u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for v in samples {
        let i = (v.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16;
        b.extend_from_slice(&i.to_le_bytes());
    }
    b
}

/// The cue's WAV file in `dir`, written the first time it is needed.
pub fn wav_file(dir: &Path, cue: &Cue) -> std::io::Result<PathBuf> {
    let path = dir.join(cue.file_name());
    if !path.is_file() {
        std::fs::create_dir_all(dir)?;
        crate::records::store::write_atomic(&path, &wav(&samples(cue)))?;
    }
    Ok(path)
}

// ---- Playing ----

/// Plays cues. The app's is [`CommandSink`]; tests record instead.
pub trait Sink: Send + Sync {
    /// Start a cue. A loop replaces the loop already playing.
    fn play(&mut self, cue: &Cue);
    /// Stop the loop playing, if any.
    fn stop_loop(&mut self);
    /// Reap finished players (called every frame the app runs).
    fn tidy(&mut self) {}
    /// The player's name for the settings screen (None: no way to play sound here).
    fn name(&self) -> Option<String> {
        None
    }
}

/// The system's player, found on the PATH at start.
pub struct CommandSink {
    dir: PathBuf,
    player: Option<(PathBuf, Vec<String>)>,
    looping: Option<Child>,
    oneshots: Vec<Child>,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

impl CommandSink {
    /// Find a player: `KEFU_SOUND_PLAYER` (a program given the WAV path as its last
    /// argument) first, then the platform's usual ones.
    pub fn detect(dir: PathBuf) -> CommandSink {
        let from_env = std::env::var_os("KEFU_SOUND_PLAYER").filter(|v| !v.is_empty()).map(|p| (PathBuf::from(p), Vec::new()));
        let player = from_env.or_else(|| {
            if cfg!(windows) {
                on_path("powershell.exe").map(|p| (p, vec!["-NoProfile".into(), "-NonInteractive".into(), "-Command".into()]))
            } else if cfg!(target_os = "macos") {
                on_path("afplay").map(|p| (p, Vec::new()))
            } else {
                ["pw-play", "paplay", "aplay"].iter().find_map(|n| on_path(n).map(|p| (p, if *n == "aplay" { vec!["-q".to_string()] } else { Vec::new() })))
            }
        });
        CommandSink { dir, player, looping: None, oneshots: Vec::new() }
    }

    /// A given player program (tests; a lab's own choice).
    pub fn with_player(dir: PathBuf, program: PathBuf) -> CommandSink {
        CommandSink { dir, player: Some((program, Vec::new())), looping: None, oneshots: Vec::new() }
    }

    /// The player found, if any (shown in the settings screen).
    pub fn player(&self) -> Option<&Path> {
        self.player.as_ref().map(|(p, _)| p.as_path())
    }

    fn spawn(&self, cue: &Cue) -> Option<Child> {
        let (program, args) = self.player.as_ref()?;
        let file = wav_file(&self.dir, cue).ok()?;
        let mut cmd = Command::new(program);
        cmd.args(args);
        if cfg!(windows) && program.file_name().is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("powershell.exe")) {
            let quoted = file.display().to_string().replace('\'', "''");
            cmd.arg(format!("(New-Object Media.SoundPlayer '{quoted}').PlaySync()"));
        } else {
            cmd.arg(&file);
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().ok()
    }
}

impl Sink for CommandSink {
    fn play(&mut self, cue: &Cue) {
        if cue.is_loop() {
            self.stop_loop();
            self.looping = self.spawn(cue);
        } else if let Some(child) = self.spawn(cue) {
            self.oneshots.push(child);
        }
    }

    fn stop_loop(&mut self) {
        if let Some(mut child) = self.looping.take() {
            let _ = child.kill();
            // Reaped in `tidy`, so stopping never waits on the player.
            self.oneshots.push(child);
        }
    }

    fn tidy(&mut self) {
        self.oneshots.retain_mut(|c| !matches!(c.try_wait(), Ok(Some(_)) | Err(_)));
    }

    fn name(&self) -> Option<String> {
        self.player().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned())
    }
}

impl Drop for CommandSink {
    fn drop(&mut self) {
        self.stop_loop();
        for c in &mut self.oneshots {
            let _ = c.kill();
        }
    }
}

/// What is sounding, and what has been chimed: so each cue starts once.
#[derive(Resource)]
pub struct Sound {
    pub sink: Box<dyn Sink>,
    /// The loop playing, with the node it belongs to.
    playing: Option<(String, Cue)>,
    /// Steps already chimed (the attempt's step count).
    chimed: usize,
}

impl Sound {
    pub fn new(sink: Box<dyn Sink>) -> Sound {
        Sound { sink, playing: None, chimed: 0 }
    }
}

/// Seconds of ticking at the end of a countdown.
pub const TICK_SECONDS: u32 = 5;

/// What should sound now for `active` at `now`: the loop (with its node) and a chime for a new
/// answer's feedback. Pure, so tests can ask it directly.
pub fn wanted(active: &crate::app::attempt::Active, now: std::time::Duration) -> Option<(String, Cue)> {
    if active.feedback.is_some() {
        return None;
    }
    let s = &active.session;
    let node = s.node_id().to_string();
    match s.node() {
        Node::Phone(p) => Some((node, Cue::Ring { ring_ms: crate::session::ring_ms(p.ring_seconds), rings: p.max_rings })),
        Node::Choice(_) => {
            let limit = s.time_limit_ms()?;
            let left = limit.saturating_sub(active.elapsed_ms(now));
            (left <= u64::from(TICK_SECONDS) * 1000 && left > 0).then(|| (node, Cue::Ticks { seconds: u32::try_from(left.div_ceil(1000)).unwrap_or(TICK_SECONDS) }))
        }
        _ => None,
    }
}

/// The chime for an answer: a critical error, all right, partly right, wrong.
pub fn chime(step: &crate::session::Step) -> Cue {
    if !step.critical.is_empty() {
        Cue::Critical
    } else if step.expert || step.credit.is_some_and(|c| c >= 1.0) {
        Cue::Good
    } else if step.credit.is_some_and(|c| c > 0.0) {
        Cue::Partial
    } else {
        Cue::Bad
    }
}

/// Whether the student should hear anything now.
pub fn audible(settings: &Settings, exam_mode: bool) -> bool {
    settings.sound && !(exam_mode && settings.exam_silent)
}

/// Start and stop sounds as the attempt goes on.
pub fn cues(attempt: Res<Attempt>, settings: Res<Settings>, time: Res<Time<Real>>, mut sound: ResMut<Sound>) {
    sound.sink.tidy();
    let Some(active) = attempt.0.as_ref() else {
        if sound.playing.take().is_some() {
            sound.sink.stop_loop();
        }
        sound.chimed = 0;
        return;
    };
    let on = audible(&settings, active.exam_mode);
    let want = if on { wanted(active, time.elapsed()) } else { None };
    // A loop keeps playing while the same kind of cue is wanted at the same node.
    let same = match (&sound.playing, &want) {
        (Some((n, a)), Some((m, b))) => n == m && std::mem::discriminant(a) == std::mem::discriminant(b),
        (None, None) => true,
        _ => false,
    };
    if !same {
        if sound.playing.is_some() {
            sound.sink.stop_loop();
        }
        if let Some((_, cue)) = &want {
            sound.sink.play(cue);
        }
        sound.playing = want;
    }
    let steps = active.session.steps().len();
    if steps < sound.chimed {
        sound.chimed = steps;
    }
    if steps > sound.chimed {
        sound.chimed = steps;
        if on && let Some(f) = &active.feedback {
            let cue = chime(&f.step);
            sound.sink.play(&cue);
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    if !app.world().contains_resource::<Sound>() {
        app.insert_resource(Sound::new(Box::new(CommandSink::detect(std::env::temp_dir().join("kefu-sounds-v1")))));
    }
    app.add_systems(Update, cues);
}
