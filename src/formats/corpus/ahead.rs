//! Reading ahead: documents are read and checked on every core while the caller writes the
//! ones before them, and handed over in order. At most [`window`] documents are read ahead of
//! the one being written, so the export still holds a bounded number at a time.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
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

/// Calls `read(i)` for `i` in `0..count`, on reader threads and ahead of time, and `take(i, r)`
/// on this thread with each result in order. Stops at the first error of `take` (the readers
/// stop too, after the document each is reading) and returns it.
pub(super) fn in_order<T: Send, E>(
    count: usize,
    read: impl Fn(usize) -> T + Sync,
    mut take: impl FnMut(usize, T) -> Result<(), E>,
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
    // (next to read, next to take)
    let turn = Mutex::new((0usize, 0usize));
    let moved = Condvar::new();
    let stop = AtomicBool::new(false);
    let (send, receive) = mpsc::channel::<(usize, T)>();
    #[cfg(test)]
    let counter = live::current();
    std::thread::scope(|scope| {
        for _ in 0..readers {
            let send = send.clone();
            let (turn, moved, stop, read) = (&turn, &moved, &stop, &read);
            #[cfg(test)]
            let counter = counter.clone();
            scope.spawn(move || {
                #[cfg(test)]
                live::adopt(counter);
                loop {
                    let i = {
                        let mut t = turn.lock().unwrap_or_else(|e| e.into_inner());
                        while !stop.load(Ordering::Relaxed) && t.0 < count && t.0 >= t.1 + window {
                            t = moved.wait(t).unwrap_or_else(|e| e.into_inner());
                        }
                        if stop.load(Ordering::Relaxed) || t.0 >= count {
                            return;
                        }
                        t.0 += 1;
                        t.0 - 1
                    };
                    if send.send((i, read(i))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(send);
        let finish = |result| {
            stop.store(true, Ordering::Relaxed);
            moved.notify_all();
            result
        };
        let mut ready = BTreeMap::new();
        for want in 0..count {
            let r = loop {
                if let Some(r) = ready.remove(&want) {
                    break r;
                }
                match receive.recv() {
                    Ok((i, r)) => {
                        ready.insert(i, r);
                    }
                    // Every reader has ended without it: one panicked (the scope passes the
                    // panic on).
                    Err(_) => return finish(Ok(())),
                }
            };
            turn.lock().unwrap_or_else(|e| e.into_inner()).1 = want + 1;
            moved.notify_all();
            live::taken();
            if let Err(e) = take(want, r) {
                return finish(Err(e));
            }
        }
        finish(Ok(()))
    })
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
    type Hook = Box<dyn FnMut(usize)>;

    /// (alive now, most alive at once).
    #[cfg(test)]
    pub type Counter = Arc<Mutex<(usize, usize)>>;

    #[cfg(test)]
    thread_local! {
        static ALIVE: RefCell<Counter> = RefCell::new(Counter::default());
        /// Called with the number of each document handed over (1, 2, …), to act mid-export.
        static ON_LOAD: RefCell<Option<(usize, Hook)>> = const { RefCell::new(None) };
    }

    /// This thread's counter, to share with the threads it starts.
    #[cfg(test)]
    pub fn current() -> Counter {
        ALIVE.with(|a| a.borrow().clone())
    }

    /// Counts on `counter` from now on (on this thread).
    #[cfg(test)]
    pub fn adopt(counter: Counter) {
        ALIVE.with(|a| *a.borrow_mut() = counter);
    }

    #[cfg(test)]
    fn count(f: impl FnOnce(&mut (usize, usize))) {
        ALIVE.with(|a| f(&mut a.borrow().lock().unwrap_or_else(|e| e.into_inner())));
    }

    /// One document alive while it lives.
    pub struct Live;

    impl Live {
        pub fn new() -> Self {
            #[cfg(test)]
            count(|(now, peak)| {
                *now += 1;
                *peak = (*peak).max(*now);
            });
            Live
        }
    }

    impl Drop for Live {
        fn drop(&mut self) {
            #[cfg(test)]
            count(|(now, _)| *now = now.saturating_sub(1));
        }
    }

    /// A document has been handed over to the writer: calls the hook.
    pub(in crate::formats::corpus) fn taken() {
        #[cfg(test)]
        ON_LOAD.with(|hook| {
            if let Some((count, f)) = hook.borrow_mut().as_mut() {
                *count += 1;
                f(*count);
            }
        });
    }

    /// Calls `f` with the number of each document handed over from now on (on this thread).
    #[cfg(test)]
    pub fn on_load(f: impl FnMut(usize) + 'static) {
        ON_LOAD.with(|hook| *hook.borrow_mut() = Some((0, Box::new(f))));
    }

    /// No more calls.
    #[cfg(test)]
    pub fn no_hook() {
        ON_LOAD.with(|hook| *hook.borrow_mut() = None);
    }

    /// Forgets the peak; returns the documents alive now.
    #[cfg(test)]
    pub fn reset() -> usize {
        let mut alive = 0;
        count(|(now, peak)| {
            *peak = *now;
            alive = *now;
        });
        alive
    }

    /// The most documents alive at once since [`reset`].
    #[cfg(test)]
    pub fn peak() -> usize {
        current().lock().unwrap_or_else(|e| e.into_inner()).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
