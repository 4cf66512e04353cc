//! Any model as a suggestion source: a program started once and fed one document at a time.
//!
//! Protocol (one JSON object per line, UTF-8): Spanmark writes `{"name": …, "text": …}` to the
//! program's stdin for each document, and reads one line back from its stdout, in order:
//! `{"spans": [{"start": 0, "end": 6, "label": "actor", "score": 0.9}, …]}` with offsets in
//! characters (Unicode scalar values, end-exclusive), `score` optional. The program's stderr is
//! passed through. A document gets `timeout` to answer; a program that crashes, hangs or
//! writes a line that is not such an object fails that document only: it is reported by the
//! document's name and the program is started again for the next one.
//!
//! Not pure like the rest of `assist`: this runs a process. It knows nothing of files.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use serde::Deserialize;

use super::suggest::Proposal;
use crate::model::{CharRange, Label};

/// The agent name of the command source.
pub const AGENT: &str = "command";
/// The score of a span the program gives without one.
pub const DEFAULT_SCORE: f32 = 0.5;

/// Why a document got no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("could not start `{command}`: {reason}")]
    Start { command: String, reason: String },
    #[error("`{command}` stopped ({status}) before answering")]
    Crashed { command: String, status: String },
    #[error("`{command}` gave no answer within {seconds} s (stopped)")]
    Timeout { command: String, seconds: u64 },
    #[error("`{command}` answered with a line that is not {{\"spans\": [...]}}: {reason}")]
    BadLine { command: String, reason: String },
}

/// One document's answer: the spans as proposals, and the spans that could not be used.
#[derive(Debug, Default, PartialEq)]
pub struct Answer {
    pub proposals: Vec<Proposal>,
    pub problems: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reply {
    spans: Vec<ReplySpan>,
}

#[derive(Deserialize)]
struct ReplySpan {
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    score: Option<f32>,
}

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<std::io::Result<String>>,
}

/// A program run as a suggestion source.
pub struct ModelCommand {
    command: String,
    timeout: Duration,
    running: Option<Running>,
}

impl ModelCommand {
    /// The source for the shell command `command`, not started yet.
    pub fn new(command: &str, timeout: Duration) -> Self {
        Self {
            command: command.to_string(),
            timeout,
            running: None,
        }
    }

    fn start(&mut self) -> Result<&mut Running, CommandError> {
        if self.running.is_none() {
            let mut shell = if cfg!(windows) {
                let mut c = Command::new("cmd");
                c.arg("/C");
                c
            } else {
                let mut c = Command::new("sh");
                c.arg("-c");
                c
            };
            let mut child = shell
                .arg(&self.command)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .map_err(|e| CommandError::Start {
                    command: self.command.clone(),
                    reason: e.to_string(),
                })?;
            let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CommandError::Start {
                    command: self.command.clone(),
                    reason: "no pipes to the program".into(),
                });
            };
            let (send, lines) = channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    if send.send(line).is_err() {
                        break;
                    }
                }
            });
            self.running = Some(Running {
                child,
                stdin,
                lines,
            });
        }
        self.running.as_mut().ok_or_else(|| CommandError::Start {
            command: self.command.clone(),
            reason: "not running".into(),
        })
    }

    /// Stops the program (it is started again for the next document) and says how it ended.
    fn stop(&mut self) -> String {
        let Some(mut r) = self.running.take() else {
            return "not running".into();
        };
        drop(r.stdin);
        let _ = r.child.kill();
        match r.child.wait() {
            Ok(status) => status.to_string(),
            Err(e) => e.to_string(),
        }
    }

    /// The program's spans for the document `name` with text `text` (`len_chars` characters).
    pub fn ask(
        &mut self,
        name: &str,
        text: &str,
        len_chars: usize,
    ) -> Result<Answer, CommandError> {
        let timeout = self.timeout;
        let command = self.command.clone();
        let request = serde_json::json!({"name": name, "text": text}).to_string();
        let running = self.start()?;
        let sent = running
            .stdin
            .write_all(request.as_bytes())
            .and_then(|()| running.stdin.write_all(b"\n"))
            .and_then(|()| running.stdin.flush());
        if sent.is_err() {
            let status = self.stop();
            return Err(CommandError::Crashed { command, status });
        }
        let line = match running.lines.recv_timeout(timeout) {
            Ok(Ok(line)) => line,
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                let status = self.stop();
                return Err(CommandError::Crashed { command, status });
            }
            Err(RecvTimeoutError::Timeout) => {
                self.stop();
                return Err(CommandError::Timeout {
                    command,
                    seconds: timeout.as_secs(),
                });
            }
        };
        let reply: Reply = serde_json::from_str(&line).map_err(|e| CommandError::BadLine {
            command: command.clone(),
            reason: e.to_string(),
        })?;
        let mut answer = Answer::default();
        for (i, s) in reply.spans.into_iter().enumerate() {
            let range =
                CharRange::new(s.start, s.end).filter(|r| !r.is_empty() && r.end().0 <= len_chars);
            let label = Label::new(s.label.as_str());
            match (range, label) {
                (Some(range), Ok(label)) => answer.proposals.push(Proposal {
                    range,
                    label,
                    agent: AGENT.to_string(),
                    score: s.score.unwrap_or(DEFAULT_SCORE),
                    why: None,
                    attrs: BTreeMap::new(),
                }),
                (None, _) => answer.problems.push(format!(
                    "span {i}: {}..{} is not a range of the text ({len_chars} characters)",
                    s.start, s.end
                )),
                (_, Err(e)) => answer.problems.push(format!("span {i}: {e}")),
            }
        }
        Ok(answer)
    }
}

impl Drop for ModelCommand {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A shell "model": labels the first word of each text as actor; crashes on a text
    /// starting with "crash", hangs on "hang", writes garbage on "garbage".
    const MODEL: &str = r#"while IFS= read -r line; do
  case "$line" in
    *'"text":"crash'*) exit 3 ;;
    *'"text":"hang'*) sleep 30 ;;
    *'"text":"garbage'*) echo 'not json' ;;
    *) echo '{"spans": [{"start": 0, "end": 6, "label": "actor", "score": 0.75}, {"start": 3, "end": 999, "label": "actor"}]}' ;;
  esac
done"#;

    #[test]
    fn documents_are_answered_in_order_and_failures_stay_with_their_document() {
        let mut m = ModelCommand::new(MODEL, Duration::from_secs(2));
        let ok = m.ask("a.txt", "Lavrov said.", 12).unwrap();
        assert_eq!(ok.proposals.len(), 1);
        assert_eq!(ok.proposals[0].range, CharRange::new(0, 6).unwrap());
        assert_eq!(ok.proposals[0].score, 0.75);
        assert_eq!(ok.problems.len(), 1);
        assert!(
            ok.problems[0].contains("span 1: 3..999"),
            "{:?}",
            ok.problems
        );

        assert!(matches!(
            m.ask("b.txt", "garbage here", 12),
            Err(CommandError::BadLine { .. })
        ));
        assert!(matches!(
            m.ask("c.txt", "crash now", 9),
            Err(CommandError::Crashed { .. })
        ));
        // Started again for the next document.
        assert_eq!(
            m.ask("d.txt", "Stolte said.", 12).unwrap().proposals.len(),
            1
        );
    }

    #[test]
    fn a_program_that_hangs_is_stopped_after_the_timeout() {
        let mut m = ModelCommand::new(MODEL, Duration::from_millis(300));
        assert!(matches!(
            m.ask("a.txt", "hang on", 7),
            Err(CommandError::Timeout { .. })
        ));
        assert_eq!(
            m.ask("b.txt", "Lavrov said.", 12).unwrap().proposals.len(),
            1
        );
    }

    #[test]
    fn a_program_that_exits_at_once_is_reported_as_stopped() {
        let mut m = ModelCommand::new("exit 7", Duration::from_secs(2));
        assert!(matches!(
            m.ask("a.txt", "x", 1),
            Err(CommandError::Crashed { .. })
        ));
    }
}
