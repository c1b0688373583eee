//! Handing freed memory back (内存归还). A large import or a scan over every clock allocates
//! hundreds of megabytes for a moment and frees them all; the allocator keeps freed memory for
//! reuse, so without this the server's resident size stays near the peak of the largest piece
//! of work it ever ran (measured: `scripts/bench-import-memory.sh`, figures in the README).
//! After such work the server asks the allocator to return what is free.
//!
//! The `luoshi` binary allocates with mimalloc (`#[global_allocator]` in its `main.rs`), so the
//! call is mimalloc's own `mi_collect(true)`; glibc's `malloc_trim` would find nothing there.
//! This is the one place that knows which allocator that is.

/// Return the allocator's free memory to the operating system: mimalloc's `mi_collect(true)`
/// frees the calling thread's empty pages (call it on the thread that did the work) and purges
/// every arena's free memory at once rather than after its usual delay. Costs a few
/// milliseconds; call it after a large piece of work, not per request. Where the process
/// allocates with another allocator (the test binaries), mimalloc holds nothing and the call
/// does nothing.
pub fn release_free_memory() {
    // SAFETY: mi_collect takes no pointers and works under mimalloc's own synchronisation; it
    // is safe to call from any thread at any time, whether or not mimalloc allocated anything.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
