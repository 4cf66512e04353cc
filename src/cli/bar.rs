//! A progress bar on stderr for commands with many units of work, drawn from the command's
//! [`Progress`] each time it changes, on the thread doing the work (the CLI holds the lock on
//! stderr, so another thread could not draw; indicatif draws at most 20 times a second).
//!
//! Shown only when stderr is a terminal, and a bar only once the work has taken a moment (a
//! quick command draws nothing; work of unknown size shows its phase at once); otherwise the
//! command runs with a progress nobody reads, and its output is byte for byte what it would be
//! without. While the bar is up, the command's lines on stdout and stderr are written above
//! it, whole lines at a time.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Context;
use crate::progress::{Progress, Snapshot};

/// How long work of known size runs before its bar appears.
const DELAY: Duration = Duration::from_millis(400);

/// Runs `work` with a [`Progress`] it should keep up to date, and a bar showing it on stderr
/// when stderr is a terminal.
pub fn run<R>(ctx: &mut Context<'_>, work: impl FnOnce(&Progress, &mut Context<'_>) -> R) -> R {
    if !io::stderr().is_terminal() {
        return work(&Progress::new(), ctx);
    }
    let bar = ProgressBar::hidden();
    // The progress is handed to its own notify through this slot, emptied at the end so that
    // the two do not keep each other alive.
    let slot: Arc<Mutex<Option<Progress>>> = Arc::default();
    let progress = {
        let (bar, slot) = (bar.clone(), Arc::clone(&slot));
        let started = Instant::now();
        let shown: Mutex<Option<bool>> = Mutex::new(None);
        Progress::with_notify(move || {
            let snapshot = slot
                .lock()
                .ok()
                .and_then(|p| p.as_ref().map(Progress::snapshot));
            if let (Some(s), Ok(mut shown)) = (snapshot, shown.lock()) {
                update(&bar, &s, started, &mut shown);
            }
        })
    };
    if let Ok(mut p) = slot.lock() {
        *p = Some(progress.clone());
    }
    let result = {
        // Stdout goes round the bar only when it is on the terminal too.
        let mut above = AboveBar::new(&mut *ctx.out, bar.clone());
        let out: &mut dyn Write = if io::stdout().is_terminal() {
            &mut above
        } else {
            above.inner
        };
        let mut err = AboveBar::new(&mut *ctx.err, bar.clone());
        let mut inner = Context {
            out,
            err: &mut err,
            annotator: ctx.annotator.clone(),
        };
        work(&progress, &mut inner)
    };
    if let Ok(mut p) = slot.lock() {
        *p = None;
    }
    bar.finish_and_clear();
    result
}

/// Brings `bar` up to date with `s`. `shown`: whether the bar is up, and with the style for
/// work of known size or not.
fn update(bar: &ProgressBar, s: &Snapshot, started: Instant, shown: &mut Option<bool>) {
    let total_known = s.total > 0;
    if total_known && shown.is_none() && started.elapsed() < DELAY {
        return;
    }
    if *shown != Some(total_known) {
        let template = if total_known {
            "{msg:>12} [{bar:40.cyan/blue}] {pos}/{len} ({eta} left)"
        } else {
            "{msg:>12} …"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        if shown.is_none() {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        *shown = Some(total_known);
    }
    bar.set_message(s.phase.clone());
    if total_known {
        bar.set_length(s.total);
    }
    bar.set_position(s.done);
}

/// A stream whose lines are written with the bar out of the way: whole lines only, so that
/// the bar is never drawn after half a line.
struct AboveBar<'a> {
    inner: &'a mut dyn Write,
    bar: ProgressBar,
    pending: Vec<u8>,
}

impl<'a> AboveBar<'a> {
    fn new(inner: &'a mut dyn Write, bar: ProgressBar) -> Self {
        Self {
            inner,
            bar,
            pending: Vec::new(),
        }
    }

    fn write_out(&mut self, bytes: &[u8]) -> io::Result<()> {
        let inner = &mut *self.inner;
        self.bar.suspend(|| {
            inner.write_all(bytes)?;
            inner.flush()
        })
    }
}

impl AboveBar<'_> {
    /// Writes out the whole lines pending.
    fn write_lines(&mut self) -> io::Result<()> {
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            let lines: Vec<u8> = self.pending.drain(..=end).collect();
            self.write_out(&lines)?;
        }
        Ok(())
    }
}

impl Write for AboveBar<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.write_lines()?;
        Ok(buf.len())
    }

    /// All the pieces at once: a report's lines come a few hundred to a call (three pieces
    /// each), and go out with the bar moved once, not once a line.
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        let mut taken = 0;
        for buf in bufs {
            self.pending.extend_from_slice(buf);
            taken += buf.len();
        }
        self.write_lines()?;
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            self.write_out(&rest)?;
        }
        self.inner.flush()
    }
}

impl Drop for AboveBar<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Problem, Severity};

    /// Counts the writes that reach it.
    #[derive(Default)]
    struct Counted {
        got: Vec<u8>,
        writes: usize,
    }

    impl Write for Counted {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            self.got.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_report_goes_round_the_bar_a_few_hundred_lines_at_a_time() {
        let problems: Vec<Problem> = (0..1000)
            .map(|i| Problem {
                severity: Severity::Note,
                message: format!("doc{i}.txt: span s{i} is not on token boundaries"),
            })
            .collect();
        let mut counted = Counted::default();
        let mut out = Vec::new();
        {
            let mut err = AboveBar::new(&mut counted, ProgressBar::hidden());
            let mut ctx = Context {
                out: &mut out,
                err: &mut err,
                annotator: String::new(),
            };
            super::super::inputs::report(&problems, &mut ctx);
        }
        let expected: String = problems
            .iter()
            .map(|p| format!("spanmark: {}\n", p.message))
            .collect();
        assert_eq!(String::from_utf8(counted.got).unwrap(), expected);
        // 300 lines a call: four calls, not a thousand.
        assert!(counted.writes <= 4, "{} writes", counted.writes);
    }
}
