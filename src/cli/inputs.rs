//! Turning the paths a user gives into the files a command reads
//! ([`crate::export::find_files`]), with the problems reported on the context.

use std::io::{self, IoSlice, Write};
use std::path::{Path, PathBuf};

use super::{Context, Exit};
use crate::export::{self, Problem, Severity};

/// The exit status a problem calls for.
pub fn exit_of(severity: Severity) -> Exit {
    match severity {
        Severity::Note => Exit::Success,
        Severity::Data => Exit::DataProblems,
        Severity::Io => Exit::Failure,
    }
}

/// Reports `problems` on `ctx`; returns the exit status they call for.
pub fn report(problems: &[Problem], ctx: &mut Context<'_>) -> Exit {
    let mut exit = Exit::Success;
    // Whole lines, a few hundred at a time: stderr is not buffered, and a line written in
    // pieces took three system calls (an export that reports 100,000 spans made 300,000).
    // Each line's pieces go as they lie in memory (`writev`): copying the 16 MB of messages
    // of the bench's CoNLL export into one buffer first was a part of its last milliseconds.
    const PIECES: usize = 3 * 300;
    let mut pieces: Vec<IoSlice<'_>> = Vec::with_capacity(PIECES);
    for p in problems {
        pieces.extend([
            IoSlice::new(b"spanmark: "),
            IoSlice::new(p.message.as_bytes()),
            IoSlice::new(b"\n"),
        ]);
        if pieces.len() >= PIECES {
            let _ = write_all_vectored(ctx.err, &mut pieces);
            pieces.clear();
        }
        exit = exit.max(exit_of(p.severity));
    }
    let _ = write_all_vectored(ctx.err, &mut pieces);
    exit
}

/// Writes all of `pieces` to `out` (what the unstable `Write::write_all_vectored` does).
fn write_all_vectored(out: &mut dyn Write, mut pieces: &mut [IoSlice<'_>]) -> io::Result<()> {
    // Empty pieces are passed over: a writer may take none of a first empty one.
    IoSlice::advance_slices(&mut pieces, 0);
    while !pieces.is_empty() {
        match out.write_vectored(pieces) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut pieces, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The files named by `inputs`: files as given, folders searched for files `keep` accepts.
/// Problems are reported on `ctx`; the returned exit says how bad they were.
pub fn files(
    inputs: &[PathBuf],
    keep: &dyn Fn(&Path) -> bool,
    ctx: &mut Context<'_>,
) -> (Vec<PathBuf>, Exit) {
    let (found, problems) = export::find_files(inputs, keep);
    (found, report(&problems, ctx))
}

/// The annotation files named by `inputs`: native files as given, articles replaced by the
/// native file beside them, folders searched for `*.spanmark.json`.
pub fn native_files(inputs: &[PathBuf], ctx: &mut Context<'_>) -> (Vec<PathBuf>, Exit) {
    let (found, problems) = export::find_native_files(inputs);
    (found, report(&problems, ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes at most `most` bytes a call, of the first piece only, and fails once with
    /// `Interrupted`, as a pipe or a slow terminal may.
    struct Trickle {
        got: Vec<u8>,
        most: usize,
        interrupted: bool,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.most);
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_is_written_whole_whatever_the_writer_takes_at_a_time() {
        let problems: Vec<Problem> = (0..1000)
            .map(|i| Problem {
                severity: if i == 500 {
                    Severity::Data
                } else {
                    Severity::Note
                },
                message: format!("doc{i}.txt: span s{i} {}", "é".repeat(i % 7)),
            })
            .collect();
        let expected: String = problems
            .iter()
            .map(|p| format!("spanmark: {}\n", p.message))
            .collect();
        for most in [1, 7, 64, 1 << 20] {
            let mut err = Trickle {
                got: Vec::new(),
                most,
                interrupted: false,
            };
            let mut out = Vec::new();
            let mut ctx = Context {
                out: &mut out,
                err: &mut err,
                annotator: String::new(),
            };
            assert_eq!(report(&problems, &mut ctx), Exit::DataProblems);
            assert_eq!(String::from_utf8(err.got).unwrap(), expected, "{most}");
        }
    }
}
