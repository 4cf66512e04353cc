//! The frame log: with `SPANMARK_FRAME_LOG=FILE`, the app appends one line per frame to FILE,
//! `MS BLOCKS`: the milliseconds this frame's own work took (reading the keys, drawing every
//! widget, applying what they asked for) and the number of article blocks laid out. So anyone
//! can measure the shipped binary under their own display. Tessellation and painting happen in
//! eframe after the frame's work returns, out of the app's reach: they are not in the figure
//! (eframe's `cpu_usage` has them, but for the previous frame).

use std::fs::{File, OpenOptions};
use std::io::{LineWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variable that names the log file.
pub const ENV: &str = "SPANMARK_FRAME_LOG";

/// An open frame log.
#[derive(Debug)]
pub struct FrameLog {
    path: PathBuf,
    out: LineWriter<File>,
}

impl FrameLog {
    /// Opens `path` for appending, or says why it cannot on stderr (the app runs on without).
    pub fn open(path: &Path) -> Option<Self> {
        match OpenOptions::new().create(true).append(true).open(path) {
            Ok(file) => Some(Self {
                path: path.to_path_buf(),
                out: LineWriter::new(file),
            }),
            Err(e) => {
                eprintln!(
                    "spanmark: cannot write the frame log ({ENV}): {e}: {}",
                    path.display()
                );
                None
            }
        }
    }

    /// Appends one frame's line. A write that fails stops the log, said once on stderr.
    pub fn frame(&mut self, took: Duration, blocks: usize) -> bool {
        let ms = took.as_secs_f64() * 1000.0;
        match writeln!(self.out, "{ms:.3} {blocks}") {
            Ok(()) => true,
            Err(e) => {
                eprintln!(
                    "spanmark: the frame log stopped: {e}: {}",
                    self.path.display()
                );
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_frame_appends_a_line_of_milliseconds_and_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frames.log");
        std::fs::write(&path, "earlier\n").unwrap();
        let mut log = FrameLog::open(&path).unwrap();
        assert!(log.frame(Duration::from_micros(1_250), 9));
        assert!(log.frame(Duration::from_millis(12), 0));
        drop(log);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "earlier\n1.250 9\n12.000 0\n"
        );
        // A folder cannot be a log: no log, no panic.
        assert!(FrameLog::open(dir.path()).is_none());
    }
}
