//! Native file dialogs (`rfd`) for the teacher's paths, off the main loop: a [`Browse`] message
//! starts a thread that shows the dialog and waits for it; the answer comes back as a
//! [`Chosen`] message in a later frame (the thread wakes the idle window for it), so the app keeps
//! drawing while the dialog is open.
//!
//! On Linux the dialog is the XDG desktop portal's (over D-Bus; `zenity` when there is no
//! portal). Where neither is there (a bare X server, some lab images) no dialog opens: the
//! screen then notes under the field that the path is to be typed or pasted ([`unavailable_note`]).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy::winit::{EventLoopProxyWrapper, WinitUserEvent};
use bevy_egui::egui::{self, RichText, Ui};

use super::theme::palette;
use crate::scenario::Lang;

/// The path field a dialog fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Teacher view: the class file or roster CSV (opened at once).
    ClassFile,
    /// Teacher view: the entries file.
    EntriesFile,
    /// Teacher view: the records folder.
    TeacherRecords,
    /// Teacher view: where the grade sheet is written (written at once).
    ExportFile,
    /// Teacher settings: the extra scenario folder.
    ScenarioDir,
    /// Teacher settings: the records folder.
    RecordsDir,
    /// Authoring mode: the folder shown (opened at once).
    AuthoringFolder,
}

/// Which dialog.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Pick an existing file; each filter is a name and its extensions.
    Open(Vec<(String, Vec<String>)>),
    Folder,
    /// Choose where to save, suggesting this file name.
    Save { file_name: String, filters: Vec<(String, Vec<String>)> },
}

/// Show a dialog for `field`.
#[derive(Message, Clone, Debug, PartialEq)]
pub struct Browse {
    pub field: Field,
    pub kind: Kind,
    pub title: String,
    /// A folder (or a file in it) to start in.
    pub start: Option<PathBuf>,
}

/// What was picked in a dialog (nothing is sent when it was cancelled).
#[derive(Message, Clone, Debug, PartialEq)]
pub struct Chosen {
    pub field: Field,
    pub path: PathBuf,
}

struct Answer {
    field: Field,
    path: Option<PathBuf>,
    took: Duration,
}

/// The dialogs' state: which one is open, which field could not have one.
#[derive(Resource)]
pub struct Dialogs {
    /// The field whose dialog is open now.
    pub open: Option<Field>,
    /// The last field whose dialog could not be shown: the screen notes it under that field.
    pub unavailable: Option<Field>,
    tx: Sender<Answer>,
    rx: Mutex<Receiver<Answer>>,
}

impl Default for Dialogs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Dialogs { open: None, unavailable: None, tx, rx: Mutex::new(rx) }
    }
}

/// A dialog that "answers" faster than this without a path never showed (no portal backend,
/// D-Bus refused…): nobody cancels a dialog that quickly.
const TOO_QUICK: Duration = Duration::from_millis(300);

pub(super) fn plugin(app: &mut App) {
    app.add_message::<Browse>().add_message::<Chosen>().init_resource::<Dialogs>().add_systems(Update, (start, collect).chain());
}

/// Whether this computer can show a file dialog at all. Windows and macOS always can; on Linux
/// rfd asks the XDG desktop portal over the D-Bus session bus, else runs `zenity`.
pub fn available() -> bool {
    if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "dragonfly", target_os = "netbsd", target_os = "openbsd")) {
        (session_bus() && portal_installed()) || on_path("zenity")
    } else {
        true
    }
}

fn session_bus() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists())
}

/// The portal's D-Bus service file, where the XDG base directories put it.
fn portal_installed() -> bool {
    let mut dirs: Vec<PathBuf> = Vec::new();
    match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => dirs.push(PathBuf::from(d)),
        None => dirs.extend(std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share"))),
    }
    let data = std::env::var_os("XDG_DATA_DIRS").filter(|v| !v.is_empty()).unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.extend(std::env::split_paths(&data));
    dirs.iter().any(|d| d.join("dbus-1/services/org.freedesktop.portal.Desktop.service").is_file())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// The folder to start in, and the file name in it when `start` is a file.
fn start_in(start: &Path) -> (Option<PathBuf>, Option<String>) {
    if start.is_dir() {
        return (Some(start.to_path_buf()), None);
    }
    let name = start.file_name().map(|n| n.to_string_lossy().into_owned());
    let dir = start.parent().filter(|d| d.is_dir()).map(Path::to_path_buf);
    (dir, name)
}

fn start(mut asks: MessageReader<Browse>, mut dialogs: ResMut<Dialogs>, proxy: Option<Res<EventLoopProxyWrapper>>) {
    for ask in asks.read() {
        if dialogs.open.is_some() {
            continue;
        }
        if !available() {
            dialogs.unavailable = Some(ask.field);
            continue;
        }
        let proxy = proxy.as_deref().map(|p| (**p).clone());
        let (tx, ask2) = (dialogs.tx.clone(), ask.clone());
        let spawned = std::thread::Builder::new().name("kefu-file-dialog".into()).spawn(move || {
            let t0 = Instant::now();
            let path = show(&ask2);
            let _ = tx.send(Answer { field: ask2.field, path, took: t0.elapsed() });
            if let Some(p) = proxy {
                let _ = p.send_event(WinitUserEvent::WakeUp);
            }
        });
        match spawned {
            Ok(_) => {
                dialogs.open = Some(ask.field);
                dialogs.unavailable = None;
            }
            Err(e) => {
                warn!("cannot start the file dialog: {e}");
                dialogs.unavailable = Some(ask.field);
            }
        }
    }
}

/// Show the dialog and wait for it (on the dialog's own thread).
fn show(ask: &Browse) -> Option<PathBuf> {
    let mut d = rfd::AsyncFileDialog::new().set_title(&ask.title);
    let (dir, name) = ask.start.as_deref().map_or((None, None), start_in);
    if let Some(dir) = dir {
        d = d.set_directory(dir);
    }
    let add = |mut d: rfd::AsyncFileDialog, filters: &[(String, Vec<String>)]| {
        for (label, exts) in filters {
            d = d.add_filter(label, exts);
        }
        d
    };
    let handle = match &ask.kind {
        Kind::Open(filters) => bevy::tasks::block_on(add(d, filters).pick_file()),
        Kind::Folder => bevy::tasks::block_on(d.pick_folder()),
        Kind::Save { file_name, filters } => {
            let name = name.filter(|n| !n.is_empty()).unwrap_or_else(|| file_name.clone());
            bevy::tasks::block_on(add(d, filters).set_file_name(name).save_file())
        }
    };
    handle.map(|h| h.path().to_path_buf())
}

fn collect(mut dialogs: ResMut<Dialogs>, mut chosen: MessageWriter<Chosen>, mut redraw: MessageWriter<RequestRedraw>) {
    let answers: Vec<Answer> = match dialogs.rx.lock() {
        Ok(rx) => rx.try_iter().collect(),
        Err(_) => return,
    };
    for a in answers {
        dialogs.open = None;
        redraw.write(RequestRedraw);
        match a.path {
            Some(path) => {
                dialogs.unavailable = None;
                chosen.write(Chosen { field: a.field, path });
            }
            None if a.took < TOO_QUICK => dialogs.unavailable = Some(a.field),
            None => {}
        }
    }
}

/// The line shown under a field whose dialog could not open.
pub fn unavailable_note(lang: Lang) -> &'static str {
    lang.pick(
        "这台电脑打不开文件选择窗口（Linux 需要 xdg-desktop-portal 或 zenity）：请在框里输入路径，或在文件管理器中复制路径后按 Ctrl+V 粘贴。",
        "No file dialog can be shown on this computer (on Linux it needs xdg-desktop-portal or zenity): type the path in the box, or copy it in the file manager and paste it with Ctrl+V.",
    )
}

/// The "Browse…" button beside a path field; greyed while a dialog is open.
pub fn button(ui: &mut Ui, dialogs: &Dialogs, field: Field, lang: Lang) -> bool {
    let text = if dialogs.open == Some(field) { lang.pick("选择中…", "Choosing…") } else { lang.pick("浏览…", "Browse…") };
    ui.add_enabled(dialogs.open.is_none(), egui::Button::new(RichText::new(text).size(19.0)).min_size(egui::vec2(96.0, 36.0)))
        .on_hover_text(lang.pick("用文件选择窗口选择（也可以直接输入或粘贴路径）", "Choose in a file dialog (or type or paste the path)"))
        .clicked()
}

/// The note under `field` when its dialog could not open.
pub fn note(ui: &mut Ui, dialogs: &Dialogs, field: Field, lang: Lang) {
    if dialogs.unavailable == Some(field) {
        super::theme::widgets::para(ui, RichText::new(format!("⚠ {}", unavailable_note(lang))).size(16.0).color(palette::WARN));
    }
}

/// A path as typed or pasted: spaces and the quotes of Windows' "Copy as path" removed.
pub fn clean_path(s: &str) -> Option<PathBuf> {
    let s = s.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    (!s.is_empty()).then(|| PathBuf::from(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_starts_in_its_folder_with_its_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("成绩表.xlsx");
        assert_eq!(start_in(&file), (Some(dir.path().to_path_buf()), Some("成绩表.xlsx".into())));
        assert_eq!(start_in(dir.path()), (Some(dir.path().to_path_buf()), None));
        assert_eq!(start_in(Path::new("/no/such/dir/a.csv")).0, None);
    }
}

