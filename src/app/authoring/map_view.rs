//! Authoring mode, the map: the selected file drawn as a graph with egui's painter (the layout,
//! colours and statuses come from `analysis::map`; nothing is computed here). Drag to move,
//! the wheel or the buttons to zoom; hover a node for its words and reachable points; click it
//! for its findings, its line in the file and "play from here".

use bevy_egui::egui::{self, Align2, Color32, FontId, Rect, RichText, Sense, Stroke, StrokeKind, Ui, Vec2, epaint::CubicBezierShape};

use crate::app::authoring::{AuthorIntent, Authoring, Note};
use crate::app::theme::palette;
use crate::app::theme::widgets::{para, t};
use crate::analysis::map::{self, EdgeKind, Map, MapNode, NODE_H, NODE_W, Rgb, Status};
use crate::scenario::{Lang, Severity};

/// Where the map is looked at from: map point `p` is drawn at `origin + p * zoom`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Camera {
    offset: Vec2,
    zoom: f32,
}

const MIN_ZOOM: f32 = 0.25;
const MAX_ZOOM: f32 = 2.0;
/// Below this zoom the arrows' labels are left out (they would be unreadable).
const LABEL_ZOOM: f32 = 0.7;

fn rgb(c: Rgb) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// A first view: the whole width if that leaves the words readable, the top of the map.
fn fit(map: &Map, area: Rect, readable: bool) -> Camera {
    let margin = 24.0;
    let zx = (area.width() - 2.0 * margin) / map.width.max(1.0);
    let zy = (area.height() - 2.0 * margin) / map.height.max(1.0);
    let zoom = if readable { zx.clamp(0.75, 1.0) } else { zx.min(zy).clamp(MIN_ZOOM, 1.0) };
    let w = map.width * zoom;
    let x = if w < area.width() { (area.width() - w) / 2.0 } else { margin };
    Camera { offset: Vec2::new(x, margin), zoom }
}

/// The map of the selected file with its toolbar, legend and (when a node is selected) the
/// node's panel on the right.
pub fn map_view(ui: &mut Ui, authoring: &Authoring, lang: Lang, acts: &mut Vec<AuthorIntent>) {
    let Some(map) = authoring.shown_map() else {
        ui.label(RichText::new(t(lang, "这个文件读不出来，画不出地图：先改正左边的错误。", "The file cannot be read, so there is no map: fix the errors on the left first.")).size(20.0).color(palette::BAD));
        return;
    };
    let selected = authoring.map_node.as_deref().and_then(|id| map.nodes.iter().position(|n| n.id == id));
    let cam_id = egui::Id::new(("author-map-camera", &map.id, authoring.selected.as_ref()));
    let mut reset: Option<bool> = None;
    ui.horizontal_wrapped(|ui| {
        if ui.button(t(lang, "整个地图", "Whole map")).clicked() {
            reset = Some(false);
        }
        if ui.button(t(lang, "从头看", "From the top")).clicked() {
            reset = Some(true);
        }
        legend(ui, lang);
    });
    if !map.missing.is_empty() {
        let list = map.missing.iter().map(|(from, to)| format!("{from} → {to}")).collect::<Vec<_>>().join("，");
        ui.label(RichText::new(format!("{}{list}", t(lang, "箭头指向不存在的节点（没有画出）：", "Arrows to nodes that do not exist (not drawn): "))).color(palette::BAD).size(16.0));
    }
    // The node's panel on the right, the drawing in the rest.
    if let Some(i) = selected {
        let w = (ui.available_width() * 0.34).clamp(260.0, 380.0);
        egui::Panel::right("author-map-node")
            .resizable(false)
            .exact_size(w)
            .frame(egui::Frame::new().fill(palette::PANEL).inner_margin(egui::Margin::same(12)).stroke(Stroke::new(1.0, palette::LINE)))
            .show(ui, |ui| node_panel(ui, &map.nodes[i], authoring.study.is_some(), authoring.editor_note.as_ref(), lang, acts));
    }
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    let mut cam = ui.ctx().data(|d| d.get_temp::<Camera>(cam_id)).unwrap_or_else(|| fit(map, rect, true));
    if let Some(readable) = reset {
        cam = fit(map, rect, readable);
    }
    // A node selected while out of view (from a list, a test script) is brought to the middle.
    let centred_id = cam_id.with("centred");
    let centred: Option<String> = ui.ctx().data(|d| d.get_temp(centred_id));
    if let Some(i) = selected
        && centred.as_deref() != Some(map.nodes[i].id.as_str())
    {
        let n = &map.nodes[i];
        let at = rect.min + cam.offset + Vec2::new(n.x, n.y) * cam.zoom;
        if !rect.shrink(40.0).contains(at) {
            cam.offset = rect.center() - rect.min - Vec2::new(n.x, n.y) * cam.zoom;
        }
        ui.ctx().data_mut(|d| d.insert_temp(centred_id, n.id.clone()));
    }
    if response.dragged() {
        cam.offset += response.drag_delta();
    }
    if response.hovered() {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta(), i.zoom_delta()));
        let pointer = response.hover_pos().unwrap_or(rect.center());
        // Ctrl+wheel (or a pinch) zooms around the pointer; the wheel alone scrolls.
        if (zoom - 1.0).abs() > f32::EPSILON {
            let new = (cam.zoom * zoom).clamp(MIN_ZOOM, MAX_ZOOM);
            let at = (pointer - rect.min - cam.offset) / cam.zoom;
            cam.offset = pointer - rect.min - at * new;
            cam.zoom = new;
        } else if scroll != Vec2::ZERO {
            cam.offset += scroll;
        }
    }
    ui.ctx().data_mut(|d| d.insert_temp(cam_id, cam));
    let to_screen = |x: f32, y: f32| rect.min + cam.offset + Vec2::new(x, y) * cam.zoom;
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::WHITE);
    let z = cam.zoom;

    // Arrows under the boxes; the expert path's last so it stays on top.
    let mut order: Vec<usize> = (0..map.edges.len()).collect();
    order.sort_by_key(|&e| map.edges[e].expert);
    for e in order {
        let ed = &map.edges[e];
        let (a, b) = (&map.nodes[ed.from], &map.nodes[ed.to]);
        let (color, width) = if ed.expert {
            (rgb(map::STROKE_EXPERT), 3.0)
        } else if ed.critical {
            (rgb(map::STROKE_PROBLEM), 1.6)
        } else {
            (Color32::from_gray(150), 1.3)
        };
        let stroke = Stroke::new(width * z.max(0.6), color);
        // Segments top down (a long arrow passes through its waypoints), or one loop round the
        // right side for an arrow that goes back up.
        let segments: Vec<[egui::Pos2; 4]> = if ed.back || b.y <= a.y {
            let p0 = to_screen(a.x + NODE_W / 2.0, a.y);
            let p3 = to_screen(b.x + NODE_W / 2.0, b.y);
            let bulge = (40.0 + (a.y - b.y).abs() * 0.15) * z;
            vec![[p0, p0 + Vec2::new(bulge, 0.0), p3 + Vec2::new(bulge, 0.0), p3]]
        } else {
            let mut stops = vec![to_screen(a.x, a.y + NODE_H / 2.0)];
            stops.extend(ed.via.iter().map(|&(x, y)| to_screen(x, y)));
            stops.push(to_screen(b.x, b.y - NODE_H / 2.0));
            stops
                .windows(2)
                .map(|w| {
                    let dy = (w[1].y - w[0].y) * 0.5;
                    [w[0], w[0] + Vec2::new(0.0, dy), w[1] - Vec2::new(0.0, dy), w[1]]
                })
                .collect()
        };
        let dashed = matches!(ed.kind, EdgeKind::Branch | EdgeKind::Timeout);
        for seg in &segments {
            let curve = CubicBezierShape::from_points_stroke(*seg, false, Color32::TRANSPARENT, stroke);
            if dashed {
                let line = curve.flatten(Some(0.5));
                painter.extend(egui::Shape::dashed_line(&line, stroke, 6.0 * z, 4.0 * z));
            } else {
                painter.add(curve);
            }
        }
        let (Some(first), Some(last)) = (segments.first(), segments.last()) else { continue };
        // The arrowhead along the last segment's end.
        let end = CubicBezierShape::from_points_stroke(*last, false, Color32::TRANSPARENT, stroke);
        let tip = last[3];
        let dir = (last[3] - end.sample(0.92)).normalized();
        let side = Vec2::new(-dir.y, dir.x);
        let len = 9.0 * z.max(0.6);
        painter.add(egui::Shape::convex_polygon(vec![tip, tip - dir * len + side * len * 0.5, tip - dir * len - side * len * 0.5], color, Stroke::NONE));
        let curve = CubicBezierShape::from_points_stroke(*first, false, Color32::TRANSPARENT, stroke);
        let label = ed.label.get(lang);
        if z >= LABEL_ZOOM && !label.is_empty() && ed.kind != EdgeKind::Next {
            let at = curve.sample(0.5);
            let galley = painter.layout_no_wrap(map::short(label, 9), FontId::proportional(12.0 * z), if ed.expert { Color32::from_rgb(0x8a, 0x5a, 0x00) } else { palette::MUTED });
            let r = Align2::CENTER_CENTER.anchor_size(at, galley.size()).expand(2.0);
            painter.rect_filled(r, 3.0, Color32::from_rgba_unmultiplied(255, 255, 255, 230));
            painter.galley(r.min + Vec2::splat(2.0), galley, palette::MUTED);
        }
    }

    // The boxes.
    let hover = response.hover_pos().map(|p| (p - rect.min - cam.offset) / z).and_then(|p| map.hit(p.x, p.y));
    for (i, n) in map.nodes.iter().enumerate() {
        let c = to_screen(n.x, n.y);
        let r = Rect::from_center_size(c, Vec2::new(NODE_W, NODE_H) * z);
        if !rect.intersects(r) {
            continue;
        }
        let emphasis = n.expert || matches!(n.status, Status::Unreachable | Status::DeadEnd) || n.diagnostics.iter().any(|d| d.severity == Severity::Error);
        let mut stroke = Stroke::new(if emphasis { 2.6 } else { 1.2 } * z.max(0.6), rgb(n.stroke()));
        if Some(i) == selected || Some(i) == hover {
            stroke = Stroke::new(3.5 * z.max(0.6), palette::PRIMARY);
        }
        let radius = if n.kind == "Ending" { 14.0 * z } else { 6.0 * z };
        painter.rect(r, radius, rgb(n.fill()), stroke, StrokeKind::Inside);
        let pad = 8.0 * z;
        painter.text(r.left_top() + Vec2::new(pad, 5.0 * z), Align2::LEFT_TOP, map::short(&n.id, 18), FontId::proportional(14.0 * z), palette::TEXT);
        let badge_color = match n.status {
            Status::Unreachable | Status::DeadEnd => palette::BAD,
            Status::Success => palette::GOOD,
            Status::Failure => Color32::from_rgb(0x6b, 0x3f, 0xa0),
            Status::Normal => palette::MUTED,
        };
        painter.text(r.right_top() + Vec2::new(-pad, 6.0 * z), Align2::RIGHT_TOP, n.badge(lang), FontId::proportional(11.0 * z), badge_color);
        painter.text(r.left_bottom() + Vec2::new(pad, -6.0 * z), Align2::LEFT_BOTTOM, map::short(n.text.get(lang), 12), FontId::proportional(12.0 * z), palette::MUTED);
        if n.start {
            painter.text(r.center_top() - Vec2::new(0.0, 2.0 * z), Align2::CENTER_BOTTOM, t(lang, "▼ 开始", "▼ start"), FontId::proportional(12.0 * z), palette::PRIMARY);
        }
        let errors = n.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = n.diagnostics.len() - errors;
        if errors + warnings > 0 {
            let (s, col) = if errors > 0 { (format!("×{errors}"), palette::BAD) } else { (format!("⚠{warnings}"), palette::WARN) };
            let at = r.right_top() + Vec2::new(2.0 * z, -2.0 * z);
            let g = painter.layout_no_wrap(s, FontId::proportional(12.0 * z), Color32::WHITE);
            let br = Align2::RIGHT_BOTTOM.anchor_size(at + Vec2::new(4.0 * z, 8.0 * z), g.size()).expand(2.0 * z);
            painter.rect_filled(br, 6.0 * z, col);
            painter.galley(br.min + Vec2::splat(2.0 * z), g, Color32::WHITE);
        }
    }
    if response.clicked() {
        acts.push(AuthorIntent::MapSelect(hover.map(|i| map.nodes[i].id.clone())));
    }
    if let Some(i) = hover {
        response.on_hover_ui_at_pointer(|ui| hover_card(ui, &map.nodes[i], lang));
    }
}

fn legend(ui: &mut Ui, lang: Lang) {
    let swatch = |ui: &mut Ui, fill: Rgb, stroke: Rgb, label: &str| {
        let (r, _) = ui.allocate_exact_size(Vec2::new(22.0, 14.0), Sense::hover());
        ui.painter().rect(r, 3.0, rgb(fill), Stroke::new(2.0, rgb(stroke)), StrokeKind::Inside);
        ui.label(RichText::new(label).size(15.0).color(palette::MUTED));
    };
    ui.add_space(12.0);
    swatch(ui, map::FILL_TALK, map::STROKE_PLAIN, t(lang, "台词", "line"));
    swatch(ui, map::FILL_DECIDE, map::STROKE_PLAIN, t(lang, "选择 / 电话", "decision"));
    swatch(ui, map::FILL_ACTIVITY, map::STROKE_PLAIN, t(lang, "活动", "activity"));
    swatch(ui, map::FILL_SUCCESS, map::STROKE_PLAIN, t(lang, "成功结局", "success"));
    swatch(ui, map::FILL_FAILURE, map::STROKE_PLAIN, t(lang, "失败结局", "failure"));
    swatch(ui, map::FILL_PROBLEM, map::STROKE_PROBLEM, t(lang, "到达不了 / 走不到结局", "unreachable / dead end"));
    swatch(ui, [255, 255, 255], map::STROKE_EXPERT, t(lang, "专家路径", "expert path"));
    ui.label(RichText::new(t(lang, "拖动移动 · Ctrl+滚轮缩放 · 点节点看详情", "drag to move · Ctrl+wheel to zoom · click a node")).size(15.0).color(palette::MUTED));
}

fn range_text(r: (Option<f64>, Option<f64>)) -> String {
    let f = |x: Option<f64>, inf: &str| x.map_or(inf.to_string(), |v| if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") });
    if r.0.is_none() && r.1.is_none() {
        return "—".to_string();
    }
    format!("{} .. {}", f(r.0, "-∞"), f(r.1, "∞"))
}

/// The tooltip: who speaks, the words, the status, the points reachable here.
fn hover_card(ui: &mut Ui, n: &MapNode, lang: Lang) {
    ui.set_max_width(360.0);
    ui.label(RichText::new(format!("{} · {}", n.id, map::kind_name(n.kind, lang))).strong().size(17.0));
    if let Some(s) = &n.speaker {
        ui.label(RichText::new(s.get(lang)).color(palette::MUTED).size(15.0));
    }
    para(ui, RichText::new(map::short(n.text.get(lang), 120)).size(15.0));
    ui.label(RichText::new(n.badge(lang)).size(15.0).color(palette::MUTED));
    ranges_grid(ui, n, lang);
    let (e, w) = (n.diagnostics.iter().filter(|d| d.is_error()).count(), n.diagnostics.iter().filter(|d| !d.is_error()).count());
    if e + w > 0 {
        let s = match lang {
            Lang::Zh => format!("{e} 个错误，{w} 个警告：点一下看"),
            Lang::En => format!("{e} error(s), {w} warning(s): click to see"),
        };
        ui.label(RichText::new(s).color(if e > 0 { palette::BAD } else { palette::WARN }).size(15.0));
    }
}

fn ranges_grid(ui: &mut Ui, n: &MapNode, lang: Lang) {
    if n.ranges.is_empty() {
        return;
    }
    egui::Grid::new(("node-ranges", &n.id)).num_columns(3).spacing([12.0, 1.0]).show(ui, |ui| {
        ui.label(RichText::new(t(lang, "可达分数", "Reachable points")).strong().size(14.0));
        ui.label(RichText::new(t(lang, "到这里已得", "earned on arrival")).color(palette::MUTED).size(13.0));
        ui.label(RichText::new(t(lang, "之后还能得", "still to earn")).color(palette::MUTED).size(13.0));
        ui.end_row();
        for r in &n.ranges {
            ui.label(RichText::new(r.name.get(lang)).size(14.0));
            ui.label(RichText::new(range_text(r.so_far)).monospace().size(13.0));
            ui.label(RichText::new(range_text(r.to_come)).monospace().size(13.0));
            ui.end_row();
        }
    });
}

/// The selected node: where it is in the file, its findings, and what can be done with it.
fn node_panel(ui: &mut Ui, n: &MapNode, analysed: bool, note: Option<&Note>, lang: Lang, acts: &mut Vec<AuthorIntent>) {
    egui::ScrollArea::vertical().id_salt(("map-node", &n.id)).auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(&n.id).size(22.0).strong());
            if ui.small_button(t(lang, "关闭", "Close")).clicked() {
                acts.push(AuthorIntent::MapSelect(None));
            }
        });
        // The kind, and the status when it says more than the kind.
        let what = if n.status == Status::Normal { map::kind_name(n.kind, lang).to_string() } else { format!("{} · {}", map::kind_name(n.kind, lang), n.badge(lang)) };
        let place = match lang {
            Lang::Zh => format!("{what} · 第 {} 行", n.line),
            Lang::En => format!("{what} · line {}", n.line),
        };
        ui.label(RichText::new(place).color(palette::MUTED).size(16.0));
        ui.add_space(4.0);
        // Only a file without errors can be played (the button says why it is off).
        let play = ui.add_enabled(analysed, egui::Button::new(RichText::new(t(lang, "▶ 从这里试玩", "▶ Play from here")).size(18.0)));
        if play.clicked() {
            acts.push(AuthorIntent::PlayFrom(Some(n.id.clone())));
        }
        if !analysed {
            ui.label(RichText::new(t(lang, "文件有错误，改正后才能试玩。", "The file has errors: fix them to play it.")).size(15.0).color(palette::MUTED));
        }
        let open = match lang {
            Lang::Zh => format!("在编辑器中打开（第 {} 行）", n.line),
            Lang::En => format!("Open in the editor (line {})", n.line),
        };
        if ui.button(RichText::new(open).size(17.0)).clicked() {
            acts.push(AuthorIntent::OpenInEditor(n.line));
        }
        if let Some(note) = note {
            para(ui, RichText::new(note.text.get(lang)).size(15.0).color(if note.warn { palette::WARN } else { palette::GOOD }));
        }
        ui.separator();
        if let Some(s) = &n.speaker {
            ui.label(RichText::new(s.get(lang)).color(palette::MUTED).size(15.0));
        }
        para(ui, RichText::new(n.text.get(lang)).size(17.0));
        ui.separator();
        if n.diagnostics.is_empty() {
            ui.label(RichText::new(t(lang, "✓ 这个节点没有发现问题", "✓ No problems in this node")).color(palette::GOOD).size(16.0));
        }
        for d in &n.diagnostics {
            let color = if d.is_error() { palette::BAD } else { palette::WARN };
            let pos = match lang {
                Lang::Zh => format!("第 {} 行第 {} 列 · {} [{}]", d.line, d.col, d.severity.label(lang), d.code),
                Lang::En => format!("line {}, col {} · {} [{}]", d.line, d.col, d.severity.label(lang), d.code),
            };
            ui.label(RichText::new(pos).strong().color(color).size(15.0));
            para(ui, RichText::new(d.message.get(lang)).size(16.0));
            ui.add_space(4.0);
        }
        if !n.ranges.is_empty() {
            ui.separator();
            ranges_grid(ui, n, lang);
        }
    });
}
