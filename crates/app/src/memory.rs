//! Handing freed memory back (内存归还). A large import or a scan over every clock allocates
//! hundreds of megabytes for a moment and frees them all; glibc's allocator keeps freed memory
//! in its arenas for reuse, so without this the server's resident size stays at the peak of
//! the largest import it ever ran (measured: `scripts/bench-import-memory.sh`, figures in the
//! README). After such work the server asks the allocator to return what is free.

/// Return the allocator's free memory to the operating system (`malloc_trim(0)`: every arena,
/// including free pages in the middle of the heap). Costs a few milliseconds; call it after a
/// large piece of work, not per request. A no-op where the allocator is not glibc's.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and only reorganises the allocator's free lists
    // under its own locks; it is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
