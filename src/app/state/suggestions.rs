//! The date finder in the workbench: it runs on the document shown when it is turned on and
//! on each document opened while it is on; a big document is searched on a worker thread (the
//! status bar shows it) and its dates are added when they land, if it is still shown.

use super::AppState;
use super::jobs::{DatesFound, DatesJob};
use crate::app::jobs::JobError;
use crate::assist::dates::{self, DateSource};

impl AppState {
    /// Runs the date finder on the document shown: at once for a small one, on a worker
    /// thread for a big one.
    pub fn find_dates(&mut self) {
        let Some(session) = &self.session else {
            return;
        };
        if session.is_read_only() {
            return;
        }
        let doc = session.doc().clone();
        let file_time = session
            .article_path()
            .and_then(|p| std::fs::metadata(p).ok())
            .and_then(|m| m.modified().ok());
        let shown = self.shown;
        // About a unit of work per character, as the jobs estimate it (and as the finder
        // reports how far it read).
        let work = doc.text().len_chars() as u64;
        if self.jobs.in_background(work) {
            let job = self.jobs.spawn("Finding dates", move |progress| {
                progress.start("finding dates", work);
                // Between chunks of the text: how far it got, and whether to go on (Cancel
                // stops the work itself, not only its result).
                let found = dates::proposals_for_until(&doc, None, file_time, &mut |read| {
                    progress.set_done(read as u64);
                    !progress.is_cancelled()
                })?;
                Ok(found)
            });
            self.jobs.dates = Some(DatesJob { shown, job });
            self.say("Finding dates in the background…");
        } else {
            let found = dates::proposals_for(&doc, None, file_time);
            self.dates_found(shown, Ok(found));
        }
    }

    /// Adds what the date finder found for the document shown as `shown`, if it is still
    /// shown, and says how many dates it suggested.
    pub fn dates_found(&mut self, shown: u64, result: Result<DatesFound, JobError>) {
        let who = self.annotator();
        if self.shown != shown {
            return;
        }
        let Some(session) = &mut self.session else {
            return;
        };
        match result {
            Ok(Some((proposals, source))) => {
                let from = match source {
                    DateSource::Given => "the date given".to_string(),
                    DateSource::Meta(field) => format!("the document's {field}"),
                    DateSource::Dateline => "the dateline".to_string(),
                    DateSource::FileTime => "the file's date".to_string(),
                };
                let added = session.add_suggestions(proposals, "suggest {n} dates", &who);
                let n = added.edits.len();
                session.say(format!(
                    "The date finder suggested {n} date{} (counted from {from}); {} already there",
                    if n == 1 { "" } else { "s" },
                    added.duplicates + added.rejected
                ));
            }
            Ok(None) => session.complain(
                "The date finder found no document date to count from (no date in the meta, no dateline, no file date)",
            ),
            Err(JobError::Cancelled) => {
                session.say("The date finder was cancelled; nothing was added")
            }
            Err(JobError::Failed(e)) => session.complain(format!("The date finder failed: {e}")),
        }
    }
}
