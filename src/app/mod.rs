//! The student app (Bevy + bevy_egui).
//!
//! Laid out by feature, like bevy_new_2d: [`student`] (sign-in, library, briefing, play,
//! results, review), [`teacher`] (grading), [`authoring`] (authoring mode and its map) and
//! [`setup`] (the settings screen), each with its logic and its views. They depend only on the
//! shared modules below them — [`screen`] (the state), [`intent`] (what views send, the typed
//! notice), [`attempt`], [`settings`], [`prefs`], [`library`], [`page`] (the page frame),
//! [`theme`], [`lock`], [`dialog`], [`sound`], [`perf`], [`window`], [`render`] — never on each
//! other (`scripts/imports.py` checks). The logic ([`CorePlugin`]) runs without a window or
//! egui, which is how the `tests/app*.rs` drive whole attempts; [`GuiPlugin`] adds the window,
//! egui and the drawing systems.

// Shared plumbing.
pub mod attempt;
pub mod dialog;
pub mod intent;
pub mod library;
pub mod lock;
pub mod page;
pub mod perf;
pub mod prefs;
pub mod render;
pub mod screen;
pub mod settings;
pub mod sound;
pub mod theme;
pub mod window;

// Features.
pub mod authoring;
pub mod setup;
pub mod student;
pub mod teacher;

mod scripted;

use std::process::ExitCode;

use bevy::prelude::*;
use bevy_egui::EguiPlugin;

pub use attempt::{Attempt, Outcome};
pub use intent::{Intent, Note, Notice};
pub use screen::Screen;
pub use settings::{AppPaths, Settings};

use crate::scenario::Lang;

/// The app's logic: states, settings, library, the session bridge. No window, no egui.
pub struct CorePlugin {
    pub paths: AppPaths,
    /// Settings to start with instead of reading the settings file (tests).
    pub settings: Option<Settings>,
}

impl Plugin for CorePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(self.paths.clone());
        if let Some(s) = &self.settings {
            app.insert_resource(s.clone());
        }
        app.add_plugins((screen::plugin, intent::plugin, student::plugin, teacher::plugin, authoring::plugin, lock::plugin, sound::plugin));
    }
}

/// The window, egui, fonts and every screen's drawing.
pub struct GuiPlugin;

impl Plugin for GuiPlugin {
    fn build(&self, app: &mut App) {
        app.add_plugins(EguiPlugin::default())
            .add_plugins((perf::IdlePlugin, window::plugin, theme::plugin, page::plugin, scripted::plugin))
            .add_plugins((student::ui_plugin, teacher::view::plugin, authoring::view::plugin, setup::plugin))
            .add_plugins((lock::prompt::plugin, dialog::plugin))
            .add_systems(Startup, spawn_camera);
    }
}

/// egui draws through the first camera (bevy_egui makes it the primary context).
fn spawn_camera(mut commands: Commands) {
    commands.spawn(Camera2d);
}

const GPU_HELP_ZH: &str = "找不到可用的显卡驱动（Vulkan 或 OpenGL），客服实训无法打开窗口。";
const GPU_HELP_EN: &str = "No usable graphics driver (Vulkan or OpenGL) was found, so Kefu cannot open its window.";

/// What to do when no adapter was found: Chinese or English, one line naming the drivers the
/// build can use (Linux: Vulkan, else OpenGL 3.3 / GLES 3.0; Windows: DX12, Vulkan or OpenGL).
fn gpu_help(lang: Lang) -> String {
    let (zh, en) = (GPU_HELP_ZH, GPU_HELP_EN);
    let install = if cfg!(target_os = "linux") {
        match lang {
            Lang::Zh => {
                "请安装 Vulkan 驱动或 OpenGL（3.3 以上）后再试，例如 Debian/Ubuntu：\n  sudo apt-get install mesa-vulkan-drivers libvulkan1\n或\n  sudo apt-get install libegl1 libgl1-mesa-dri"
            }
            Lang::En => {
                "Install a Vulkan driver or OpenGL (3.3 or later) and try again, e.g. on Debian/Ubuntu:\n  sudo apt-get install mesa-vulkan-drivers libvulkan1\nor\n  sudo apt-get install libegl1 libgl1-mesa-dri"
            }
        }
    } else if cfg!(target_os = "macos") {
        match lang {
            Lang::Zh => "请更新 macOS（Metal）后再试。",
            Lang::En => "Update macOS (Metal) and try again.",
        }
    } else {
        match lang {
            Lang::Zh => "请更新显卡驱动（DX12、Vulkan 或 OpenGL，从显卡厂商或 Windows 更新获取）后再试。",
            Lang::En => "Update the graphics driver (DX12, Vulkan or OpenGL; from the vendor or Windows Update) and try again.",
        }
    };
    format!("{}\n{install}\n", lang.pick(zh, en))
}

/// Exit code when no GPU driver (or no desktop) is found.
pub const EXIT_NO_GPU: u8 = 3;

/// Turn Bevy's "Unable to find a GPU" panic into a message that says what to install.
fn install_gpu_hook(lang: Lang) {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if msg.contains("Unable to find a GPU") {
            eprint!("{}", gpu_help(lang));
            std::process::exit(i32::from(EXIT_NO_GPU));
        }
        if msg.contains("Failed to build event loop") {
            eprintln!(
                "{}",
                lang.pick(
                    "无法打开窗口：没有可用的图形桌面（例如 DISPLAY 未设置）。请在桌面上运行；命令行功能见 kefu --help。",
                    "Cannot open a window: no graphical desktop is available (e.g. DISPLAY is not set). Run it on a desktop; see kefu --help for the command-line tools."
                )
            );
            std::process::exit(i32::from(EXIT_NO_GPU));
        }
        default(info);
    }));
}

/// The language of this run: `--lang` when given on the command line (either language, `zh`
/// included), else the one remembered in the settings.
pub fn run_lang(asked: Option<Lang>, remembered: Lang) -> Lang {
    asked.unwrap_or(remembered)
}

/// Run the student app until its window is closed. `lang`: the `--lang` of the command line,
/// if one was given; it wins over the remembered language for this run.
pub fn run(lang: Option<Lang>) -> ExitCode {
    let paths = AppPaths::for_user();
    let (mut settings, problem) = Settings::load(&paths.settings_file);
    settings.lang = run_lang(lang, settings.lang);
    install_gpu_hook(settings.lang);
    if let Some(p) = &problem {
        eprintln!("{p}");
    }
    let mut app = App::new();
    app.add_plugins(
        render::default_plugins(DefaultPlugins.build())
            .set(WindowPlugin {
                primary_window: Some(window::primary()),
                ..default()
            })
            .set(bevy::log::LogPlugin { filter: "warn,kefu=info".into(), ..default() }),
    )
    .insert_resource(ClearColor(theme::palette::BG_BEVY))
    .add_plugins(CorePlugin { paths, settings: Some(settings) })
    .add_plugins(GuiPlugin);
    if let Some(n) = problem {
        app.world_mut().resource_mut::<Notice>().set(Note::settings_unread(&n));
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue: the GL backend is a fallback, so the no-driver message names both (Linux), or the
    /// driver update with its APIs (Windows).
    #[test]
    fn gpu_help_names_vulkan_and_opengl() {
        for lang in [Lang::Zh, Lang::En] {
            let help = gpu_help(lang);
            assert!(help.contains("Vulkan") && help.contains("OpenGL"), "{help}");
            if cfg!(target_os = "linux") {
                assert!(help.contains("mesa-vulkan-drivers libvulkan1") && help.contains("libegl1 libgl1-mesa-dri"), "{help}");
            }
        }
        assert!(gpu_help(Lang::Zh).starts_with("找不到可用的显卡驱动"));
    }

    /// Issue 17: `kefu --lang zh` wins over a remembered English setting (and `--lang en` over
    /// Chinese); without `--lang` the remembered language stays.
    #[test]
    fn command_line_lang_wins_over_the_remembered_one() {
        assert_eq!(run_lang(Some(Lang::Zh), Lang::En), Lang::Zh);
        assert_eq!(run_lang(Some(Lang::En), Lang::Zh), Lang::En);
        assert_eq!(run_lang(None, Lang::En), Lang::En);
        assert_eq!(run_lang(None, Lang::Zh), Lang::Zh);
    }
}
