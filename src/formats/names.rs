//! Safe file names from names found in data (`meta.name`, a task's file name, …).
//!
//! A name taken from data never leads outside the output folder: only its last path component
//! is used, `.`/`..` and characters that are special on some file system are replaced, reserved
//! Windows device names (`CON`, `NUL`, `COM1`, …) are prefixed, and the length is bounded.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// At most this many bytes, leaving room for `.spanmark.json` and a `-N` suffix.
const MAX_BYTES: usize = 180;

/// A plain file name (no folders) made from `name`; `fallback` when nothing usable is left.
pub fn safe_file_name(name: &str, fallback: &str) -> String {
    let last = name
        .rsplit(['/', '\\'])
        .find(|part| !part.trim().is_empty())
        .unwrap_or("");
    let mut out: String = last
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    // Windows drops trailing dots and spaces; leading dots hide files or mean "." and "..".
    out = out.trim_end_matches(['.', ' ']).to_string();
    if out.starts_with('.') {
        out = format!("_{}", out.trim_start_matches('.'));
    }
    let stem = out.split('.').next().unwrap_or("").trim_end();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        out = format!("_{out}");
    }
    if out.len() > MAX_BYTES {
        let mut end = MAX_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    if out.trim().is_empty() || out == "_" {
        fallback.to_string()
    } else {
        out
    }
}

/// `dir/name`, or `dir/stem-2.ext`, `-3`, … when this run already used the name (`taken`,
/// compared case-insensitively for case-insensitive file systems; updated here).
pub fn unique_path(dir: &Path, name: &str, taken: &mut HashSet<String>) -> PathBuf {
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains(&candidate.to_lowercase()) {
        candidate = format!("{stem}-{n}{ext}");
        n += 1;
    }
    taken.insert(candidate.to_lowercase());
    dir.join(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_data_stay_inside_the_folder() {
        assert_eq!(safe_file_name("../../etc/passwd", "d"), "passwd");
        assert_eq!(safe_file_name("/etc/shadow", "d"), "shadow");
        assert_eq!(safe_file_name("C:\\Windows\\win.ini", "d"), "win.ini");
        assert_eq!(safe_file_name("..", "d"), "d");
        assert_eq!(safe_file_name(".", "d"), "d");
        assert_eq!(safe_file_name("../", "d"), "d");
        assert_eq!(safe_file_name("", "d"), "d");
        assert_eq!(safe_file_name(".hidden", "d"), "_hidden");
        assert_eq!(safe_file_name("a:b?.txt", "d"), "a_b_.txt");
        assert_eq!(safe_file_name("news\n.txt", "d"), "news_.txt");
        assert_eq!(safe_file_name("CON", "d"), "_CON");
        assert_eq!(safe_file_name("nul.txt", "d"), "_nul.txt");
        assert_eq!(safe_file_name("com1.tar.gz", "d"), "_com1.tar.gz");
        assert_eq!(safe_file_name("console.txt", "d"), "console.txt");
        assert_eq!(safe_file_name("Новости 東京.txt", "d"), "Новости 東京.txt");
        assert!(safe_file_name(&"ж".repeat(500), "d").len() <= MAX_BYTES);
    }

    #[test]
    fn collisions_get_numbers() {
        let mut taken = HashSet::new();
        let dir = Path::new("out");
        assert_eq!(unique_path(dir, "a.txt", &mut taken), dir.join("a.txt"));
        assert_eq!(unique_path(dir, "A.txt", &mut taken), dir.join("A-2.txt"));
        assert_eq!(unique_path(dir, "a.txt", &mut taken), dir.join("a-3.txt"));
        assert_eq!(unique_path(dir, "README", &mut taken), dir.join("README"));
    }
}
