//! Work on a thread of its own, fed batches of bytes in order while the reading thread goes on
//! (the file's digest, the history chain's links). At most a few batches wait; the worker
//! hands each batch's buffer back to be filled again, since a fresh buffer for each batch cost
//! the system clearing its pages every time once the workbench keeps glibc from reusing large
//! freed blocks (`app::memory`).

use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

/// A worker that folds the batches it is sent into a state, given back by [`Beside::finish`].
#[derive(Debug)]
pub(super) struct Beside<S> {
    batches: SyncSender<Vec<u8>>,
    /// Buffers the worker is done with.
    spare: Receiver<Vec<u8>>,
    worker: JoinHandle<S>,
}

impl<S: Send + 'static> Beside<S> {
    /// Starts a thread named `name` that folds each batch into `state` with `each`; `None`
    /// when no thread could be started (the caller then does the work itself).
    pub(super) fn start(
        name: &str,
        mut state: S,
        each: impl Fn(&mut S, &[u8]) + Send + 'static,
    ) -> Option<Self> {
        let (batches, received) = sync_channel::<Vec<u8>>(4);
        let (done, spare) = channel::<Vec<u8>>();
        let worker = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                for batch in received {
                    each(&mut state, &batch);
                    // The sender may be gone already (it sent its last batch): nothing to do.
                    let _ = done.send(batch);
                }
                state
            })
            .ok()?;
        Some(Self {
            batches,
            spare,
            worker,
        })
    }

    /// An empty buffer to fill: one the worker is done with, or a new one.
    pub(super) fn buffer(&self) -> Vec<u8> {
        let mut buffer = self.spare.try_recv().unwrap_or_default();
        buffer.clear();
        buffer
    }

    /// Sends `batch`; gives it back when the worker is gone (it cannot be, short of a panic).
    pub(super) fn send(&self, batch: Vec<u8>) -> Result<(), Vec<u8>> {
        self.batches.send(batch).map_err(|unsent| unsent.0)
    }

    /// The state once every batch sent is folded in; `Err` with the panic if the worker
    /// panicked.
    pub(super) fn finish(self) -> std::thread::Result<S> {
        let Self {
            batches, worker, ..
        } = self;
        drop(batches);
        worker.join()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_folded_in_order_and_buffers_come_back() {
        let beside = Beside::start("test", Vec::new(), |all: &mut Vec<u8>, b| {
            all.extend_from_slice(b)
        })
        .unwrap();
        for piece in [&b"ab"[..], b"cd", b"ef"] {
            let mut batch = beside.buffer();
            assert!(batch.is_empty());
            batch.extend_from_slice(piece);
            beside.send(batch).unwrap();
        }
        assert_eq!(beside.finish().unwrap(), b"abcdef");
    }
}
