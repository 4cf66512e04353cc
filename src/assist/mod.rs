//! Suggestions: spans proposed by a program for a person to accept or reject. Pure functions
//! over a document's text and spans, with no egui and no I/O, so the GUI can run them off the
//! UI thread and the CLI in a batch.
//!
//! - [`command`]: any model run as a program, one JSON line per document each way.
//! - [`dates`]: English dates with their ISO 8601 values.
//! - [`gazetteer`]: INCEpTION gazetteer lists (text TAB label).
//! - [`matcher`]: many strings found at once at word boundaries, leftmost-longest.
//! - [`patterns`]: spaCy / Prodigy match patterns (JSONL).
//! - [`propagate`]: a labelled string proposed at its other occurrences.
//! - [`suggest`]: proposals made suggestion spans; accepting and rejecting them.
pub mod command;
pub mod dates;
pub mod gazetteer;
pub mod matcher;
pub mod patterns;
pub mod propagate;
pub mod suggest;

#[cfg(test)]
mod tests {
    /// The GUI runs the sources on a worker thread and sends their results back.
    #[test]
    fn sources_and_their_results_can_go_to_another_thread() {
        fn send<T: Send + 'static>() {}
        send::<super::dates::Found>();
        send::<super::suggest::Proposal>();
        send::<super::propagate::Propagation>();
        send::<super::gazetteer::Gazetteer>();
        send::<super::patterns::Patterns>();
        send::<super::command::ModelCommand>();
        send::<crate::model::Document>();
    }
}
