//! Freed memory goes back to the system after [`release_free_memory`] (its own test binary, so
//! no other test allocates in the same process while the resident size is read). The binary
//! allocates with mimalloc, as the `luoshi` binary does.

#![cfg(target_os = "linux")]

use luoshi_app::memory::release_free_memory;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Resident set size of this process in kB.
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .expect("/proc/self/status")
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

#[test]
fn memory_freed_after_a_large_piece_of_work_goes_back_to_the_system() {
    // 200 MB in small blocks (like an import's strings), each touched; one block allocated
    // after them stays, so the memory cannot simply shrink from its end when the others go.
    let blocks: Vec<Vec<u8>> = (0..200_000).map(|i| vec![(i % 251) as u8; 1000]).collect();
    let kept = vec![1u8; 1000];
    let full = rss_kb();
    drop(blocks);
    release_free_memory();
    let after = rss_kb();
    assert_eq!(kept.len(), 1000);
    assert!(
        after + 150_000 < full,
        "most of the 200 MB is back with the system: {full} kB resident before, {after} kB after"
    );
}
