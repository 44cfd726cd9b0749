//! What the screens send and what the student is told: the [`Intent`] messages, the typed
//! bilingual [`Notice`], and the [`Send`] parameter that writes intents and wakes the loop.
//! Shared by every feature; depends on nothing else in the app but the settings' types.

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;
use bevy::window::RequestRedraw;

use super::settings::Settings;
use crate::scenario::Lang;
use crate::session::Action;

/// What a screen asks for. The egui screens only draw and send these; tests send the same.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum Intent {
    /// Start screen: who is playing; `group` when picked from the class list (else the class
    /// list's group of that 学号, if any).
    SignIn { id: String, name: String, group: Option<String> },
    SetLang(Lang),
    /// Projector mode on or off (large text for a class watching one screen).
    SetProjector(bool),
    OpenSettings,
    /// Keep these settings and go back.
    SaveSettings(Settings),
    CloseSettings,
    /// Write the `[lrs]` table of kefu.toml (an empty endpoint turns sending off).
    SaveLrs(crate::lrs::config::LrsSection),
    /// Send what waits in the LRS outbox now (on a background thread).
    SendLrsNow,
    /// Start screen: a group signs in to play together (members in turn order).
    SignInGroup { name: String, members: Vec<crate::session::group::Member> },
    /// Play, group mode: the member whose turn it is hands the decision to member `n` (0-based).
    PassTo(usize),
    /// Look for scenario files again.
    Rescan,
    /// Library: open the briefing of this scenario (by id).
    Pick(String),
    /// Briefing: start the attempt (`seed: None`: the one drawn when the scenario was picked).
    Begin { seed: Option<u64> },
    /// Play: answer the current node.
    Answer(Action),
    /// Play: take the next hint at this node.
    Hint,
    /// Play: the feedback card was read.
    DismissFeedback,
    /// Play, practice mode: try the activity just answered again (the first try keeps the
    /// score; the retry is recorded). Refused in exam mode and when the core has nothing to retry.
    TryAgain,
    /// Play: back to the library; the autosave stays and can be resumed.
    LeavePlay,
    /// Resume the autosaved attempt.
    Resume,
    /// Drop the autosaved attempt (it is filed as unfinished).
    DiscardResume,
    ShowResults,
    ShowReview,
    ToLibrary,
    SignOut,
    /// Settings: open the teacher's grading view (the teacher feature applies it).
    OpenGrading,
    /// Settings: open authoring mode (the authoring feature applies it).
    OpenAuthoring,
}

/// A message for the student in both languages; the notice bar shows the one the language
/// setting picks when it is drawn (so switching the language translates a notice already shown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub zh: String,
    pub en: String,
}

impl Note {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Note {
        Note { zh: zh.into(), en: en.into() }
    }

    /// A message about a file: "<path>：<zh>" / "<path>: <en>" (`detail`, e.g. the system's
    /// error, is added to both as it is).
    pub fn about(path: &std::path::Path, zh: &str, en: &str, detail: impl std::fmt::Display) -> Note {
        let p = path.display();
        Note::new(format!("{zh}：{p}（{detail}）"), format!("{en}: {p} ({detail})"))
    }

    /// The same text in both languages: a message the core already wrote in the teacher's
    /// language, or one that is only a path and a system error.
    pub fn same(text: impl Into<String>) -> Note {
        let text = text.into();
        Note { zh: text.clone(), en: text }
    }

    /// The settings file could not be read (`problem`: where and why); the defaults are used.
    pub fn settings_unread(problem: &str) -> Note {
        Note::new(format!("设置文件无法读取，已使用默认设置：{problem}"), format!("The settings file could not be read; the defaults are used: {problem}"))
    }

    /// From a core error that speaks both languages (`message(lang)`).
    pub fn from_message(message: impl Fn(Lang) -> String) -> Note {
        Note { zh: message(Lang::Zh), en: message(Lang::En) }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Messages for the student (a file that could not be written, a resume that failed…).
#[derive(Resource, Default)]
pub struct Notice(pub Option<Note>);

impl Notice {
    pub fn set(&mut self, note: Note) {
        self.0 = Some(note);
    }

    /// The notice in this language, if there is one.
    pub fn text(&self, lang: Lang) -> Option<&str> {
        self.0.as_ref().map(|n| n.get(lang))
    }
}

/// Sends intents; [`redraw_on_intent`] wakes the reactive loop so they are applied at once.
/// (It holds no `RequestRedraw` writer, so a drawing system may have its own beside it.)
#[derive(SystemParam)]
pub struct Send<'w> {
    intents: MessageWriter<'w, Intent>,
}

impl Send<'_> {
    pub fn send(&mut self, intent: Intent) {
        self.intents.write(intent);
    }

    pub fn send_all(&mut self, intents: Vec<Intent>) {
        for i in intents {
            self.send(i);
        }
    }
}

/// Logic side: the message itself, and the redraw message logic systems may write (headless,
/// without a window, nobody listens, but it must exist for their writers to be valid).
pub(super) fn plugin(app: &mut App) {
    app.add_message::<RequestRedraw>().add_message::<Intent>().init_resource::<Notice>();
}

/// An intent sent while drawing is applied in the next frame: ask for it.
pub(super) fn redraw_on_intent(mut intents: MessageReader<Intent>, mut redraw: MessageWriter<RequestRedraw>) {
    if intents.read().count() > 0 {
        redraw.write(RequestRedraw);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_speaks_the_language_asked() {
        let n = Note::new("无法保存", "could not save");
        assert_eq!(n.get(Lang::Zh), "无法保存");
        assert_eq!(n.get(Lang::En), "could not save");
        let mut notice = Notice::default();
        notice.set(Note::about(std::path::Path::new("a/b.ron"), "无法写入", "cannot write", "denied"));
        assert_eq!(notice.text(Lang::Zh), Some("无法写入：a/b.ron（denied）"));
        assert_eq!(notice.text(Lang::En), Some("cannot write: a/b.ron (denied)"));
    }
}
