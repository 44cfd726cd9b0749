//! Speaker portraits: PNG files named by a role's `portrait`, looked for in `assets/portraits/`
//! (working folder, then beside the program) and in `portraits/` beside the scenario file.
//! Loaded once into egui textures; a missing or unreadable file falls back to initials.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::egui;

#[derive(Resource, Default)]
pub struct Portraits {
    loaded: HashMap<PathBuf, Option<egui::TextureHandle>>,
}

/// Decode a PNG (any colour type, 8 or 16 bit) into an egui image.
pub fn decode_png(bytes: &[u8]) -> Option<egui::ColorImage> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    let (w, h) = (info.width as usize, info.height as usize);
    let px = &buf[..info.buffer_size()];
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => px.to_vec(),
        png::ColorType::Rgb => px.chunks_exact(3).flat_map(|c| [c[0], c[1], c[2], 255]).collect(),
        png::ColorType::GrayscaleAlpha => px.chunks_exact(2).flat_map(|c| [c[0], c[0], c[0], c[1]]).collect(),
        png::ColorType::Grayscale => px.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return None,
    };
    (rgba.len() == w * h * 4).then(|| egui::ColorImage::from_rgba_unmultiplied([w, h], &rgba))
}

impl Portraits {
    /// The texture for `name`, loading it on first use.
    pub fn get(&mut self, ctx: &egui::Context, name: &str, dirs: &[PathBuf], scenario_file: &Path) -> Option<egui::TextureHandle> {
        let mut candidates: Vec<PathBuf> = dirs.iter().map(|d| d.join(name)).collect();
        if let Some(dir) = scenario_file.parent() {
            candidates.push(dir.join("portraits").join(name));
        }
        let path = candidates.into_iter().find(|p| p.is_file())?;
        self.loaded
            .entry(path.clone())
            .or_insert_with(|| {
                let image = std::fs::read(&path).ok().and_then(|b| decode_png(&b));
                if image.is_none() {
                    bevy::log::warn!("{}: not a PNG image that can be read; initials are shown instead", path.display());
                }
                image.map(|img| ctx.load_texture(path.display().to_string(), img, egui::TextureOptions::LINEAR))
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_rgb_and_grey_pngs() {
        for (color, bytes) in [(png::ColorType::Rgb, vec![255u8, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]), (png::ColorType::Grayscale, vec![0u8, 80, 160, 255])] {
            let mut file = Vec::new();
            {
                let mut enc = png::Encoder::new(&mut file, 2, 2);
                enc.set_color(color);
                enc.set_depth(png::BitDepth::Eight);
                let mut w = enc.write_header().expect("header");
                w.write_image_data(&bytes).expect("data");
            }
            let img = decode_png(&file).expect("decodes");
            assert_eq!(img.size, [2, 2]);
        }
    }

    #[test]
    fn garbage_is_not_an_image() {
        assert!(decode_png(b"not a png").is_none());
    }
}
