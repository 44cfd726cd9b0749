//! Fonts, colours and the widgets every screen shares.

pub mod faces;
pub mod palette;
pub mod portraits;
pub mod widgets;

use bevy::prelude::*;
use bevy_egui::egui::{self, FontData, FontDefinitions, FontFamily, FontId, TextStyle};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};

use super::settings::Settings;

/// WenQuanYi Micro Hei, subset to CJK + ASCII + punctuation (Apache-2.0, see
/// `assets/fonts/LICENSE-wqy-microhei.txt`). Embedded so the app runs from any folder, offline.
pub const CJK_FONT: &[u8] = include_bytes!("../../../assets/fonts/wqy-microhei-cjk.ttf");

/// The text style of a scenario's spoken lines (larger than body text).
pub fn line_style() -> TextStyle {
    TextStyle::Name("line".into())
}

/// The app's title style.
pub fn title_style() -> TextStyle {
    TextStyle::Name("title".into())
}

/// Runs before every screen's drawing system.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThemeSet;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<portraits::Portraits>().add_systems(EguiPrimaryContextPass, apply_theme.in_set(ThemeSet));
}

/// The CJK font first (one look for Chinese and Latin text), egui's own fonts as fallback.
pub fn fonts() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert("wqy".into(), std::sync::Arc::new(FontData::from_static(CJK_FONT)));
    if let Some(p) = fonts.families.get_mut(&FontFamily::Proportional) {
        p.insert(0, "wqy".into());
    }
    if let Some(m) = fonts.families.get_mut(&FontFamily::Monospace) {
        m.push("wqy".into());
    }
    fonts
}

/// Large text for projectors; light visuals; no blinking cursor (it would keep the app awake).
pub fn style(ctx: &egui::Context) {
    ctx.set_theme(egui::ThemePreference::Light);
    ctx.all_styles_mut(|style| {
        use FontFamily::Proportional;
        style.text_styles = [
            (TextStyle::Small, FontId::new(17.0, Proportional)),
            (TextStyle::Body, FontId::new(22.0, Proportional)),
            (TextStyle::Button, FontId::new(22.0, Proportional)),
            (TextStyle::Heading, FontId::new(32.0, Proportional)),
            (TextStyle::Monospace, FontId::new(18.0, FontFamily::Monospace)),
            (line_style(), FontId::new(28.0, Proportional)),
            (title_style(), FontId::new(46.0, Proportional)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(10.0, 10.0);
        style.spacing.button_padding = egui::vec2(14.0, 8.0);
        style.spacing.interact_size.y = 40.0;
        style.spacing.combo_height = 400.0;
        style.spacing.icon_width = 26.0;
        style.spacing.icon_width_inner = 16.0;
        style.spacing.slider_width = 320.0;
        let v = &mut style.visuals;
        v.text_cursor.blink = false;
        v.panel_fill = palette::BG;
        v.window_fill = palette::PANEL;
        v.override_text_color = Some(palette::TEXT);
        v.selection.bg_fill = palette::PRIMARY_SOFT;
        v.selection.stroke = egui::Stroke::new(2.0, palette::PRIMARY);
        v.widgets.inactive.corner_radius = 8.into();
        v.widgets.hovered.corner_radius = 8.into();
        v.widgets.active.corner_radius = 8.into();
        v.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, palette::LINE);
        v.widgets.inactive.weak_bg_fill = egui::Color32::from_rgb(232, 236, 243);
        // A focused widget is drawn as "active": a thick dark edge, not egui's 1 px line (the
        // focus ring below adds an outline that shows on any fill).
        v.widgets.active.bg_stroke = egui::Stroke::new(3.0, palette::FOCUS);
    });
}

/// Where the keyboard focus is, drawn over everything at the end of each pass: a 3 px dark ring
/// with a white inner edge, so it shows on white cards and on blue buttons alike. Text fields
/// show it whenever they have the focus; other widgets once the keyboard has moved it (Tab,
/// arrows), not after a click.
pub fn install_focus_ring(ctx: &egui::Context) {
    ctx.on_end_pass(
        "kefu-focus-ring",
        std::sync::Arc::new(|ui: &mut egui::Ui| {
            let ctx = ui.ctx().clone();
            let key = egui::Id::new("kefu-keyboard-focus");
            let (tabbed, clicked) = ctx.input(|i| {
                let tabbed = i.events.iter().any(|e| {
                    matches!(e, egui::Event::Key { key: egui::Key::Tab | egui::Key::ArrowUp | egui::Key::ArrowDown | egui::Key::ArrowLeft | egui::Key::ArrowRight, pressed: true, .. })
                });
                (tabbed, i.pointer.any_pressed())
            });
            let mut keyboard = ctx.data(|d| d.get_temp::<bool>(key)).unwrap_or(false);
            if tabbed {
                keyboard = true;
            } else if clicked {
                keyboard = false;
            }
            ctx.data_mut(|d| d.insert_temp(key, keyboard));
            let Some(id) = ctx.memory(|m| m.focused()) else { return };
            let Some(resp) = ctx.read_response(id) else { return };
            if !(keyboard || ctx.text_edit_focused()) || !resp.interact_rect.is_positive() {
                return;
            }
            let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::new("kefu-focus-ring")));
            let painter = painter.with_clip_rect(resp.interact_rect.expand(6.0));
            let rect = resp.rect.expand(3.0);
            painter.rect_stroke(rect, 10.0, egui::Stroke::new(3.0, palette::FOCUS), egui::StrokeKind::Outside);
            painter.rect_stroke(rect, 10.0, egui::Stroke::new(2.0, egui::Color32::WHITE), egui::StrokeKind::Inside);
        }),
    );
}

fn apply_theme(mut contexts: EguiContexts, settings: Option<Res<Settings>>, mut applied: Local<Option<f32>>, mut warmed: Local<u8>) -> Result {
    let scale = settings.map_or(1.0, |s| s.scale());
    let ctx = contexts.ctx_mut()?;
    // Fonts set in one pass are usable from the next: then lay out the digits at every size the
    // screens use, so a countdown's new digits are already in the glyph atlas (each new glyph
    // means a texture upload, which lags a frame or two on slow GPUs).
    if *warmed == 1 {
        ctx.fonts_mut(|f| {
            for size in [16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 24.0, 26.0, 28.0, 30.0, 32.0, 34.0, 46.0, 64.0] {
                let _ = f.layout_no_wrap("0123456789:%/+-−–().,".into(), FontId::proportional(size), egui::Color32::BLACK);
            }
        });
        *warmed = 2;
    }
    if *applied == Some(scale) {
        return Ok(());
    }
    if applied.is_none() {
        ctx.set_fonts(fonts());
        style(ctx);
        install_focus_ring(ctx);
        *warmed = 1;
    }
    ctx.set_zoom_factor(scale);
    *applied = Some(scale);
    Ok(())
}
