//! Reading ahead: documents are read and checked on every core, and handed over in order to
//! be written, by whichever reader finishes the one due. At most [`window`] documents are read
//! ahead of the one being written, so the export still holds a bounded number at a time.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex};

/// Threads reading at once: the cores there are, at most four (more only wait on the disk and
/// hold more documents).
fn readers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// How many documents may be read ahead of the one being written.
pub(super) fn window() -> usize {
    2 * readers()
}

/// Calls `read(i)` for `i` in `0..count` on reader threads, ahead of time, and `take(i, r)`
/// with each result in order. Stops at the first error of `take` (the readers stop too, after
/// the document each is reading) and returns it.
///
/// There is no writing thread: the reader that finishes the document due next hands it, and
/// any after it that are ready, to `take` (one reader at a time), then goes back to reading.
/// A writer woken for each document cost a tenth of an export's time in thread switches.
pub(super) fn in_order<T: Send, E: Send>(
    count: usize,
    read: impl Fn(usize) -> T + Sync,
    mut take: impl FnMut(usize, T) -> Result<(), E> + Send,
) -> Result<(), E> {
    let readers = readers().min(count);
    if readers <= 1 {
        for i in 0..count {
            let r = read(i);
            live::taken();
            take(i, r)?;
        }
        return Ok(());
    }
    let window = window();
    let turn = Mutex::new(Turn {
        next_read: 0,
        next_take: 0,
        ready: BTreeMap::new(),
        taking: false,
        failed: None,
        panicked: false,
    });
    let moved = Condvar::new();
    let take = Mutex::new(&mut take);
    #[cfg(test)]
    let counter = live::current();
    std::thread::scope(|scope| {
        for _ in 0..readers {
            let (turn, moved, take, read) = (&turn, &moved, &take, &read);
            #[cfg(test)]
            let counter = counter.clone();
            scope.spawn(move || {
                #[cfg(test)]
                live::adopt(counter);
                let lock = || turn.lock().unwrap_or_else(|e| e.into_inner());
                // A reader that panics (reading, or handing over) stops the others, which
                // would otherwise wait for its document for ever; the scope passes the panic on.
                let _stops_the_others = OnPanic(|| {
                    lock().panicked = true;
                    moved.notify_all();
                });
                loop {
                    let i = {
                        let mut t = lock();
                        while t.failed.is_none()
                            && !t.panicked
                            && t.next_read < count
                            && t.next_read >= t.next_take + window
                        {
                            t = moved.wait(t).unwrap_or_else(|e| e.into_inner());
                        }
                        if t.failed.is_some() || t.panicked || t.next_read >= count {
                            return;
                        }
                        t.next_read += 1;
                        t.next_read - 1
                    };
                    let r = read(i);
                    let mut t = lock();
                    t.ready.insert(i, r);
                    if t.taking || t.failed.is_some() {
                        // The reader taking will come to it (or nothing more is taken).
                        continue;
                    }
                    t.taking = true;
                    while t.failed.is_none() {
                        let due = t.next_take;
                        let Some(r) = t.ready.remove(&due) else {
                            break;
                        };
                        drop(t);
                        live::taken();
                        let result = (take.lock().unwrap_or_else(|e| e.into_inner()))(due, r);
                        t = lock();
                        t.next_take += 1;
                        if let Err(e) = result {
                            t.failed = Some(e);
                            t.ready.clear();
                        }
                        moved.notify_all();
                    }
                    t.taking = false;
                }
            });
        }
    });
    let t = turn.into_inner().unwrap_or_else(|e| e.into_inner());
    match t.failed {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Where [`in_order`] stands, shared by its readers.
struct Turn<T, E> {
    /// The next document to read.
    next_read: usize,
    /// The next document due to `take`.
    next_take: usize,
    /// Documents read, waiting for their turn.
    ready: BTreeMap<usize, T>,
    /// Whether a reader is handing documents to `take`.
    taking: bool,
    /// The error that stopped it.
    failed: Option<E>,
    /// A reader panicked: the others stop.
    panicked: bool,
}

/// Calls its function when dropped while the thread panics.
struct OnPanic<F: Fn()>(F);

impl<F: Fn()> Drop for OnPanic<F> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            (self.0)();
        }
    }
}

/// Counts the documents alive at once during an export, in tests, to show that it streams;
/// nothing in other builds. The count is kept per test thread and shared with the reader
/// threads it starts, so tests running side by side do not see each other's documents.
pub(super) mod live {
    #[cfg(test)]
    use std::cell::RefCell;
    #[cfg(test)]
    use std::sync::{Arc, Mutex};

    /// What [`on_load`] calls.
    #[cfg(test)]
    type Hook = Box<dyn FnMut(usize) + Send>;

    /// The documents of a test's exports, counted on every thread they go through.
    #[cfg(test)]
    #[derive(Default)]
    pub struct Count {
        alive: usize,
        peak: usize,
        /// Called with the number of each document handed over (1, 2, …), to act mid-export.
        on_load: Option<(usize, Hook)>,
    }

    #[cfg(test)]
    pub type Counter = Arc<Mutex<Count>>;

    #[cfg(test)]
    thread_local! {
        static COUNTER: RefCell<Counter> = RefCell::new(Counter::default());
    }

    /// This thread's counter, to share with the threads it starts.
    #[cfg(test)]
    pub fn current() -> Counter {
        COUNTER.with(|c| c.borrow().clone())
    }

    /// Counts on `counter` from now on (on this thread).
    #[cfg(test)]
    pub fn adopt(counter: Counter) {
        COUNTER.with(|c| *c.borrow_mut() = counter);
    }

    #[cfg(test)]
    fn count<R>(f: impl FnOnce(&mut Count) -> R) -> R {
        let counter = current();
        let mut count = counter.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut count)
    }

    /// One document alive while it lives.
    pub struct Live;

    impl Live {
        pub fn new() -> Self {
            #[cfg(test)]
            count(|c| {
                c.alive += 1;
                c.peak = c.peak.max(c.alive);
            });
            Live
        }
    }

    impl Drop for Live {
        fn drop(&mut self) {
            #[cfg(test)]
            count(|c| c.alive = c.alive.saturating_sub(1));
        }
    }

    /// A document has been handed over to the writer: calls the hook.
    pub(in crate::export) fn taken() {
        #[cfg(test)]
        count(|c| {
            if let Some((n, f)) = c.on_load.as_mut() {
                *n += 1;
                f(*n);
            }
        });
    }

    /// Calls `f` with the number of each document handed over from now on (by this thread's
    /// exports).
    #[cfg(test)]
    pub fn on_load(f: impl FnMut(usize) + Send + 'static) {
        count(|c| c.on_load = Some((0, Box::new(f))));
    }

    /// No more calls.
    #[cfg(test)]
    pub fn no_hook() {
        count(|c| c.on_load = None);
    }

    /// Forgets the peak; returns the documents alive now.
    #[cfg(test)]
    pub fn reset() -> usize {
        count(|c| {
            c.peak = c.alive;
            c.alive
        })
    }

    /// The most documents alive at once since [`reset`].
    #[cfg(test)]
    pub fn peak() -> usize {
        count(|c| c.peak)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn results_come_in_order_and_an_error_stops_the_readers() {
        let mut seen = Vec::new();
        let r: Result<(), ()> = in_order(
            200,
            |i| {
                // Later ones are quicker, so they finish out of order.
                std::thread::sleep(std::time::Duration::from_micros(
                    ((200 - i) % 7) as u64 * 50,
                ));
                i * 2
            },
            |i, v| {
                seen.push((i, v));
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(seen, (0..200).map(|i| (i, i * 2)).collect::<Vec<_>>());

        let read = std::sync::atomic::AtomicUsize::new(0);
        let r = in_order(
            1_000,
            |i| {
                read.fetch_add(1, Ordering::Relaxed);
                i
            },
            |i, _| if i == 10 { Err(i) } else { Ok(()) },
        );
        assert_eq!(r, Err(10));
        // Only the window ahead of the failing one was read, not the thousand.
        let read = read.load(Ordering::Relaxed);
        assert!(read <= 11 + window() + readers(), "{read} read");
    }

    #[test]
    fn a_reader_that_panics_stops_the_others_and_the_panic_comes_out() {
        for at in [0, 5, 299] {
            // Reading.
            let r = std::panic::catch_unwind(|| {
                in_order(
                    300,
                    |i| {
                        assert_ne!(i, at, "reading {i}");
                        i
                    },
                    |_, _| Ok::<(), ()>(()),
                )
            });
            assert!(r.is_err(), "reading {at}");
            // Handing over.
            let r = std::panic::catch_unwind(|| {
                in_order(
                    300,
                    |i| i,
                    |i, _| {
                        assert_ne!(i, at, "taking {i}");
                        Ok::<(), ()>(())
                    },
                )
            });
            assert!(r.is_err(), "taking {at}");
        }
    }
}
