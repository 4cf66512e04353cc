//! A progress bar on stderr for commands with many units of work, drawn from the command's
//! [`Progress`] by a small thread that polls it.
//!
//! Shown only when stderr is a terminal, and only once the work has taken a moment (a quick
//! command draws nothing); otherwise the command runs with a progress nobody reads, and its
//! output is byte for byte what it would be without. While the bar is up, the command's lines
//! on stdout and stderr are written above it, whole lines at a time.

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Context;
use crate::progress::Progress;

/// How long work runs before the bar appears.
const DELAY: Duration = Duration::from_millis(400);
/// How often the bar is brought up to date.
const TICK: Duration = Duration::from_millis(100);

/// Runs `work` with a [`Progress`] it should keep up to date, and a bar showing it on stderr
/// when stderr is a terminal.
pub fn run<R>(ctx: &mut Context<'_>, work: impl FnOnce(&Progress, &mut Context<'_>) -> R) -> R {
    let progress = Progress::new();
    if !io::stderr().is_terminal() {
        return work(&progress, ctx);
    }
    let bar = ProgressBar::hidden();
    let stop = Arc::new(AtomicBool::new(false));
    let poller = {
        let (progress, bar, stop) = (progress.clone(), bar.clone(), Arc::clone(&stop));
        std::thread::spawn(move || poll(&progress, &bar, &stop))
    };
    let result = {
        let mut out = AboveBar::new(&mut *ctx.out, bar.clone());
        let mut err = AboveBar::new(&mut *ctx.err, bar.clone());
        let mut inner = Context {
            out: &mut out,
            err: &mut err,
            annotator: ctx.annotator.clone(),
        };
        work(&progress, &mut inner)
    };
    stop.store(true, Ordering::Relaxed);
    let _ = poller.join();
    bar.finish_and_clear();
    result
}

/// Brings `bar` up to date with `progress` every [`TICK`] until `stop`.
fn poll(progress: &Progress, bar: &ProgressBar, stop: &AtomicBool) {
    let started = Instant::now();
    let mut known = None;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        if started.elapsed() < DELAY || stop.load(Ordering::Relaxed) {
            continue;
        }
        let s = progress.snapshot();
        let total_known = s.total > 0;
        if known != Some(total_known) {
            // The style follows whether the amount of work is known: a bar, or a spinner.
            let template = if total_known {
                "{msg:>10} [{bar:40.cyan/blue}] {pos}/{len} ({eta} left)"
            } else {
                "{spinner} {msg} {pos}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            if known.is_none() {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            known = Some(total_known);
        }
        if total_known {
            bar.set_length(s.total);
        }
        bar.set_position(s.done);
        bar.set_message(s.phase);
    }
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

impl Write for AboveBar<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(end) = self.pending.iter().rposition(|&b| b == b'\n') {
            let lines: Vec<u8> = self.pending.drain(..=end).collect();
            self.write_out(&lines)?;
        }
        Ok(buf.len())
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
