//! Widgets shared by the screens: big buttons, cards, portraits, the radar chart, the phone.

use std::f32::consts::{PI, TAU};

use bevy_egui::egui::{self, Align2, Color32, CornerRadius, FontId, Pos2, Response, RichText, Sense, Shape, Stroke, Ui, Vec2, vec2};

use super::palette;
use crate::scenario::Lang;

/// `zh` or `en`.
pub fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    lang.pick(zh, en)
}

/// Chinese numerals for project and task numbers (一 … 九十九).
pub fn cn_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], if n.is_multiple_of(10) { "" } else { D[(n % 10) as usize] }),
        _ => n.to_string(),
    }
}

/// "项目一 · 任务三" / "Project 1 · Task 3". The course has four projects; project 5 holds its
/// supplementary material (complaints, service standards, cold calls): "拓展 · 任务一".
pub fn course_label(lang: Lang, project: u32, task: u32) -> String {
    match (lang, project) {
        (Lang::Zh, 5) => format!("拓展 · 任务{}", cn_number(task)),
        (Lang::En, 5) => format!("Further · Task {task}"),
        (Lang::Zh, _) => format!("项目{} · 任务{}", cn_number(project), cn_number(task)),
        (Lang::En, _) => format!("Project {project} · Task {task}"),
    }
}

/// An English count with its noun in the right number: "1 file", "2 files".
pub fn en_count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A large filled button (primary actions).
pub fn big_button(ui: &mut Ui, text: &str, width: f32) -> Response {
    ui.add(
        egui::Button::new(RichText::new(text).size(24.0).color(Color32::WHITE).strong())
            .fill(palette::PRIMARY)
            .min_size(vec2(width, 54.0))
            .corner_radius(10),
    )
}

/// A large plain button (secondary actions).
pub fn plain_button(ui: &mut Ui, text: &str) -> Response {
    ui.add(egui::Button::new(RichText::new(text).size(21.0)).min_size(vec2(0.0, 46.0)).corner_radius(8))
}

/// A full-width answer button with its number key: "1  您好，长海物流…".
pub fn option_button(ui: &mut Ui, key: usize, text: &str, width: f32) -> Response {
    let mut job = egui::text::LayoutJob::default();
    job.append(&format!("{key}  "), 0.0, egui::TextFormat { font_id: FontId::proportional(24.0), color: palette::PRIMARY, ..Default::default() });
    job.append(text, 0.0, egui::TextFormat { font_id: FontId::proportional(24.0), color: palette::TEXT, ..Default::default() });
    // Wrapped here (Chinese line-start rules), to the width inside the button's padding.
    let inner = width.min(ui.available_width()) - 2.0 * ui.spacing().button_padding.x - 4.0;
    let galley = wrap_galley(ui, job, inner.max(40.0));
    ui.add(
        egui::Button::new(egui::WidgetText::Galley(galley))
            .fill(palette::PANEL)
            .stroke(Stroke::new(2.0, palette::PRIMARY_SOFT))
            .min_size(vec2(width, 60.0))
            .corner_radius(10),
    )
}

/// Characters a line may not start with in Chinese text (避头: closing punctuation). egui
/// keeps `、。` and the ASCII forms off a line's start, not the full-width `，？！：；）` (issue 10).
pub const NO_LINE_START: &str = "，。、；：？！）》」』】〕〉〗〙｝…—”’％·～,.;:?!)]}%";
/// … and may not end with (避尾: opening punctuation).
pub const NO_LINE_END: &str = "（《「『【〔〈〖〘｛“‘([{";

/// Where to break instead, given the text's characters and its rows as (first char, whether
/// the row was wrapped onto rather than started by a newline): the first wrapped row that would
/// start with closing punctuation (or follow a row ending in opening punctuation) gets its break
/// moved back, taking the character(s) before along. `None` when every break is right (or
/// none can be moved: a row made only of punctuation keeps egui's break).
pub fn better_break(chars: &[char], rows: &[(usize, bool)]) -> Option<usize> {
    for (i, &(start, wrapped)) in rows.iter().enumerate().skip(1) {
        if !wrapped || start >= chars.len() {
            continue;
        }
        let floor = rows[i - 1].0 + 1;
        let bad = |b: usize| NO_LINE_START.contains(chars[b]) || NO_LINE_END.contains(chars[b - 1]);
        let mut b = start;
        while b > floor && bad(b) {
            b -= 1;
        }
        if b != start && !bad(b) {
            return Some(b);
        }
    }
    None
}

/// Lay `job` out wrapped at `width`, keeping the Chinese line-start and line-end rules: egui
/// wraps CJK text between any two characters, so a row could start with "，". Such a break is
/// moved back one character as a hard line break, and the text laid out again.
pub fn wrap_galley(ui: &Ui, mut job: egui::text::LayoutJob, width: f32) -> std::sync::Arc<egui::Galley> {
    job.wrap.max_width = width;
    for _ in 0..24 {
        let galley = ui.fonts_mut(|f| f.layout_job(job.clone()));
        let chars: Vec<char> = job.text.chars().collect();
        let mut rows = Vec::with_capacity(galley.rows.len());
        let (mut at, mut wrapped) = (0, false);
        for row in &galley.rows {
            rows.push((at, wrapped));
            at += row.char_count_including_newline().0;
            wrapped = !row.ends_with_newline;
        }
        // Glyphs that are not one per character (never in Chinese text): keep egui's layout.
        if at != chars.len() {
            return galley;
        }
        let Some(b) = better_break(&chars, &rows) else { return galley };
        let byte = job.text.char_indices().nth(b).map_or(job.text.len(), |(i, _)| i);
        insert_newline(&mut job, byte);
    }
    ui.fonts_mut(|f| f.layout_job(job))
}

/// Insert `\n` at byte `at` of the job's text, keeping its sections on their characters.
fn insert_newline(job: &mut egui::text::LayoutJob, at: usize) {
    job.text.insert(at, '\n');
    for s in &mut job.sections {
        let r = &mut s.byte_range;
        if r.start.0 < at && r.end.0 >= at {
            r.end.0 += 1;
        } else if r.start.0 >= at {
            r.start.0 += 1;
            r.end.0 += 1;
        }
    }
}

/// A paragraph of text wrapped to the available width with the Chinese line-start rules.
pub fn para(ui: &mut Ui, text: impl Into<RichText>) -> Response {
    para_leaving(ui, text, 0.0)
}

/// [`para`] in a row that still has controls to its right: wrapped `reserve` points short of the
/// available width, so the controls keep their place.
pub fn para_leaving(ui: &mut Ui, text: impl Into<RichText>, reserve: f32) -> Response {
    let job = egui::WidgetText::from(text.into()).into_layout_job(ui.style(), egui::FontSelection::Default, ui.text_valign());
    let galley = wrap_galley(ui, std::sync::Arc::unwrap_or_clone(job), (ui.available_width() - reserve).max(60.0));
    ui.add(egui::Label::new(egui::WidgetText::Galley(galley)))
}

/// A white rounded card.
pub fn card<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    egui::Frame::new()
        .fill(palette::PANEL)
        .stroke(Stroke::new(1.0, palette::LINE))
        .corner_radius(12)
        .inner_margin(egui::Margin::same(18))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner
}

/// A tinted card (feedback, notices).
pub fn tinted<R>(ui: &mut Ui, fill: Color32, edge: Color32, add: impl FnOnce(&mut Ui) -> R) -> R {
    egui::Frame::new()
        .fill(fill)
        .stroke(Stroke::new(2.0, edge))
        .corner_radius(12)
        .inner_margin(egui::Margin::same(16))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner
}

/// What goes in a portrait circle: the surname of a Chinese name, initials of a Latin one.
pub fn initials(name: &str) -> String {
    let name = name.trim();
    match name.chars().next() {
        Some(c) if !c.is_ascii() => c.to_string(),
        Some(_) => {
            let words: Vec<&str> = name
                .split_whitespace()
                .filter(|w| !matches!(w.trim_end_matches('.').to_ascii_lowercase().as_str(), "mr" | "ms" | "mrs" | "dr" | "miss"))
                .collect();
            let s: String = words.iter().take(2).filter_map(|w| w.chars().next()).collect();
            if s.is_empty() { name.chars().take(1).collect() } else { s.to_uppercase() }
        }
        None => "?".into(),
    }
}

/// A speaker's portrait: the image if there is one, else initials in a coloured circle.
pub fn portrait(ui: &mut Ui, name: &str, key: &str, diameter: f32, image: Option<&egui::TextureHandle>) -> Response {
    let (resp, painter) = ui.allocate_painter(Vec2::splat(diameter), Sense::hover());
    let c = resp.rect.center();
    let r = diameter / 2.0;
    match image {
        Some(tex) => {
            painter.circle_filled(c, r, palette::LINE);
            let inner = egui::Rect::from_center_size(c, Vec2::splat(diameter - 6.0));
            egui::Image::new(tex).corner_radius(CornerRadius::same(u8::try_from(((diameter - 6.0) / 2.0) as u32).unwrap_or(u8::MAX))).paint_at(ui, inner);
        }
        None => {
            let color = palette::for_key(key);
            painter.circle_filled(c, r, color);
            painter.circle_stroke(c, r - 2.0, Stroke::new(2.0, Color32::from_white_alpha(90)));
            let text = initials(name);
            let size = if text.chars().count() > 1 { r * 0.75 } else { r * 0.95 };
            painter.text(c, Align2::CENTER_CENTER, text, FontId::proportional(size), Color32::WHITE);
        }
    }
    resp
}

/// A pentagon radar chart of five percentages (0-100), labels outside the corners. The chart
/// shrinks so the labels stay inside its `size × 1.7` width (long English labels on a small
/// screen).
pub fn radar(ui: &mut Ui, values: &[(String, f64)], size: f32) -> Response {
    let (resp, painter) = ui.allocate_painter(vec2(size * 1.7, size * 1.05), Sense::hover());
    let c = resp.rect.center() + vec2(0.0, size * 0.05);
    let n = values.len().max(3);
    let font = FontId::proportional(21.0);
    let labels: Vec<String> = values.iter().map(|(label, v)| format!("{label} {v:.0}%")).collect();
    let half = resp.rect.width() / 2.0 - 4.0;
    let r = labels.iter().enumerate().fold(size * 0.36, |r, (i, text)| {
        let cos = (-PI / 2.0 + TAU * i as f32 / n as f32).cos().abs();
        if i == 0 || cos < 0.01 {
            return r;
        }
        let w = painter.layout_no_wrap(text.clone(), font.clone(), palette::TEXT).size().x;
        r.min(((half - w) / (1.18 * cos)).max(size * 0.2))
    });
    let corner = |i: usize, k: f32| {
        let a = -PI / 2.0 + TAU * i as f32 / n as f32;
        c + vec2(a.cos(), a.sin()) * r * k
    };
    for k in [0.25f32, 0.5, 0.75, 1.0] {
        let pts: Vec<Pos2> = (0..n).map(|i| corner(i, k)).collect();
        painter.add(Shape::closed_line(pts, Stroke::new(if k == 1.0 { 2.0 } else { 1.0 }, palette::LINE)));
    }
    for i in 0..n {
        painter.line_segment([c, corner(i, 1.0)], Stroke::new(1.0, palette::LINE));
    }
    let pts: Vec<Pos2> = values.iter().enumerate().map(|(i, (_, v))| corner(i, (*v as f32 / 100.0).clamp(0.02, 1.0))).collect();
    // The value polygon is star-shaped around the centre, not convex: fill it as a fan.
    let fill = Color32::from_rgba_unmultiplied(29, 78, 216, 60);
    for i in 0..pts.len() {
        let j = (i + 1) % pts.len();
        painter.add(Shape::convex_polygon(vec![c, pts[i], pts[j]], fill, Stroke::NONE));
    }
    painter.add(Shape::closed_line(pts.clone(), Stroke::new(3.0, palette::PRIMARY)));
    for p in &pts {
        painter.circle_filled(*p, 5.0, palette::PRIMARY);
    }
    for (i, text) in labels.into_iter().enumerate() {
        let p = corner(i, 1.18);
        let align = if i == 0 {
            Align2::CENTER_BOTTOM
        } else if p.x > c.x + 1.0 {
            Align2::LEFT_CENTER
        } else {
            Align2::RIGHT_CENTER
        };
        painter.text(p, align, text, font.clone(), palette::TEXT);
    }
    resp
}

/// A countdown bar: full at the start, empty when time runs out; red in the last quarter.
pub fn countdown(ui: &mut Ui, left: f32, label: &str) {
    let left = left.clamp(0.0, 1.0);
    let color = if left < 0.25 { palette::BAD } else if left < 0.5 { palette::WARN } else { palette::GOOD };
    ui.add(egui::ProgressBar::new(left).fill(color).desired_height(22.0).text(RichText::new(label).color(palette::TEXT).size(18.0)));
}

/// A ringing phone: the handset shakes and waves spread while it rings (`t` in seconds).
pub fn phone(ui: &mut Ui, t: f32, ringing: bool, size: f32) -> Response {
    let (resp, painter) = ui.allocate_painter(vec2(size * 2.2, size * 1.4), Sense::hover());
    let c = resp.rect.center();
    if ringing {
        // The ripples stay inside the painter (they were cut flat at its top and bottom), in the
        // green of "answer", not the red of "hang up".
        let (inner, outer) = (size * 0.45, size * 0.7 - 3.0);
        let [r, g, b, _] = palette::GOOD.to_array();
        for k in 0..3 {
            let phase = ((t * 1.2) + k as f32 / 3.0).fract();
            let alpha = ((1.0 - phase) * 160.0) as u8;
            painter.circle_stroke(c, inner + phase * (outer - inner), Stroke::new(4.0, Color32::from_rgba_unmultiplied(r, g, b, alpha)));
        }
    }
    let shake = if ringing { (t * 40.0).sin() * 0.18 * ((t * 2.0).sin().abs()) } else { 0.0 };
    let rot = |p: Vec2| {
        let (s, co) = shake.sin_cos();
        c + vec2(p.x * co - p.y * s, p.x * s + p.y * co)
    };
    let body = if ringing { palette::GOOD } else { palette::MUTED };
    painter.circle_filled(c, size * 0.42, Color32::WHITE);
    painter.circle_stroke(c, size * 0.42, Stroke::new(3.0, body));
    // The handset: a thick arc with two ear pieces.
    let arc: Vec<Pos2> = (0..=16).map(|i| {
        let a = PI * (1.15 + 0.7 * i as f32 / 16.0);
        rot(vec2(a.cos(), a.sin() + 0.55) * size * 0.28)
    }).collect();
    painter.add(Shape::line(arc.clone(), Stroke::new(size * 0.09, body)));
    for end in [arc[0], arc[16]] {
        painter.circle_filled(end, size * 0.08, body);
    }
    painter.rect_filled(egui::Rect::from_center_size(rot(vec2(0.0, size * 0.16)), vec2(size * 0.36, size * 0.16)), 6.0, body);
    resp
}

/// A small chip ("迅速 +4", "提示 -2"), never wrapped (squeezed at the end of a row it broke
/// into a column of characters).
pub fn chip(ui: &mut Ui, text: &str, fill: Color32, color: Color32) {
    egui::Frame::new()
        .fill(fill)
        .corner_radius(14)
        .inner_margin(egui::Margin::symmetric(10, 4))
        .show(ui, |ui| ui.add(egui::Label::new(RichText::new(text).color(color).size(18.0)).wrap_mode(egui::TextWrapMode::Extend)));
}

/// A heading with a muted subtitle.
pub fn heading_with(ui: &mut Ui, title: &str, sub: &str) {
    ui.label(RichText::new(title).size(32.0).strong());
    if !sub.is_empty() {
        ui.label(RichText::new(sub).color(palette::MUTED));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("王玥"), "王");
        assert_eq!(initials("Mr. Wang"), "W");
        assert_eq!(initials("Liu Mingli"), "LM");
        assert_eq!(initials(""), "?");
    }

    /// Rows as `better_break` takes them, from row lengths (all wrapped).
    fn rows(lens: &[usize]) -> Vec<(usize, bool)> {
        let mut at = 0;
        lens.iter()
            .enumerate()
            .map(|(i, n)| {
                let r = (at, i > 0);
                at += n;
                r
            })
            .collect()
    }

    #[test]
    fn no_row_starts_with_closing_punctuation() {
        let text: Vec<char> = "您好请问有什么可以帮您，我们马上处理！".chars().collect();
        // egui would break before "，": the character before goes down with it.
        assert_eq!(better_break(&text, &rows(&[11, 8])), Some(10));
        // A good break is left alone.
        assert_eq!(better_break(&text, &rows(&[10, 9])), None);
        // Two closers in a row (“好。”): they go down with the word they close, and its
        // opening quote with it.
        let t: Vec<char> = "他说“好。”然后走了".chars().collect();
        assert_eq!(better_break(&t, &rows(&[5, 5])), Some(2));
        // An opening bracket never ends a row.
        let t: Vec<char> = "请看《物流客户服务》教材".chars().collect();
        assert_eq!(better_break(&t, &rows(&[3, 9])), Some(2));
        // After a newline a row may start with anything (it is the author's break).
        assert_eq!(better_break(&text, &[(0, false), (11, false)]), None);
    }

    /// Issue 10: laid out with the app's font at many widths, no row starts with "，" and the
    /// like, where egui's own wrapping does put some there.
    #[test]
    fn wrapped_chinese_text_keeps_punctuation_off_line_starts() {
        let text = "您好，请问有什么可以帮您？我们马上处理，请稍等！地铁施工封了1号门和2号门：通知谁、怎么通知、指示牌怎么写？做错了，客户会有反应。";
        let starts_badly = |g: &egui::Galley| g.rows.iter().skip(1).filter(|r| r.glyphs.first().is_some_and(|c| NO_LINE_START.contains(c.chr))).count();
        let ctx = egui::Context::default();
        ctx.set_fonts(super::super::fonts());
        let (mut egui_bad, mut ours_bad, mut widths) = (0, 0, 0);
        // Fonts set in one pass are used from the next.
        for pass in 0..2 {
            let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                if pass == 0 {
                    return;
                }
                for w in (90..420).step_by(3) {
                    let job = egui::text::LayoutJob::simple(text.into(), FontId::proportional(22.0), Color32::BLACK, w as f32);
                    egui_bad += starts_badly(&ui.fonts_mut(|f| f.layout_job(job.clone())));
                    let ours = wrap_galley(ui, job, w as f32);
                    ours_bad += starts_badly(&ours);
                    assert_eq!(ours.text().replace('\n', ""), text, "only line breaks are added");
                    widths += 1;
                }
            });
            out.textures_delta.clear();
        }
        assert!(widths > 100);
        assert!(egui_bad > 0, "egui alone starts some rows with punctuation (else this test shows nothing)");
        assert_eq!(ours_bad, 0);
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(cn_number(3), "三");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(12), "十二");
        assert_eq!(cn_number(20), "二十");
        assert_eq!(cn_number(35), "三十五");
    }
}
