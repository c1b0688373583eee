//! Parse throughput (解析吞吐量): the seed issue concatenated 100 times (about 21 MB), parsed
//! with the bundled registry, compared with a plain byte scan of the same bytes (counting
//! newlines). Run with `cargo bench -p luoshi-gazette --bench throughput` (release profile).
//!
//! Also times the parse with the JSON written (`parse_to_json` into a sink, every core), as
//! `luoshi gazette parse` runs it less reading the file and the output's write.
//! Reports MB/s for each and the ratio; the target is ≥ 100 MB/s.

use std::time::{Duration, Instant};

const SEED: &str = include_str!("../../../data/gazette/zhengzhou-2020-gazette.txt");
const COPIES: usize = 100;
const ROUNDS: usize = 5;

fn main() {
    let mut text = String::with_capacity(SEED.len() * COPIES + COPIES);
    for _ in 0..COPIES {
        text.push_str(SEED);
        if !SEED.ends_with('\n') {
            text.push('\n');
        }
    }
    let mb = text.len() as f64 / 1_000_000.0;
    let registry = luoshi_gazette::Registry::bundled();

    let mut best_parse = Duration::MAX;
    let mut documents = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let issue = luoshi_gazette::parse_with(&text, &registry);
        let elapsed = start.elapsed();
        documents = std::hint::black_box(issue.documents.len());
        best_parse = best_parse.min(elapsed);
    }

    // Read and written as JSON, as `luoshi gazette parse` does (into a sink: no output cost).
    let mut best_json = Duration::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        luoshi_gazette::parse_to_json(&text, &registry, &mut std::io::sink())
            .expect("a sink takes every byte");
        best_json = best_json.min(start.elapsed());
    }

    let mut best_scan = Duration::MAX;
    let mut newlines = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let n = std::hint::black_box(text.as_bytes())
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let elapsed = start.elapsed();
        newlines = std::hint::black_box(n);
        best_scan = best_scan.min(elapsed);
    }

    let parse_rate = mb / best_parse.as_secs_f64();
    let scan_rate = mb / best_scan.as_secs_f64();
    println!(
        "input: {mb:.1} MB ({COPIES} copies of the seed, {newlines} lines, {documents} documents)"
    );
    println!(
        "parse: {:.1} ms best of {ROUNDS}, {parse_rate:.1} MB/s",
        best_parse.as_secs_f64() * 1000.0
    );
    println!(
        "parse + JSON: {:.1} ms best of {ROUNDS}, {:.1} MB/s",
        best_json.as_secs_f64() * 1000.0,
        mb / best_json.as_secs_f64()
    );
    println!(
        "scan:  {:.2} ms best of {ROUNDS}, {scan_rate:.1} MB/s",
        best_scan.as_secs_f64() * 1000.0
    );
    println!(
        "parse is {:.1}x slower than a plain byte scan ({:.1}% of scan speed); target >= 100 MB/s: {}",
        scan_rate / parse_rate,
        100.0 * parse_rate / scan_rate,
        if parse_rate >= 100.0 { "met" } else { "NOT met" }
    );
}
