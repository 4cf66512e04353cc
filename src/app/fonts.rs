//! Bundled fallback fonts for scripts that egui's default fonts don't cover.
//!
//! egui's `default_fonts` (Ubuntu-Light, Hack) cover Latin, Greek and Cyrillic, and the
//! `monochrome_emoji_fonts` feature adds NotoEmoji-Regular and emoji-icon-font. This module adds
//! three small subsets of Debian's Noto fonts, compiled into the binary, so that Chinese,
//! Japanese, Korean, Arabic and Hebrew text renders the same everywhere, including in headless
//! `egui_kittest` tests. Those have no system-font fallback and panic on a missing glyph.
//!
//! | font | covers |
//! |---|---|
//! | `NotoSansCJKsc-Spanmark` | GB2312 level 1 (3,755 common hanzi), kana, CJK punctuation, fullwidth forms, Hangul Jamo and Compatibility Jamo, and every CJK/Hangul character in `sample_docs/`, `src/` and `tests/` |
//! | `NotoSansArabic-Spanmark` | Arabic, Arabic Supplement, Arabic Extended-A, Arabic Presentation Forms A and B, with all GSUB/GPOS features (joining, lam-alef, harakat) |
//! | `NotoSansHebrew-Spanmark` | Hebrew (letters, points, cantillation) and Hebrew presentation forms |
//!
//! The CJK font is a subset, so rarer hanzi, most kanji outside GB2312, and Hangul syllables that
//! don't occur in the repository are not bundled. In the GUI, eframe's system-font fallback
//! (`NativeOptions::system_font_fallback`) still finds them, because fonts added here come before
//! that fallback but only cover what they cover. Han characters are drawn with the Simplified
//! Chinese glyph shapes, also in Japanese text.
//!
//! The fonts, their licence (SIL OFL 1.1) and the commands that make them are in
//! `assets/fonts/NOTICE.md`. Run `assets/fonts/make-subsets.sh` to regenerate them, for example
//! after adding text with new CJK characters to the sources.

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};

/// The bundled fonts: the name they get in egui's `FontDefinitions`, and the font file.
///
/// They are installed in this order, after all fonts that are already there.
const BUNDLED: [(&str, &[u8]); 3] = [
    (
        "NotoSansCJKsc-Spanmark",
        include_bytes!("../../assets/fonts/NotoSansCJKsc-Spanmark-subset.otf"),
    ),
    (
        "NotoSansArabic-Spanmark",
        include_bytes!("../../assets/fonts/NotoSansArabic-Spanmark-subset.ttf"),
    ),
    (
        "NotoSansHebrew-Spanmark",
        include_bytes!("../../assets/fonts/NotoSansHebrew-Spanmark-subset.ttf"),
    ),
];

/// Installs the bundled fallback fonts (lowest priority, after egui's defaults) into `ctx`.
///
/// They are appended to both [`FontFamily::Proportional`] and [`FontFamily::Monospace`], so a
/// character is drawn from them only when no earlier font has it. They still come before
/// eframe's system-font fallback. Call this once, before the first frame or inside it (the
/// fonts are used from the next pass, or right away if nothing was laid out yet). A later
/// `ctx.set_fonts(..)` replaces them.
pub fn install(ctx: &egui::Context) {
    for (name, bytes) in BUNDLED {
        let families = [FontFamily::Proportional, FontFamily::Monospace]
            .into_iter()
            .map(|family| InsertFontFamily {
                family,
                priority: FontPriority::Lowest,
            })
            .collect();
        ctx.add_font(FontInsert::new(
            name,
            FontData::from_static(bytes),
            families,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, FontId, MissingGlyphPolicy};

    /// One sample per bundled script.
    const SCRIPTS: [&str; 8] = [
        // Chinese; 東 is a kanji outside GB2312, picked up by the source scan.
        "北京 東京 数据共享是合作的基础",
        // Japanese kana, kanji and corner brackets.
        "ひらがな カタカナ 「全ての観測所が参加する」",
        // Hangul syllables and a compatibility jamo.
        "서울 한국어 ㅋㅋ",
        // Conjoining Hangul Jamo (각).
        "\u{1100}\u{1161}\u{11A8}",
        // CJK punctuation and fullwidth forms.
        "、。・ＡＢＣ１２３！？",
        // Arabic with a tanween mark, lam-alef and Arabic-Indic digits.
        "مرحبا بالعالم «المياه لا تعرف حدوداً» ١٢٣",
        "محمد عبد الله",
        // Hebrew with points.
        "שָׁלוֹם עולם",
    ];

    /// Runs one pass with the missing-glyph policy set to panic and gives `f` the `Ui`.
    fn with_ui(installed: bool, mut f: impl FnMut(&mut egui::Ui)) {
        let ctx = egui::Context::default();
        if installed {
            install(&ctx);
        }
        ctx.set_missing_glyph_policy(MissingGlyphPolicy::Panic);
        let output = ctx.run_ui(egui::RawInput::default(), |ui| f(ui));
        output.drop_without_applying_deltas();
    }

    fn missing(
        ui: &egui::Ui,
        family: &FontFamily,
        chars: impl Iterator<Item = char>,
    ) -> Vec<String> {
        let font_id = FontId::new(14.0, family.clone());
        ui.fonts_mut(|f| {
            chars
                .filter(|&c| !f.has_glyph(&font_id, c))
                .map(|c| format!("U+{:04X} {c}", c as u32))
                .collect()
        })
    }

    #[test]
    fn fonts_are_appended_to_both_families_in_order() {
        with_ui(true, |ui| {
            let families = ui.fonts(|f| f.definitions().families.clone());
            let names: Vec<&str> = BUNDLED.iter().map(|(name, _)| *name).collect();
            for family in [FontFamily::Proportional, FontFamily::Monospace] {
                let list = &families[&family];
                assert!(list.len() > names.len(), "{family:?}: {list:?}");
                assert_eq!(list[list.len() - names.len()..], names, "{family:?}");
            }
        });
    }

    #[test]
    fn every_script_sample_has_glyphs_and_lays_out() {
        with_ui(true, |ui| {
            for family in [FontFamily::Proportional, FontFamily::Monospace] {
                let font_id = FontId::new(14.0, family.clone());
                for text in SCRIPTS {
                    let chars = text.chars().filter(|c| !c.is_whitespace());
                    assert_eq!(missing(ui, &family, chars), Vec::<String>::new(), "{text}");
                    // Panics (policy above) if shaping asks for a glyph no font has.
                    let galley = ui.fonts_mut(|f| {
                        f.layout_no_wrap(text.to_owned(), font_id.clone(), Color32::WHITE)
                    });
                    assert!(galley.size().x > 0.0, "{text}");
                }
            }
        });
    }

    #[test]
    fn without_install_the_samples_are_missing() {
        // Shows that the test above checks something: egui's own fonts lack these.
        with_ui(false, |ui| {
            for text in ["北京", "ひらがな", "서울", "مرحبا", "שלום"] {
                assert!(
                    !missing(ui, &FontFamily::Proportional, text.chars()).is_empty(),
                    "{text} renders without the bundled fonts"
                );
            }
        });
    }

    #[test]
    fn bundled_cjk_covers_gb2312_level1_kana_and_jamo() {
        // GB2312 level 1: rows 16-55, cells 1-94 (row 55 stops at cell 89).
        let mut chars = Vec::new();
        for row in 16..=55u8 {
            let last_cell = if row == 55 { 89 } else { 94 };
            for cell in 1..=last_cell {
                let bytes = [0xA0 + row, 0xA0 + cell];
                let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
                if !had_errors {
                    chars.extend(text.chars());
                }
            }
        }
        assert_eq!(chars.len(), 3755);
        chars.extend('\u{3041}'..='\u{3096}'); // Hiragana letters
        chars.extend('\u{3099}'..='\u{309F}'); // Hiragana marks
        chars.extend('\u{30A0}'..='\u{30FF}'); // Katakana
        chars.extend('\u{3001}'..='\u{303F}'); // CJK Symbols and Punctuation
        chars.extend('\u{FF01}'..='\u{FF60}'); // fullwidth ASCII and brackets
        chars.extend('\u{1100}'..='\u{11FF}'); // Hangul Jamo
        chars.extend('\u{3131}'..='\u{318E}'); // Hangul Compatibility Jamo
        with_ui(true, |ui| {
            for family in [FontFamily::Proportional, FontFamily::Monospace] {
                let missing = missing(ui, &family, chars.iter().copied());
                assert!(
                    missing.is_empty(),
                    "{family:?}: {} missing: {missing:?}",
                    missing.len()
                );
            }
        });
    }

    #[test]
    fn arabic_letters_join() {
        // With the GSUB features kept, lam + alef becomes the lam-alef ligature, which is
        // much narrower than the two isolated letters side by side.
        with_ui(true, |ui| {
            let width = |s: &str| {
                ui.fonts_mut(|f| {
                    f.layout_no_wrap(s.to_owned(), FontId::proportional(20.0), Color32::WHITE)
                })
                .size()
                .x
            };
            let (lam_alef, lam, alef) = (width("لا"), width("ل"), width("ا"));
            assert!(
                lam_alef < 0.8 * (lam + alef),
                "لا {lam_alef} vs ل {lam} + ا {alef}"
            );
        });
    }

    #[test]
    fn kittest_label_with_every_script_does_not_panic() {
        // The harness's default MissingGlyphPolicy panics on the first missing glyph. The emoji
        // come from egui's `monochrome_emoji_fonts`, not from this module.
        let text = format!("{}\n👩‍🔬 ❄️ 👍🏽", SCRIPTS.join("\n"));
        let mut harness = egui_kittest::Harness::builder()
            .with_context_setup(install)
            .build_ui(move |ui| {
                ui.label(&text);
                ui.label(egui::RichText::new(&text).monospace());
            });
        harness.run();
    }
}
