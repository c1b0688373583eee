//! `luoshi rules generate` and `luoshi rules bench`: the generated applicants of 郑政办〔2020〕24号
//! 第二条 (fixed seed, shared with the OpenFisca model in `bench/openfisca/`), and every figure of
//! the talent-subsidy benchmark, measured here and printed (median of several runs).
//!
//! Figures: the columnar core on prepared columns (every core, and one), the row-by-row typed
//! core, the end-to-end batch command on a CSV and a JSON Lines file (a child process, wall time,
//! compact output to a file), and one decision in process (JSON text in, decision JSON out).

use luoshi_rules::batch::{CsvHeader, InputFormat};
use luoshi_rules::talent::{subsidy, TalentParams};
use luoshi_rules::talent_columns::{decide, read_columns, split_lines, Columns};
use luoshi_rules::talent_gen::{applicants, csv_header, csv_line, json_line, SEED};
use luoshi_rules::{Engine, Params, Style};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Write `count` generated applicants (CSV or JSON Lines) to `out`.
pub fn generate(count: usize, seed: u64, csv: bool, out: &mut Vec<u8>) {
    if csv {
        csv_header(out);
    }
    for p in applicants(count, seed) {
        if csv {
            csv_line(&p, out);
        } else {
            json_line(&p, out);
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// One measured figure.
struct Figure {
    key: &'static str,
    label: &'static str,
    /// Seconds of each run.
    runs: Vec<f64>,
    count: usize,
}

impl Figure {
    fn per_second(&self) -> f64 {
        self.count as f64 / median(self.runs.clone())
    }
    fn range(&self) -> (f64, f64) {
        let rates: Vec<f64> = self.runs.iter().map(|s| self.count as f64 / s).collect();
        let lo = rates.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = rates.iter().copied().fold(0.0, f64::max);
        (lo, hi)
    }
}

fn time_runs(runs: usize, mut f: impl FnMut()) -> Vec<f64> {
    f(); // warm up
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect()
}

/// The columnar core on prepared columns, on `threads` threads (the columns split evenly).
fn core_columnar(parts: &[Columns], params: &TalentParams) -> usize {
    let mut eligible = 0;
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .iter()
            .map(|cols| {
                s.spawn(move || {
                    let mut failed = Vec::with_capacity(cols.len());
                    decide(black_box(cols), params, &mut failed);
                    failed.iter().filter(|&&m| m == 0).count()
                })
            })
            .collect();
        for h in handles {
            eligible += h.join().expect("benchmark thread");
        }
    });
    eligible
}

/// From records to decisions in memory, the counterpart of OpenFisca's build + calculate: the
/// CSV text (already in memory, as OpenFisca's prepared arrays are) cut at line breaks into one
/// part per thread, each part read into columns and decided a block at a time; returns the
/// eligible count.
fn records_columnar(
    body: &[u8],
    header: &CsvHeader,
    threads: usize,
    params: &TalentParams,
) -> usize {
    let parts = split_lines(body, threads.max(1));
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                s.spawn(move || {
                    // Blocks of about 8,192 lines (as the batch reads them), the columns and
                    // masks reused from block to block so they stay in the core's cache.
                    let (mut cols, mut failed) = (Columns::default(), Vec::new());
                    let mut eligible = 0;
                    let mut rest = part;
                    while !rest.is_empty() {
                        let cut = BLOCK_BYTES.min(rest.len());
                        let end =
                            memchr::memchr(b'\n', &rest[cut - 1..]).map_or(rest.len(), |i| cut + i);
                        let (block, after) = rest.split_at(end);
                        rest = after;
                        read_columns(block, InputFormat::Csv, Some(header), &mut cols);
                        decide(&cols, params, &mut failed);
                        // A line the plain readers refuse is marked for the row path and is not
                        // counted: the caller compares the count with the row-by-row core's.
                        eligible += failed.iter().filter(|&&m| m == 0).count();
                    }
                    eligible
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("benchmark thread"))
            .sum()
    })
}

/// About [`luoshi_rules::talent_columns::BLOCK_ROWS`] generated CSV lines (104 bytes each).
const BLOCK_BYTES: usize = luoshi_rules::talent_columns::BLOCK_ROWS * 104;

/// The arguments of `luoshi rules eval talent-subsidy --batch` on `input`.
fn batch_args(input: &Path, extra: Option<&str>) -> Vec<String> {
    let mut args: Vec<String> = ["rules", "eval", "talent-subsidy", "--batch", "--input"]
        .map(String::from)
        .into();
    args.push(input.to_string_lossy().into_owned());
    args.extend(extra.map(String::from));
    args
}

/// Seconds to write `bytes` to `path` in the batch's chunk size and close it, timed as
/// [`run_child`] times the batch: the file is created (or truncated) before the clock starts.
fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<f64> {
    let mut file = std::fs::File::create(path)?;
    let start = Instant::now();
    for chunk in bytes.chunks(1 << 21) {
        std::io::Write::write_all(&mut file, chunk)?;
    }
    drop(file);
    Ok(start.elapsed().as_secs_f64())
}

fn run_child(exe: &Path, args: &[String], stdout: &Path) -> Result<f64, String> {
    let file = std::fs::File::create(stdout).map_err(|e| format!("{}: {e}", stdout.display()))?;
    let start = Instant::now();
    let status = Command::new(exe)
        .args(args)
        .stdout(Stdio::from(file))
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    let seconds = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{args:?} exited with {status}"));
    }
    Ok(seconds)
}

/// Eligible lines and the total amount in a compact output file.
fn tally(path: &Path) -> (usize, usize, u64) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut eligible = 0;
    let mut total = 0u64;
    let mut lines = 0;
    for line in text.lines() {
        lines += 1;
        if line.starts_with("{\"eligible\":true") {
            eligible += 1;
            let amount = line
                .split("\"amount_yuan\":\"")
                .nth(1)
                .and_then(|r| r.split('.').next())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            total += amount;
        }
    }
    (lines, eligible, total)
}

pub fn bench(count: usize, runs: usize, dir: Option<PathBuf>, json: bool) -> ExitCode {
    let dir = dir.unwrap_or_else(|| std::env::temp_dir().join("luoshi-rules-bench"));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return super::super::bad_input("E_WRITE", format!("无法创建目录 {}: {e}", dir.display()));
    }
    let runs = runs.max(1);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let params = Params::default();
    let people = applicants(count, SEED);

    // Input files shared with the OpenFisca benchmark.
    let csv_path = dir.join(format!("talent-{count}.csv"));
    let jsonl_path = dir.join(format!("talent-{count}.jsonl"));
    let mut csv_text = Vec::new();
    for (path, csv) in [(&csv_path, true), (&jsonl_path, false)] {
        let mut text = Vec::with_capacity(count * 330);
        generate(count, SEED, csv, &mut text);
        if let Err(e) = std::fs::write(path, &text) {
            return super::super::bad_input("E_WRITE", format!("{}: {e}", path.display()));
        }
        if csv {
            csv_text = text;
        }
    }

    let mut figures = Vec::new();

    // 1. Core on prepared columns: every core, then one.
    let per = count.div_ceil(threads.max(1));
    let parts: Vec<Columns> = people
        .chunks(per.max(1))
        .map(|chunk| {
            let mut c = Columns::default();
            chunk.iter().for_each(|p| c.push_input(p));
            c
        })
        .collect();
    let mut all = Columns::default();
    people.iter().for_each(|p| all.push_input(p));
    let eligible_columnar = core_columnar(&parts, &params.talent);
    figures.push(Figure {
        key: "core_columnar",
        label: "列式核心（已备列，全部核心）",
        runs: time_runs(runs, || {
            black_box(core_columnar(&parts, &params.talent));
        }),
        count,
    });
    figures.push(Figure {
        key: "core_columnar_1",
        label: "列式核心（已备列，单线程）",
        runs: time_runs(runs, || {
            black_box(core_columnar(std::slice::from_ref(&all), &params.talent));
        }),
        count,
    });

    // 2. Row-by-row typed core (one thread).
    let mut eligible_rows = 0;
    figures.push(Figure {
        key: "core_rows",
        label: "逐行类型化核心（单线程）",
        runs: time_runs(runs, || {
            eligible_rows = people
                .iter()
                .filter(|p| subsidy(black_box(p), &params.talent).is_ok_and(|d| d.eligible()))
                .count();
        }),
        count,
    });
    if eligible_rows != eligible_columnar {
        eprintln!("列式与逐行判断结果不一致：{eligible_columnar} ≠ {eligible_rows}");
        return ExitCode::FAILURE;
    }

    // 3. From records in memory to decisions (the counterpart of OpenFisca's build + calculate).
    let header_end = memchr::memchr(b'\n', &csv_text).map_or(csv_text.len(), |i| i + 1);
    let rule = luoshi_rules::find("talent-subsidy").expect("the talent rule is registered");
    let header = match CsvHeader::parse(rule, &csv_text[..header_end]) {
        Ok(h) => h,
        Err(e) => return super::super::bad_input(e.code(), e),
    };
    let body = &csv_text[header_end..];
    let eligible_records = records_columnar(body, &header, threads, &params.talent);
    if eligible_records != eligible_rows {
        eprintln!("从记录判断的结果不一致：{eligible_records} ≠ {eligible_rows}");
        return ExitCode::FAILURE;
    }
    figures.push(Figure {
        key: "records_columnar",
        label: "内存中的 CSV 记录 → 判断（读入列并判断，全部核心）",
        runs: time_runs(runs, || {
            black_box(records_columnar(body, &header, threads, &params.talent));
        }),
        count,
    });

    // 4. End to end: the batch command in a child process, file in, compact lines to a file.
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => return super::super::bad_input("E_READ", format!("找不到可执行文件：{e}")),
    };
    let out_path = dir.join("out.jsonl");
    let mut tallies = Vec::new();
    for (key, label, input, extra) in [
        (
            "e2e_csv",
            "端到端 CSV 文件 → 简要输出（子进程）",
            &csv_path,
            None,
        ),
        (
            "e2e_jsonl",
            "端到端 JSONL 文件 → 简要输出（子进程）",
            &jsonl_path,
            None,
        ),
        (
            "e2e_csv_rows",
            "端到端 CSV，逐行路径（子进程）",
            &csv_path,
            Some("--row-by-row"),
        ),
    ] {
        let args = batch_args(input, extra);
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs + 1 {
            match run_child(&exe, &args, &out_path) {
                Ok(t) => times.push(t),
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        times.remove(0);
        tallies.push((key, tally(&out_path)));
        figures.push(Figure {
            key,
            label,
            runs: times,
            count,
        });
    }
    for (key, (lines, eligible, _)) in &tallies {
        if *lines != count || *eligible != eligible_rows {
            eprintln!("{key}: {lines} 行，符合 {eligible}，应为 {count} 行，符合 {eligible_rows}");
            return ExitCode::FAILURE;
        }
    }
    let total_yuan = tallies.first().map_or(0, |(_, t)| t.2);

    // 4b. The floor under every end-to-end figure: only writing the CSV batch's compact lines
    // (already in memory) to the same output file, as the batch's writer does, and closing it.
    // No process, no reading, no deciding: no batch command can beat this rate on this disk.
    if let Err(e) = run_child(&exe, &batch_args(&csv_path, None), &out_path) {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    let output = match std::fs::read(&out_path) {
        Ok(bytes) => bytes,
        Err(e) => return super::super::bad_input("E_READ", format!("{}: {e}", out_path.display())),
    };
    let mut write_times = Vec::with_capacity(runs);
    for _ in 0..runs + 1 {
        match write_output(&out_path, &output) {
            Ok(t) => write_times.push(t),
            Err(e) => {
                return super::super::bad_input("E_WRITE", format!("{}: {e}", out_path.display()))
            }
        }
    }
    write_times.remove(0);
    figures.push(Figure {
        key: "write_floor",
        label: "仅写出简要输出（已在内存，同一输出文件，无读入无判断）",
        runs: write_times,
        count,
    });

    // 5. One decision in process: JSON text in, the whole decision out (what a handler does).
    let engine = Engine::new(
        luoshi_calendar::bundled().expect("bundled calendar"),
        params,
    );
    let mut line = Vec::new();
    json_line(&people[0], &mut line);
    let text = String::from_utf8(line).expect("generated JSON is UTF-8");
    let singles = count.min(200_000);
    let mut out = Vec::with_capacity(4096);
    figures.push(Figure {
        key: "single_json",
        label: "单条判断（JSON 文本 → 完整判断 JSON，进程内）",
        runs: time_runs(runs, || {
            for _ in 0..singles {
                out.clear();
                engine
                    .evaluate_styled(
                        "talent-subsidy",
                        black_box(text.trim_end()),
                        &mut out,
                        Style::Full,
                    )
                    .expect("valid");
            }
        }),
        count: singles,
    });

    if json {
        let doc = serde_json::json!({
            "count": count,
            "runs": runs,
            "threads": threads,
            "eligible": eligible_rows,
            "total_amount_yuan": total_yuan,
            "csv": csv_path,
            "jsonl": jsonl_path,
            "figures": figures.iter().map(|f| {
                let (lo, hi) = f.range();
                serde_json::json!({"key": f.key, "label": f.label, "per_second": f.per_second(), "min": lo, "max": hi, "seconds": f.runs, "count": f.count})
            }).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("serializes")
        );
    } else {
        println!(
            "郑政办〔2020〕24号 第二条：{count} 名生成的申请人（种子 {SEED}），{threads} 个核心，每项 {runs} 次取中位数"
        );
        println!(
            "符合条件 {eligible_rows} 人，补贴合计 {total_yuan} 元；输入 {}",
            dir.display()
        );
        for f in &figures {
            let (lo, hi) = f.range();
            println!(
                "{:<44} {:>8.2} M 条/秒（{:.2}–{:.2}）",
                f.label,
                f.per_second() / 1e6,
                lo / 1e6,
                hi / 1e6
            );
        }
    }
    ExitCode::SUCCESS
}
