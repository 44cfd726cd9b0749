//! Authoring mode, the drawing: the folder, every scenario file with its diagnostics (left), the
//! selected file's audit (the `kefu audit` table), analysis and nodes to play from (right); over
//! the play screen during a trial run, a small bar with what the last reload did and the way back.
//! The logic is in `authoring/mod.rs`; this file only draws and sends [`AuthorIntent`]s.

use bevy::prelude::*;
use bevy::window::RequestRedraw;
use bevy_egui::egui::{self, RichText, Ui};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass};
use bevy_state::prelude::*;

use crate::app::screen::Screen;
use crate::app::intent::Send;
use crate::app::page::{framed_own, top_bar};
use crate::app::authoring::{AuthorIntent, Authoring, FileState, POLL, Study, View};
use crate::app::intent::{Intent, Notice};
use crate::app::dialog::{self, Browse, Chosen, Dialogs, Field, Kind};
use crate::app::settings::Settings;
use crate::app::theme::widgets::{big_button, card, chip, en_count, para, t, tinted, wrap_galley};
use crate::app::theme::{ThemeSet, palette};
use crate::analysis::PathSummary;
use crate::scoring::audit::Audit;
use crate::scenario::{Dim, Lang, Severity};

/// The folder field as typed (kept apart from the folder in use until "Open").
#[derive(Resource, Default)]
struct FolderField {
    text: String,
    /// The folder in use the text was last filled from.
    synced: std::path::PathBuf,
}

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<FolderField>()
        .add_systems(EguiPrimaryContextPass, draw.after(ThemeSet).run_if(in_state(Screen::Authoring)))
        .add_systems(EguiPrimaryContextPass, trial_bar.after(ThemeSet).run_if(in_trial));
}

fn in_trial(state: Res<State<Screen>>, authoring: Res<Authoring>) -> bool {
    authoring.trial.is_some() && matches!(state.get(), Screen::Play | Screen::Results | Screen::Review)
}

fn kind_label(kind: &str, lang: Lang) -> String {
    let zh = match kind {
        "Line" => "台词",
        "Choice" => "选择",
        "Phone" => "来电",
        "Dial" => "拨号",
        "Form" => "表单",
        "Match" => "配对",
        "Order" => "排序",
        "Compose" => "拼写",
        "Say" => "说话",
        "Table" => "表格",
        "Ending" => "结局",
        _ => "",
    };
    match lang {
        Lang::Zh if !zh.is_empty() => format!("{kind} {zh}"),
        _ => kind.to_string(),
    }
}

fn num(x: Option<f64>, unbounded: &str) -> String {
    x.map_or(unbounded.to_string(), |v| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") })
}

#[allow(clippy::too_many_arguments, reason = "a Bevy system: each parameter is one resource")]
fn draw(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    authoring: Res<Authoring>,
    mut field: ResMut<FolderField>,
    mut notice: ResMut<Notice>,
    mut send: Send,
    mut author: MessageWriter<AuthorIntent>,
    (dialogs, mut browse, mut chosen): (Res<Dialogs>, MessageWriter<Browse>, MessageReader<Chosen>),
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let mut out: Vec<Intent> = Vec::new();
    let mut acts: Vec<AuthorIntent> = Vec::new();
    if field.synced != authoring.folder {
        field.text = authoring.folder.display().to_string();
        field.synced = authoring.folder.clone();
    }
    // A folder chosen in the dialog opens at once.
    for c in chosen.read() {
        if c.field == Field::AuthoringFolder {
            field.text = c.path.display().to_string();
            acts.push(AuthorIntent::Open(c.path.clone()));
        }
    }
    // The page frame with authoring's own top: the bar, the folder bar, the file list.
    let mut ask_folder = false;
    let top = |ui: &mut Ui, acts: &mut Vec<AuthorIntent>, out: &mut Vec<Intent>| {
        top_bar(ui, &settings, out, |ui, _| {
            if ui.button(t(lang, "返回设置", "Back to settings")).clicked() {
                acts.push(AuthorIntent::Leave);
            }
        });
        ask_folder = folder_bar(ui, &authoring, &mut field, &dialogs, lang, acts);
        // Two fifths of the window at most: the selected file's side needs the rest. The map
        // takes the whole width (the file list is one click away, under "概览").
        let files_width = (ui.available_width() * 0.4).clamp(260.0, 450.0);
        let map_shown = authoring.view == View::Map && authoring.selected_file().is_some();
        if !map_shown {
            egui::Panel::left("author-files")
                .resizable(false)
                .exact_size(files_width)
                .frame(egui::Frame::new().fill(palette::PANEL).inner_margin(egui::Margin::same(14)).stroke(egui::Stroke::new(1.0, palette::LINE)))
                .show(ui, |ui| file_list(ui, &authoring, lang, acts));
        }
    };
    out.extend(framed_own(&ctx, &settings, &mut notice, &mut acts, top, |ui, acts, _| selected_file(ui, &authoring, lang, acts)));
    if ask_folder {
        let start = Some(std::path::PathBuf::from(field.text.trim())).filter(|p| !p.as_os_str().is_empty());
        browse.write(Browse { field: Field::AuthoringFolder, kind: Kind::Folder, title: t(lang, "选择场景文件夹", "Choose a scenario folder").into(), start });
        ctx.request_repaint();
    }
    send.send_all(out);
    if !acts.is_empty() {
        for a in acts {
            author.write(a);
        }
        // Wakes the reactive loop so the intents apply at once.
        ctx.request_repaint();
    }
    Ok(())
}

/// Folder field, Browse, Open, Check again, and when the last reload happened. Returns whether
/// "Browse…" was clicked.
fn folder_bar(root: &mut Ui, authoring: &Authoring, field: &mut FolderField, dialogs: &Dialogs, lang: Lang, acts: &mut Vec<AuthorIntent>) -> bool {
    let mut browse = false;
    egui::Panel::top("author-folder")
        .frame(egui::Frame::new().fill(palette::BG).inner_margin(egui::Margin::symmetric(20, 10)).stroke(egui::Stroke::new(1.0, palette::LINE)))
        .show(root, |ui| {
            // The field and its buttons beside the title on a wide window, on a row of their own
            // on a narrow one (1024 px at a large text size squeezed the field to a few letters).
            let wide = ui.available_width() >= 900.0;
            let mut path_row = |ui: &mut Ui| {
                let edit = ui.add(egui::TextEdit::singleline(&mut field.text).desired_width((ui.available_width() - 330.0).max(160.0)).font(egui::FontId::proportional(19.0)));
                let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                browse = dialog::button(ui, dialogs, Field::AuthoringFolder, lang);
                if ui.button(t(lang, "打开", "Open")).clicked() || enter {
                    acts.push(AuthorIntent::Open(std::path::PathBuf::from(field.text.trim())));
                }
                if ui.button(t(lang, "重新检查", "Check again")).clicked() {
                    acts.push(AuthorIntent::Reload);
                }
            };
            ui.horizontal(|ui| {
                ui.label(RichText::new(t(lang, "编写模式", "Authoring")).size(26.0).strong().color(palette::PRIMARY));
                ui.label(RichText::new(t(lang, "场景文件夹：", "Scenario folder:")).strong());
                if wide {
                    path_row(ui);
                }
            });
            if !wide {
                ui.horizontal(&mut path_row);
            }
            let every = format!("{:.1}", POLL.as_secs_f32());
            let mut line = match lang {
                Lang::Zh => format!("在任何编辑器里保存文件，这里会自动重新检查（每 {every} 秒查看一次）。"),
                Lang::En => format!("Save a file in any editor and it is checked again here (looked at every {every} s)."),
            };
            if let Some((_, names)) = &authoring.last_reload {
                let (n, ms) = (authoring.reloads, authoring.reload_cost.as_millis());
                line += &match lang {
                    Lang::Zh => format!("  已重新加载 {n} 次，最近：{}（用时 {ms} 毫秒）", names.join("、")),
                    Lang::En => format!("  Reloaded {n}×, last: {} (took {ms} ms)", names.join(", ")),
                };
            }
            ui.label(RichText::new(line).color(palette::MUTED).size(17.0));
            dialog::note(ui, dialogs, Field::AuthoringFolder, lang);
        });
    browse
}

fn severity_color(s: Severity) -> egui::Color32 {
    match s {
        Severity::Error => palette::BAD,
        Severity::Warning => palette::WARN,
    }
}

/// Every file with ✓ or its diagnostics; clicking a file selects it.
fn file_list(ui: &mut Ui, authoring: &Authoring, lang: Lang, acts: &mut Vec<AuthorIntent>) {
    let (errors, warnings) = authoring.files.iter().fold((0, 0), |(e, w), f| (e + f.errors(), w + f.warnings()));
    // Wrapped: on a narrow panel the counts go under the heading instead of widening the panel's
    // content past its edge (the file cards were then cut on the right).
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t(lang, "场景文件", "Scenario files")).size(22.0).strong());
        let summary = match lang {
            Lang::Zh => format!("{} 个文件 · {errors} 个错误 · {warnings} 个警告", authoring.files.len()),
            Lang::En => format!("{} · {} · {}", en_count(authoring.files.len(), "file", "files"), en_count(errors, "error", "errors"), en_count(warnings, "warning", "warnings")),
        };
        ui.label(RichText::new(summary).color(palette::MUTED).size(17.0));
    });
    if let Some(p) = &authoring.folder_problem {
        ui.label(RichText::new(format!("⚠ {p}")).color(palette::BAD));
    } else if authoring.files.is_empty() {
        ui.label(RichText::new(t(lang, "这个文件夹里没有 .ron 场景文件。", "There are no .ron scenario files in this folder.")).color(palette::MUTED));
    }
    egui::ScrollArea::vertical().id_salt("author-file-list").auto_shrink([false, false]).show(ui, |ui| {
        for f in &authoring.files {
            file_entry(ui, f, authoring.selected.as_ref() == Some(&f.path), lang, acts);
        }
    });
}

fn file_entry(ui: &mut Ui, f: &FileState, selected: bool, lang: Lang, acts: &mut Vec<AuthorIntent>) {
    let (mark, color) = match (f.errors(), f.warnings(), f.loaded.is_some()) {
        (0, 0, true) => ("✓".to_string(), palette::GOOD),
        (0, w, true) => (format!("⚠ {w}"), palette::WARN),
        (e, _, _) => (format!("× {e}"), palette::BAD),
    };
    let title = f.loaded.as_ref().map(|l| l.scenario.title.get(lang).to_string()).unwrap_or_default();
    let mut job = egui::text::LayoutJob::default();
    let fmt = |size: f32, color| egui::TextFormat { font_id: egui::FontId::proportional(size), color, ..Default::default() };
    job.append(&format!("{mark}  "), 0.0, fmt(21.0, color));
    job.append(&f.name, 0.0, fmt(21.0, palette::TEXT));
    if !title.is_empty() {
        job.append(&format!("\n{title}"), 0.0, fmt(17.0, palette::MUTED));
    }
    let w = ui.available_width();
    let fill = if selected { palette::PRIMARY_SOFT } else { palette::PANEL };
    let stroke = if selected { egui::Stroke::new(2.0, palette::PRIMARY) } else { egui::Stroke::new(1.0, palette::LINE) };
    if ui.add(egui::Button::new(job).wrap().fill(fill).stroke(stroke).min_size(egui::vec2(w, 40.0))).clicked() {
        acts.push(AuthorIntent::Select(f.path.clone()));
    }
    ui.indent(("diags", &f.path), |ui| {
        if f.diagnostics.is_empty() {
            ui.label(RichText::new(t(lang, "✓ 没有发现问题", "✓ No problems found")).color(palette::GOOD).size(17.0));
        }
        for d in &f.diagnostics {
            let color = severity_color(d.severity);
            let mut job = egui::text::LayoutJob::default();
            let pos = match lang {
                Lang::Zh => format!("第 {} 行第 {} 列 · {}：", d.line, d.col, d.severity.label(lang)),
                Lang::En => format!("line {}, col {} · {}: ", d.line, d.col, d.severity.label(lang)),
            };
            job.append(&pos, 0.0, fmt(17.0, color));
            job.append(d.message.get(lang), 0.0, fmt(17.0, palette::TEXT));
            job.append(&format!("  [{}]", d.code), 0.0, fmt(15.0, palette::MUTED));
            // Wrapped with the Chinese line-start rules (no row starting with "：" or "）").
            let galley = wrap_galley(ui, job, ui.available_width());
            let r = ui.add(egui::Label::new(egui::WidgetText::Galley(galley)));
            // The full path (a diagnostic may point into another file one day).
            r.on_hover_text(d.file.display().to_string());
        }
    });
    ui.add_space(6.0);
}

/// The selected file: play buttons, analysis, endings, nodes.
fn selected_file(ui: &mut Ui, authoring: &Authoring, lang: Lang, acts: &mut Vec<AuthorIntent>) {
    let Some(f) = authoring.selected_file() else {
        ui.label(RichText::new(t(lang, "← 选择一个文件", "← Pick a file")).size(24.0).color(palette::MUTED));
        return;
    };
    let Some(study) = authoring.study.as_ref().filter(|s| s.path == f.path) else {
        ui.label(RichText::new(&f.name).size(28.0).strong());
        view_tabs(ui, authoring.view, t(lang, "问题和文件", "Problems and files"), lang, acts);
        if authoring.view == View::Map {
            super::map_view::map_view(ui, authoring, lang, acts);
            return;
        }
        tinted(ui, palette::BAD_SOFT, palette::BAD, |ui| {
            let msg = match lang {
                Lang::Zh => format!("这个文件有 {} 个错误，改正后才能分析和试玩。保存后会自动重新检查。", f.errors()),
                Lang::En => format!(
                    "This file has {}; fix {} to see the analysis and play it. It is checked again when you save.",
                    en_count(f.errors(), "error", "errors"),
                    if f.errors() == 1 { "it" } else { "them" }
                ),
            };
            ui.label(RichText::new(msg).size(21.0));
        });
        egui::ScrollArea::vertical().id_salt(("author-diags", &f.path)).auto_shrink([false, false]).show(ui, |ui| {
            for d in &f.diagnostics {
                let pos = match lang {
                    Lang::Zh => format!("第 {} 行第 {} 列 · {}", d.line, d.col, d.severity.label(lang)),
                    Lang::En => format!("line {}, col {} · {}", d.line, d.col, d.severity.label(lang)),
                };
                card(ui, |ui| {
                    ui.label(RichText::new(pos).strong().color(severity_color(d.severity)));
                    para(ui, RichText::new(d.message.get(lang)).size(21.0));
                    ui.label(RichText::new(format!("[{}]  {}", d.code, d.file.display())).color(palette::MUTED).size(16.0));
                });
            }
        });
        return;
    };
    // The title beside the play button, or above it when the panel is narrow (it was wrapped
    // one character a row under the button at 1024 px and a large text size).
    let head = |ui: &mut Ui| {
        para(ui, RichText::new(study.title.get(lang)).size(28.0).strong());
        ui.label(RichText::new(format!("{} · {}", f.name, study.id)).color(palette::MUTED).size(17.0));
    };
    if ui.available_width() >= 560.0 {
        ui.horizontal(|ui| {
            ui.vertical(|ui| {
                ui.set_max_width(ui.available_width() - 250.0);
                head(ui);
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if big_button(ui, t(lang, "▶ 从开始试玩", "▶ Play from the start"), 230.0).clicked() {
                    acts.push(AuthorIntent::PlayFrom(None));
                }
            });
        });
    } else {
        head(ui);
        if big_button(ui, t(lang, "▶ 从开始试玩", "▶ Play from the start"), 230.0).clicked() {
            acts.push(AuthorIntent::PlayFrom(None));
        }
    }
    view_tabs(ui, authoring.view, t(lang, "概览和文件", "Overview and files"), lang, acts);
    if authoring.view == View::Map {
        super::map_view::map_view(ui, authoring, lang, acts);
        return;
    }
    // Own ids: the settings screen's scroll offset must not carry over.
    egui::ScrollArea::vertical().id_salt(("author-study", &study.path)).auto_shrink([false, false]).show(ui, |ui| {
        audit_card(ui, &study.audit, lang);
        ui.columns(2, |cols| {
            let top = egui::Layout::top_down(egui::Align::Min);
            let (left, right) = cols.split_at_mut(1);
            left[0].with_layout(top, |ui| {
                ranges_card(ui, study, lang);
                endings_card(ui, study, lang);
            });
            right[0].with_layout(top, |ui| {
                card(ui, |ui| {
                    path_summary(ui, t(lang, "专家路径", "Expert path"), &study.analysis.expert, palette::GOOD, lang);
                    ui.separator();
                    path_summary(ui, t(lang, "最差路径", "Worst path"), &study.analysis.worst, palette::BAD, lang);
                });
                nodes_card(ui, study, lang, acts);
            });
        });
    });
}

/// The two views of the selected file: its overview (or its problems) and its map.
fn view_tabs(ui: &mut Ui, view: View, first: &str, lang: Lang, acts: &mut Vec<AuthorIntent>) {
    ui.horizontal(|ui| {
        for (v, label) in [(View::Overview, first), (View::Map, t(lang, "地图", "Map"))] {
            let on = view == v;
            let text = RichText::new(label).size(19.0).strong().color(if on { palette::PRIMARY } else { palette::MUTED });
            let b = egui::Button::new(text).fill(if on { palette::PRIMARY_SOFT } else { palette::PANEL }).stroke(egui::Stroke::new(if on { 2.0 } else { 1.0 }, if on { palette::PRIMARY } else { palette::LINE }));
            if ui.add(b).clicked() && !on {
                acts.push(AuthorIntent::Show(v));
            }
        }
    });
    ui.add_space(4.0);
}

/// The `kefu audit` table as the core made it: strategy bots (mean, min, max, grade of the
/// mean), the expert path, the expert path with each single critical error, the warnings.
fn audit_card(ui: &mut Ui, a: &Audit, lang: Lang) {
    card(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t(lang, "成绩审计：能不能投机取巧？", "Audit: can the grade be gamed?")).size(22.0).strong().color(palette::PRIMARY));
            // The chip on the next row when the heading leaves too little room for it.
            if ui.available_size_before_wrap().x < 160.0 {
                ui.end_row();
            }
            if a.warnings.is_empty() {
                chip(ui, t(lang, "✓ 没有警告", "✓ no warnings"), palette::GOOD_SOFT, palette::GOOD);
            } else {
                let n = match lang {
                    Lang::Zh => format!("⚠ {} 个警告", a.warnings.len()),
                    Lang::En => format!("⚠ {} warning{}", a.warnings.len(), if a.warnings.len() == 1 { "" } else { "s" }),
                };
                chip(ui, &n, palette::WARN_SOFT, palette::WARN);
            }
        });
        let summary = match lang {
            Lang::Zh => format!("每种策略 {} 个种子 · {} 个结局，其中 {} 个失败 · 分数为百分制", a.seeds, a.endings, a.failure_endings),
            Lang::En => format!("{} seeds per strategy · {} endings, {} of them failures · scores out of 100", a.seeds, a.endings, a.failure_endings),
        };
        ui.label(RichText::new(summary).color(palette::MUTED).size(17.0));
        ui.spacing_mut().interact_size.y = 22.0;
        egui::Grid::new(("audit", &a.id)).num_columns(5).striped(true).spacing([18.0, 3.0]).show(ui, |ui| {
            let head = |ui: &mut Ui, s: &str| ui.label(RichText::new(s).strong().size(17.0).color(palette::MUTED));
            head(ui, t(lang, "策略", "Strategy"));
            head(ui, t(lang, "平均", "Mean"));
            head(ui, t(lang, "最低", "Min"));
            head(ui, t(lang, "最高", "Max"));
            head(ui, t(lang, "等级", "Grade"));
            ui.end_row();
            let cell = |ui: &mut Ui, s: String| ui.label(RichText::new(s).size(18.0).monospace());
            ui.label(RichText::new(t(lang, "专家路径", "Expert path")).size(18.0).strong().color(palette::GOOD));
            cell(ui, format!("{:>5.1}", a.expert_mean));
            cell(ui, format!("{:>3}", a.expert_min));
            ui.label("");
            ui.label("");
            ui.end_row();
            for b in &a.bots {
                ui.label(RichText::new(b.name.get(lang)).size(18.0));
                cell(ui, format!("{:>5.1}", b.mean));
                cell(ui, format!("{:>3}", b.min));
                cell(ui, format!("{:>3}", b.max));
                ui.label(RichText::new(b.grade.get(lang)).size(18.0).strong().color(palette::grade_color(Some(b.grade_level))));
                ui.end_row();
            }
        });
        ui.add_space(6.0);
        if a.critical.is_empty() {
            ui.label(RichText::new(t(lang, "没有标为 critical 的严重错误。", "No critical errors are marked.")).size(18.0).color(palette::WARN));
        } else {
            ui.label(RichText::new(t(lang, "专家路径上只犯一个严重错误（种子 0）：", "The expert path with one critical error (seed 0):")).size(18.0).strong());
            for c in &a.critical {
                // The result first, in a column of its own, so a narrow window wraps only the name.
                let (result, color) = match (c.projected, &c.grade) {
                    (Some(p), Some(g)) => (format!("{p} {}", g.get(lang)), palette::grade_color(c.grade_level)),
                    _ => ("—".to_string(), palette::MUTED),
                };
                let mut job = egui::text::LayoutJob::default();
                let fmt = |size: f32, color| egui::TextFormat { font_id: egui::FontId::proportional(size), color, ..Default::default() };
                job.append(&format!("{} ", c.name.get(lang)), 0.0, fmt(18.0, palette::TEXT));
                let via = match (&c.via, lang) {
                    (Some(v), Lang::Zh) => format!("，先经过 {v}"),
                    (Some(v), Lang::En) => format!(", via {v}"),
                    (None, _) => String::new(),
                };
                let place = match (&c.ending, lang) {
                    (Some(e), _) => format!("[{} {}{via} → {e}]", c.node, c.deviation),
                    (None, Lang::Zh) => format!("[{} {}：到不了这里]", c.node, c.deviation),
                    (None, Lang::En) => format!("[{} {}: never reached]", c.node, c.deviation),
                };
                job.append(&place, 0.0, fmt(15.0, palette::MUTED));
                ui.horizontal(|ui| {
                    ui.allocate_ui_with_layout(egui::vec2(92.0, 22.0), egui::Layout::left_to_right(egui::Align::Min), |ui| {
                        ui.set_min_width(92.0);
                        ui.label(RichText::new(result).size(18.0).strong().color(color));
                    });
                    let galley = wrap_galley(ui, job, ui.available_width());
                    ui.add(egui::Label::new(egui::WidgetText::Galley(galley)));
                });
            }
        }
        for w in &a.warnings {
            ui.add_space(4.0);
            ui.label(RichText::new(format!("⚠ {}", w.get(lang))).size(18.0).color(palette::WARN));
        }
    });
}

fn ranges_card(ui: &mut Ui, study: &Study, lang: Lang) {
    let a = &study.analysis;
    card(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t(lang, "可达分数范围", "Reachable points")).size(22.0).strong().color(palette::PRIMARY));
            if a.approximate {
                chip(ui, t(lang, "近似（状态过多）", "approximate (too many states)"), palette::WARN_SOFT, palette::WARN);
            }
        });
        let summary = match lang {
            Lang::Zh => format!("{} 个节点 · {} 个结局 · {} 个状态", a.nodes, a.endings, a.states),
            Lang::En => format!("{} nodes · {} endings · {} states", a.nodes, a.endings, a.states),
        };
        ui.label(RichText::new(summary).color(palette::MUTED).size(17.0));
        let (dims, crit): (Vec<_>, Vec<_>) = a.ranges.iter().partition(|r| Dim::from_key(&r.key).is_some());
        for (title, rows) in [(t(lang, "5S 要素", "5S dimensions"), dims), (t(lang, "评分标准", "Criteria"), crit)] {
            if rows.is_empty() {
                continue;
            }
            ui.add_space(4.0);
            ui.spacing_mut().interact_size.y = 22.0;
            egui::Grid::new(("ranges", title)).num_columns(2).spacing([16.0, 2.0]).show(ui, |ui| {
                ui.label(RichText::new(title).strong().size(18.0));
                ui.label(RichText::new(t(lang, "最低 .. 最高", "min .. max")).color(palette::MUTED).size(16.0));
                ui.end_row();
                for r in rows {
                    ui.label(RichText::new(r.name.get(lang)).size(18.0));
                    ui.label(RichText::new(format!("{:>3} .. {}", num(r.min, "-∞"), num(r.max, "∞"))).size(18.0).monospace());
                    ui.end_row();
                }
            });
        }
    });
}

fn path_summary(ui: &mut Ui, label: &str, p: &Result<PathSummary, String>, color: egui::Color32, lang: Lang) {
    ui.label(RichText::new(label).size(22.0).strong().color(color));
    match p {
        Ok(p) => {
            let r = &p.report;
            let pending = if r.pending_max > 0 {
                match lang {
                    Lang::Zh => format!("（另有 {} 分待评）", r.pending_max),
                    Lang::En => format!(" (+{} to rate)", r.pending_max),
                }
            } else {
                String::new()
            };
            let head = match lang {
                Lang::Zh => format!("预计 {} 分 · {} · 档次 {}（{} 分）", r.projected, r.grade.get(lang), r.band.band, r.band.points),
                Lang::En => format!("projected {} · {}", r.projected, r.grade.get(lang)),
            };
            ui.label(RichText::new(head).size(20.0).strong());
            let line = match lang {
                Lang::Zh => format!("总分 {} / {}{pending}", r.total, r.total_max - r.pending_max),
                Lang::En => format!("band {} ({} pts) · total {} / {}{pending}", r.band.band, r.band.points, r.total, r.total_max - r.pending_max),
            };
            ui.label(RichText::new(line).size(18.0));
            ui.label(RichText::new(p.nodes.join(" → ")).size(16.0).color(palette::MUTED));
        }
        Err(e) => {
            ui.label(RichText::new(e).color(palette::BAD).size(17.0));
        }
    }
}

fn endings_card(ui: &mut Ui, study: &Study, lang: Lang) {
    let a = &study.analysis;
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "结局", "Endings")).size(22.0).strong().color(palette::PRIMARY));
        for e in &study.endings {
            let (mark, color) = if e.success { ("✓", palette::GOOD) } else { ("×", palette::BAD) };
            let unreached = a.unreached.contains(&e.id);
            let mut text = format!("{mark} {}{}{}", e.id, t(lang, "：", ": "), e.outcome.get(lang));
            if unreached {
                text += t(lang, "（无法到达）", " (unreached)");
            }
            ui.label(RichText::new(text).size(18.0).color(if unreached { palette::WARN } else { color }));
        }
        ui.add_space(4.0);
        if a.unreached.is_empty() {
            ui.label(RichText::new(t(lang, "✓ 每个节点都有路径可以到达", "✓ Every node can be reached")).color(palette::GOOD).size(18.0));
        } else {
            ui.label(RichText::new(format!("{}{}", t(lang, "没有路径到达：", "No path reaches: "), a.unreached.join(", "))).color(palette::WARN).size(18.0));
        }
        if !a.stuck.is_empty() {
            ui.label(RichText::new(format!("{}{}", t(lang, "可能卡住：", "May get stuck: "), a.stuck.join(", "))).color(palette::BAD).size(18.0));
        }
    });
}

fn nodes_card(ui: &mut Ui, study: &Study, lang: Lang, acts: &mut Vec<AuthorIntent>) {
    let a = &study.analysis;
    card(ui, |ui| {
        ui.label(RichText::new(t(lang, "从这个节点试玩", "Play from this node")).size(22.0).strong().color(palette::PRIMARY));
        for (id, kind) in &study.nodes {
            let unreached = a.unreached.contains(id);
            let mut job = egui::text::LayoutJob::default();
            let fmt = |size: f32, color| egui::TextFormat { font_id: egui::FontId::proportional(size), color, ..Default::default() };
            job.append("▶ ", 0.0, fmt(18.0, palette::PRIMARY));
            job.append(id, 0.0, fmt(19.0, if unreached { palette::WARN } else { palette::TEXT }));
            job.append(&format!("  {}", kind_label(kind, lang)), 0.0, fmt(16.0, palette::MUTED));
            if *id == study.start {
                job.append(t(lang, "  · 开始", "  · start"), 0.0, fmt(16.0, palette::GOOD));
            }
            let w = ui.available_width();
            if ui.add(egui::Button::new(job).fill(palette::PANEL).min_size(egui::vec2(w, 30.0))).clicked() {
                acts.push(AuthorIntent::PlayFrom(Some(id.clone())));
            }
        }
    });
}

/// Over the play, results and review screens during a trial run: what is played, what the last
/// reload did, and the way back.
fn trial_bar(
    mut contexts: EguiContexts,
    settings: Res<Settings>,
    authoring: Res<Authoring>,
    state: Res<State<Screen>>,
    mut author: MessageWriter<AuthorIntent>,
    mut redraw: MessageWriter<RequestRedraw>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let lang = settings.lang;
    let Some(trial) = authoring.trial.as_ref() else { return Ok(()) };
    let name = trial.path.strip_prefix(&authoring.folder).unwrap_or(&trial.path).display().to_string();
    let from = match (&trial.from, lang) {
        (Some(n), Lang::Zh) => format!("从节点 {n} 开始"),
        (Some(n), Lang::En) => format!("from node {n}"),
        (None, Lang::Zh) => "从开始".to_string(),
        (None, Lang::En) => "from the start".to_string(),
    };
    let mut back = false;
    egui::Area::new("author-trial".into()).anchor(egui::Align2::LEFT_BOTTOM, egui::vec2(16.0, -16.0)).order(egui::Order::Foreground).show(&ctx, |ui| {
        egui::Frame::new()
            .fill(palette::PRIMARY_SOFT)
            .stroke(egui::Stroke::new(2.0, palette::PRIMARY))
            .corner_radius(10)
            .inner_margin(egui::Margin::symmetric(14, 8))
            .show(ui, |ui| {
                ui.set_max_width(880.0);
                ui.horizontal(|ui| {
                    ui.label(RichText::new(format!("{} · {name} · {from}", t(lang, "编写模式试玩", "Authoring trial"))).strong().size(18.0).color(palette::PRIMARY));
                    if ui.button(RichText::new(t(lang, "返回编写模式", "Back to authoring")).size(18.0)).clicked() {
                        back = true;
                    }
                });
                // Results and review: the run is over, nothing is reloaded any more.
                if *state.get() != Screen::Play {
                    return;
                }
                let (text, color) = match trial.note.as_ref() {
                    Some(n) => (n.text.get(lang).to_string(), if n.warn { palette::WARN } else { palette::GOOD }),
                    None => (t(lang, "保存文件后会自动重新加载，并尽量停在当前节点。不记成绩。", "Saving the file reloads it here, keeping the current node where it can. Not filed.").to_string(), palette::MUTED),
                };
                ui.label(RichText::new(text).size(16.0).color(color));
            });
    });
    if back {
        author.write(AuthorIntent::BackToAuthoring);
        redraw.write(RequestRedraw);
    }
    Ok(())
}
