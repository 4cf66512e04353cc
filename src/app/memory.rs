//! How the workbench's process uses the system allocator.
//!
//! glibc serves a large block (128 KB and up) from its own mapping and gives it back to the
//! system when it is freed, but it raises that threshold to the size of each such block freed,
//! up to 32 MB. Opening a long document frees large buffers (the file's text as read, lists
//! grown by doubling), so every large block after them comes from the heap, and when those are
//! freed their pages stay with the process: measured on the bench's probe (10 MB article,
//! 100,000 spans, a history entry each), 27 MB of freed memory stayed resident after opening,
//! for as long as the window was open. The workbench keeps the threshold where it starts.

/// Keeps large blocks in mappings of their own, returned to the system when freed. Called
/// once, before the window opens; the CLI's short runs leave the allocator as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn return_large_blocks() {
    // glibc's own starting value; setting it turns off the raising described above.
    const THRESHOLD: libc::c_int = 128 * 1024;
    // SAFETY: `mallopt` sets a tuning parameter of glibc's allocator under its own lock; it
    // touches no memory of ours and is safe to call at any time, from any thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
    }
}

/// Other allocators and systems: nothing to change.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_large_blocks() {}

/// Gives the system back the free pages the allocator holds, in the middle of its heaps too.
/// Called once the work of opening a document is over (its history checked): reading and
/// checking free much of what they allocate on worker threads, in heaps of their own, and
/// whether those pages went back depended on what happened to sit at each heap's end (the
/// bench's probe settled at 121 MB or at 139 MB from one run to the next). Takes a few
/// milliseconds.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn return_freed_memory() {
    // SAFETY: `malloc_trim` works on glibc's own free lists under its locks; it touches no
    // memory in use and is safe to call at any time, from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Other allocators and systems: nothing to do.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_freed_memory() {}
