//! Speaking roles drawn as people: a face for each role, with three expressions (neutral,
//! pleased, annoyed) that follow how the conversation goes. The faces are drawn here with
//! egui shapes (art made for Kefu, under the project's own licence; nothing to download): skin,
//! hair, clothes and background are picked from the role's id, the hair style from how the name
//! is addressed (先生 / 女士…), so each person keeps one look through a scenario.

use bevy_egui::egui::{self, Color32, Painter, Pos2, Rect, Shape, Stroke, Vec2, pos2, vec2};

/// How the speaker looks now.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Expression {
    #[default]
    Neutral,
    Pleased,
    Annoyed,
}

fn hash(key: &str) -> u64 {
    // FNV-1a: stable across runs and platforms, so a role always looks the same.
    key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

const SKIN: [Color32; 4] = [
    Color32::from_rgb(241, 204, 170),
    Color32::from_rgb(230, 188, 150),
    Color32::from_rgb(214, 170, 130),
    Color32::from_rgb(246, 214, 186),
];
const HAIR: [Color32; 4] = [Color32::from_rgb(30, 28, 30), Color32::from_rgb(52, 40, 34), Color32::from_rgb(72, 56, 44), Color32::from_rgb(96, 96, 104)];
const CLOTHES: [Color32; 6] = [
    Color32::from_rgb(37, 99, 235),
    Color32::from_rgb(5, 150, 105),
    Color32::from_rgb(180, 83, 9),
    Color32::from_rgb(124, 58, 237),
    Color32::from_rgb(71, 85, 105),
    Color32::from_rgb(190, 24, 93),
];
const BACK: [Color32; 4] = [
    Color32::from_rgb(219, 234, 254),
    Color32::from_rgb(220, 252, 231),
    Color32::from_rgb(254, 243, 199),
    Color32::from_rgb(237, 233, 254),
];

/// Long hair for names addressed as a woman, short for a man; otherwise by the id.
fn long_hair(name: &str, h: u64) -> bool {
    if ["女士", "小姐", "阿姨", "Ms.", "Mrs.", "Miss"].iter().any(|w| name.contains(w)) {
        return true;
    }
    if ["先生", "师傅", "Mr."].iter().any(|w| name.contains(w)) {
        return false;
    }
    h.is_multiple_of(2)
}

fn arc(center: Pos2, radius: Vec2, from: f32, to: f32, steps: usize) -> Vec<Pos2> {
    (0..=steps)
        .map(|i| {
            let t = from + (to - from) * i as f32 / steps as f32;
            center + vec2(radius.x * t.cos(), radius.y * t.sin())
        })
        .collect()
}

/// Draw `name`'s face in `rect` (a square), keyed by `key` (the role id).
pub fn face(painter: &Painter, rect: Rect, key: &str, name: &str, expression: Expression) {
    use std::f32::consts::PI;
    let h = hash(key);
    let pick = |shift: u32, n: usize| ((h >> shift) as usize) % n;
    let (skin, hair, clothes, back) = (SKIN[pick(3, SKIN.len())], HAIR[pick(11, HAIR.len())], CLOTHES[pick(19, CLOTHES.len())], BACK[pick(27, BACK.len())]);
    let long = long_hair(name, h >> 33);
    let c = rect.center();
    let r = rect.width().min(rect.height()) / 2.0;
    let ink = Color32::from_rgb(40, 34, 34);
    let line = |w: f32| Stroke::new((w * r / 40.0).max(1.0), ink);

    painter.circle_filled(c, r, back);
    // Clothes: shoulders as a half ellipse cut by the circle's bottom.
    let shoulders = arc(pos2(c.x, c.y + r * 1.02), vec2(r * 0.78, r * 0.52), PI, 2.0 * PI, 24);
    painter.add(Shape::convex_polygon(shoulders, clothes, Stroke::NONE));
    // Long hair falls behind the shoulders.
    if long {
        let back_hair = arc(pos2(c.x, c.y - r * 0.05), vec2(r * 0.52, r * 0.62), PI * 0.95, PI * 2.05, 24);
        painter.add(Shape::convex_polygon(back_hair, hair, Stroke::NONE));
        painter.rect_filled(Rect::from_min_max(pos2(c.x - r * 0.52, c.y - r * 0.1), pos2(c.x + r * 0.52, c.y + r * 0.42)), r * 0.12, hair);
    }
    // Neck and head.
    painter.rect_filled(Rect::from_center_size(pos2(c.x, c.y + r * 0.42), vec2(r * 0.28, r * 0.3)), 2.0, skin);
    let head = pos2(c.x, c.y - r * 0.06);
    painter.circle_filled(head, r * 0.42, skin);
    // Hair on top.
    let crown = pos2(head.x, head.y - r * 0.1);
    let top = arc(crown, vec2(r * 0.45, r * 0.36), PI, PI * 2.0, 20);
    // A side-swept fringe: a triangle, lower on one side.
    let cap = vec![pos2(head.x - r * 0.45, crown.y), pos2(head.x + r * 0.32, crown.y), pos2(head.x - r * 0.4, head.y + r * 0.0)];
    painter.add(Shape::convex_polygon(top, hair, Stroke::NONE));
    painter.add(Shape::convex_polygon(cap, hair, Stroke::NONE));

    // Eyes, brows, mouth.
    let eye_y = head.y + r * 0.02;
    let dx = r * 0.16;
    for side in [-1.0f32, 1.0] {
        let eye = pos2(head.x + side * dx, eye_y);
        if expression == Expression::Pleased {
            // Smiling eyes: little arcs.
            painter.add(Shape::line(arc(eye, vec2(r * 0.06, r * 0.05), PI * 1.1, PI * 1.9, 8), line(2.2)));
        } else {
            painter.circle_filled(eye, r * 0.045, ink);
        }
        let (inner, outer) = match expression {
            Expression::Annoyed => (r * 0.04, -r * 0.02),
            Expression::Pleased => (-r * 0.015, -r * 0.005),
            Expression::Neutral => (0.0, 0.0),
        };
        let brow_y = eye_y - r * 0.12;
        let a = pos2(head.x + side * (dx - r * 0.08), brow_y + inner);
        let b = pos2(head.x + side * (dx + r * 0.08), brow_y + outer);
        painter.line_segment([a, b], line(2.4));
    }
    let mouth = pos2(head.x, head.y + r * 0.2);
    match expression {
        Expression::Pleased => {
            painter.add(Shape::line(arc(pos2(mouth.x, mouth.y - r * 0.06), vec2(r * 0.13, r * 0.1), PI * 0.15, PI * 0.85, 12), line(2.4)));
            for side in [-1.0f32, 1.0] {
                painter.circle_filled(pos2(head.x + side * r * 0.25, mouth.y - r * 0.06), r * 0.05, Color32::from_rgba_unmultiplied(236, 110, 110, 90));
            }
        }
        Expression::Neutral => {
            painter.line_segment([pos2(mouth.x - r * 0.09, mouth.y), pos2(mouth.x + r * 0.09, mouth.y)], line(2.2));
        }
        Expression::Annoyed => {
            painter.add(Shape::line(arc(pos2(mouth.x, mouth.y + r * 0.07), vec2(r * 0.11, r * 0.07), PI * 1.15, PI * 1.85, 12), line(2.4)));
        }
    }
}

impl From<crate::scenario::Mood> for Expression {
    fn from(m: crate::scenario::Mood) -> Self {
        match m {
            crate::scenario::Mood::Neutral => Expression::Neutral,
            crate::scenario::Mood::Pleased => Expression::Pleased,
            crate::scenario::Mood::Annoyed => Expression::Annoyed,
        }
    }
}

/// A speaker as a person: `diameter` wide, with a hover text naming the expression.
pub fn person(ui: &mut egui::Ui, key: &str, name: &str, diameter: f32, expression: Expression, lang: crate::scenario::Lang) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(diameter, diameter), egui::Sense::hover());
    if ui.is_rect_visible(rect) {
        face(ui.painter(), rect, key, name, expression);
    }
    let how = match expression {
        Expression::Neutral => lang.pick("平静", "calm"),
        Expression::Pleased => lang.pick("满意", "pleased"),
        Expression::Annoyed => lang.pick("不满", "annoyed"),
    };
    response.on_hover_text(format!("{name}{}{how}", lang.pick("：", ": ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_keeps_its_look_and_names_pick_the_hair() {
        assert_eq!(hash("visitor"), hash("visitor"));
        assert_ne!(hash("visitor"), hash("customer"));
        assert!(long_hair("陈女士", 1));
        assert!(!long_hair("张先生", 0));
        assert!(long_hair("Ms. Chen", 1));
    }
}
