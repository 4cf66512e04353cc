//! Preferences that survive restarts (through eframe's storage): the annotator's name, theme,
//! zoom, word snapping, panels, recent files. Annotation data never goes here.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How many recent files are remembered.
pub const RECENT_MAX: usize = 12;
pub const DEFAULT_FONT_SIZE: f32 = 17.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// The annotator's name; empty means the login name.
    pub annotator: String,
    pub dark: bool,
    /// Text zoom factor (1.0 = normal).
    pub zoom: f32,
    pub snap_words: bool,
    pub show_span_list: bool,
    pub show_details: bool,
    /// Labelling a span suggests its other occurrences.
    pub propagate: bool,
    /// The date finder suggests the dates of each document opened.
    pub find_dates: bool,
    pub recent: Vec<PathBuf>,
    pub recent_folders: Vec<PathBuf>,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            annotator: String::new(),
            dark: false,
            zoom: 1.0,
            snap_words: true,
            show_span_list: true,
            show_details: true,
            propagate: true,
            find_dates: false,
            recent: Vec::new(),
            recent_folders: Vec::new(),
        }
    }
}

/// The storage key.
pub const KEY: &str = "spanmark.prefs";

impl Prefs {
    pub fn font_size(&self) -> f32 {
        DEFAULT_FONT_SIZE * self.zoom
    }

    /// Zooms in or out one step, within 50 %–300 %.
    pub fn zoom_by(&mut self, steps: i32) {
        let factor = 1.1f32.powi(steps);
        self.zoom = (self.zoom * factor).clamp(0.5, 3.0);
    }

    /// Moves `path` to the front of the recent files.
    pub fn remember(&mut self, path: PathBuf) {
        remember_in(&mut self.recent, path);
    }

    pub fn remember_folder(&mut self, path: PathBuf) {
        remember_in(&mut self.recent_folders, path);
    }
}

fn remember_in(list: &mut Vec<PathBuf>, path: PathBuf) {
    let path = path.canonicalize().unwrap_or(path);
    list.retain(|p| p != &path);
    list.insert(0, path);
    list.truncate(RECENT_MAX);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut p = Prefs::default();
        for i in 0..20 {
            p.remember(PathBuf::from(format!("/nonexistent/{i}.txt")));
        }
        p.remember(PathBuf::from("/nonexistent/15.txt"));
        assert_eq!(p.recent.len(), RECENT_MAX);
        assert_eq!(p.recent[0], PathBuf::from("/nonexistent/15.txt"));
        assert_eq!(p.recent.iter().filter(|r| r.ends_with("15.txt")).count(), 1);
    }

    #[test]
    fn zoom_is_bounded() {
        let mut p = Prefs::default();
        for _ in 0..50 {
            p.zoom_by(1);
        }
        assert_eq!(p.zoom, 3.0);
        for _ in 0..100 {
            p.zoom_by(-1);
        }
        assert_eq!(p.zoom, 0.5);
    }
}
