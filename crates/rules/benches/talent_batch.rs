//! Benchmark of the steps of the talent-subsidy batch (郑政办〔2020〕24号 第二条), one thread, no
//! I/O, on the generated applicants of `talent_gen` (the figures the whole command is made of;
//! `luoshi rules bench` measures the command itself and the multi-core paths):
//!
//! 1. read CSV text into columns; 2. read JSON Lines text into columns; 3. decide prepared
//!    columns; 4. write the compact lines; 5. the row-by-row path on JSON Lines (parse, decide,
//!    compact line), for comparison.
//!
//! Run: `cargo bench -p luoshi-rules --bench talent_batch` (release profile). Times are the
//! thread's CPU time (median of five), so builds running beside it slow it less than wall time.

use luoshi_rules::batch::{Batch, CsvHeader, InputFormat};
use luoshi_rules::talent::{write_compact, Degree};
use luoshi_rules::talent_columns::{decide, read_columns, Columns};
use luoshi_rules::talent_gen::{applicants, csv_header, csv_line, json_line, SEED};
use luoshi_rules::{Engine, Params, Style};
use std::hint::black_box;
use std::time::Instant;

const N: usize = 1_000_000;
const RUNS: usize = 5;

/// Seconds this thread has run on a CPU (Linux), so that other processes sharing the machine
/// do not count; elsewhere, wall time.
fn thread_seconds(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split(' ').next()?.parse::<u64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns as f64 / 1e9)
}

/// The median time of `f`: the thread's CPU time, or wall time when `f` is too quick for the
/// CPU clock's updates (the decision step).
fn median_of(mut f: impl FnMut()) -> f64 {
    f();
    let mut t: Vec<f64> = (0..RUNS)
        .map(|_| {
            let wall = Instant::now();
            let s = thread_seconds(wall);
            f();
            let cpu = thread_seconds(wall) - s;
            let elapsed = wall.elapsed().as_secs_f64();
            if elapsed < 0.02 {
                elapsed
            } else {
                cpu
            }
        })
        .collect();
    t.sort_by(|a, b| a.total_cmp(b));
    t[RUNS / 2]
}

fn report(label: &str, seconds: f64, bytes: usize) {
    println!(
        "{label:<36} {:>8.1} ns/条 {:>8.2} M 条/秒 {:>8.0} MB/秒",
        seconds * 1e9 / N as f64,
        N as f64 / seconds / 1e6,
        bytes as f64 / seconds / 1e6
    );
}

fn main() {
    let people = applicants(N, SEED);
    let (mut csv, mut jsonl) = (Vec::new(), Vec::new());
    csv_header(&mut csv);
    let header_len = csv.len();
    for p in &people {
        csv_line(p, &mut csv);
        json_line(p, &mut jsonl);
    }
    let rule = luoshi_rules::find("talent-subsidy").expect("rule");
    let header = CsvHeader::parse(rule, &csv[..header_len]).expect("header");
    let params = Params::default();
    let mut cols = Columns::default();

    let t = median_of(|| {
        read_columns(
            &csv[header_len..],
            InputFormat::Csv,
            Some(&header),
            &mut cols,
        )
    });
    report("1 CSV → 列", t, csv.len());
    let t = median_of(|| read_columns(&jsonl, InputFormat::JsonLines, None, &mut cols));
    report("2 JSONL → 列", t, jsonl.len());
    let mut failed = Vec::new();
    let t = median_of(|| decide(black_box(&cols), &params.talent, &mut failed));
    report("3 判断（已备列）", t, 0);
    let mut out = Vec::with_capacity(N * 130);
    let degrees = [Degree::Bachelor, Degree::Master, Degree::Doctor];
    let t = median_of(|| {
        out.clear();
        for (&m, &d) in failed.iter().zip(&cols.degree) {
            write_compact(degrees[usize::from(d)], m, &mut out);
            out.push(b'\n');
        }
    });
    report("4 写简要行", t, out.len());
    let engine = Engine::new(luoshi_calendar::bundled().expect("calendar"), params);
    let t = median_of(|| {
        let mut b = Batch::new(
            &engine,
            "talent-subsidy",
            InputFormat::JsonLines,
            Style::Compact,
        )
        .expect("rule")
        .row_by_row();
        out.clear();
        b.feed(&jsonl, &mut out).expect("batch");
    });
    report("5 逐行路径（JSONL → 简要行）", t, jsonl.len());
}
