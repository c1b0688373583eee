//! `luoshi rules …`: list the rules and evaluate them on JSON (one document), or in batch on JSON
//! Lines or CSV (one compact line per decision, or the whole decision with `--explain`).

use super::calendar::outln;
use clap::Subcommand;
use luoshi_rules::batch::{Batch, InputFormat};
use luoshi_rules::{Engine, Params, RuleError, Style, RULES};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;

#[derive(Subcommand)]
pub enum Command {
    /// 列出全部规则（名称、依据、说明）；--json 输出每条规则的输入输出字段说明。
    List {
        #[arg(long)]
        json: bool,
    },
    /// 对 JSON 输入求值：输出判断结果、citation、explanation 和 trace。
    Eval {
        /// 规则名称，如 talent-subsidy（见 `luoshi rules list`）。
        name: String,
        /// 输入文件，`-` 表示标准输入。
        #[arg(long, default_value = "-")]
        input: String,
        /// 批量模式：每行一条输入（JSON Lines 或 CSV），每行输出一个结果：默认为简要行
        /// （是否符合、金额、不符合的条件及条款），--explain 输出完整说明和判断过程；
        /// 出错的行输出错误记录，其余行照常处理；有错误行时退出码为 2。
        #[arg(long)]
        batch: bool,
        /// 批量输入格式：jsonl 或 csv（CSV 首行为字段名）。默认按文件扩展名，标准输入为 jsonl。
        #[arg(long, requires = "batch")]
        format: Option<String>,
        /// 批量模式下输出每条结果的完整说明（explanation）、计数用语依据和判断过程（trace）。
        #[arg(long, requires = "batch")]
        explain: bool,
        /// 逐行求值（不用列式路径），用于核对和测速。
        #[arg(long, requires = "batch", hide = true)]
        row_by_row: bool,
        /// 使用管理员更新的节假日数据文件（TOML），代替内置日历。
        #[arg(long)]
        calendar: Option<PathBuf>,
        /// 解释参数文件（JSON），覆盖默认解释（见 `luoshi rules list --json` 的 params）。
        #[arg(long)]
        params: Option<PathBuf>,
    },
    /// 生成固定种子的模拟申请人（CSV 或 JSON Lines，输出到标准输出），供批量求值和基准测试使用。
    Generate {
        /// 规则名称（目前只有 talent-subsidy）。
        name: String,
        #[arg(long, default_value_t = 1_000_000)]
        count: usize,
        #[arg(long, default_value_t = luoshi_rules::talent_gen::SEED)]
        seed: u64,
        /// csv 或 jsonl。
        #[arg(long, default_value = "csv")]
        format: String,
    },
    /// 人才补贴（24号）基准测试：列式核心、逐行核心、CSV/JSONL 端到端批量、单条判断，
    /// 各测若干次取中位数并打印（与 OpenFisca 对比见 scripts/bench-rules.sh）。
    Bench {
        #[arg(long, default_value_t = 1_000_000)]
        count: usize,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// 生成的输入文件和输出放在此目录（默认系统临时目录下 luoshi-rules-bench）。
        #[arg(long)]
        dir: Option<PathBuf>,
        /// 以 JSON 输出全部数字。
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::List { json } => list(json),
        Command::Generate {
            name,
            count,
            seed,
            format,
        } => {
            if name != "talent-subsidy" {
                return super::bad_input(
                    "E_RULE_UNKNOWN",
                    format!("只能为 talent-subsidy 生成申请人，不能为 {name}"),
                );
            }
            let csv = match InputFormat::parse(&format) {
                Some(f) => f == InputFormat::Csv,
                None => {
                    return super::bad_input(
                        "E_FORMAT",
                        format!("未知的格式 {format}（应为 jsonl 或 csv）"),
                    )
                }
            };
            let mut out = Vec::with_capacity(count.min(10_000_000) * 330);
            bench::generate(count, seed, csv, &mut out);
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(&out).and_then(|_| stdout.flush()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Command::Bench {
            count,
            runs,
            dir,
            json,
        } => bench::bench(count, runs, dir, json),
        Command::Eval {
            name,
            input,
            batch,
            format,
            explain,
            row_by_row,
            calendar,
            params,
        } => {
            if luoshi_rules::find(&name).is_none() {
                return super::bad_input("E_RULE_UNKNOWN", RuleError::UnknownRule(name));
            }
            let engine = match build_engine(calendar.as_ref(), params.as_ref()) {
                Ok(e) => e,
                Err(code) => return code,
            };
            let reader: Box<dyn Read + Send> = if input == "-" {
                Box::new(std::io::stdin())
            } else {
                match std::fs::File::open(&input) {
                    Ok(f) => Box::new(f),
                    Err(e) => {
                        return super::bad_input("E_READ", format!("无法读取输入文件 {input}: {e}"))
                    }
                }
            };
            if batch {
                let format = match format.as_deref() {
                    None if input == "-" => InputFormat::JsonLines,
                    None => InputFormat::from_path(Path::new(&input)),
                    Some(f) => match InputFormat::parse(f) {
                        Some(f) => f,
                        None => {
                            return super::bad_input(
                                "E_FORMAT",
                                format!("未知的输入格式 {f}（应为 jsonl 或 csv）"),
                            )
                        }
                    },
                };
                let style = if explain { Style::Full } else { Style::Compact };
                eval_batch(&engine, &name, reader, format, style, row_by_row)
            } else {
                eval_one(&engine, &name, reader)
            }
        }
    }
}

fn list(json: bool) -> ExitCode {
    if json {
        let doc = serde_json::json!({
            "rules": RULES.iter().map(|r| serde_json::json!({
                "name": r.name,
                "citation": r.citation,
                "summary": r.summary,
                "input": r.input,
                "output": r.all_output(),
                "params": r.params,
                "example": serde_json::from_str::<serde_json::Value>(r.example).expect("catalogue examples are valid JSON (tested)"),
            })).collect::<Vec<_>>(),
            "params": luoshi_rules::registry::PARAMS,
            "params_default": Params::default(),
            "errors": {
                "E_JSON": "JSON 格式错误", "E_FIELD_MISSING": "缺少必填字段", "E_FIELD_UNKNOWN": "未知字段",
                "E_FIELD_TYPE": "字段类型错误", "E_FIELD_VALUE": "字段取值无效（含负数、日期顺序错误）",
                "E_RULE_UNKNOWN": "未知规则", "E_CALENDAR_RANGE": "日期超出日历覆盖范围", "E_EMPTY_LINE": "批量输入中的空行",
                "E_UTF8": "输入不是 UTF-8"
            }
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).expect("static JSON serializes")
        );
    } else {
        let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
        for r in RULES.iter() {
            outln!("{:width$}  {}  {}", r.name, r.citation, r.summary);
        }
    }
    ExitCode::SUCCESS
}

fn build_engine(calendar: Option<&PathBuf>, params: Option<&PathBuf>) -> Result<Engine, ExitCode> {
    let calendar = super::calendar::load_calendar(calendar)?;
    let params = match params {
        None => Params::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                super::bad_input(
                    "E_READ",
                    format!("无法读取参数文件 {}: {e}", path.display()),
                )
            })?;
            luoshi_rules::common::parse_input::<Params>(&text).map_err(|e| {
                super::bad_input(e.code(), format!("参数文件 {}：{e}", path.display()))
            })?
        }
    };
    Ok(Engine::new(calendar, params))
}

fn eval_one(engine: &Engine, name: &str, mut reader: Box<dyn Read + Send>) -> ExitCode {
    let mut bytes = Vec::new();
    if let Err(e) = reader.read_to_end(&mut bytes) {
        return super::bad_input("E_READ", format!("读取输入失败：{e}"));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => return super::bad_input("E_UTF8", "输入不是有效的 UTF-8 文本"),
    };
    let mut out = Vec::new();
    match engine.evaluate(name, &text, &mut out, true) {
        Ok(()) => {
            out.push(b'\n');
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(&out).and_then(|_| stdout.flush()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => super::bad_input(e.code(), e),
    }
}

/// Bytes read per chunk in batch mode. Three stages overlap: a reader thread reads the next
/// chunk while the current one is decided (on every core) and a writer thread writes the one
/// before.
const CHUNK_BYTES: usize = 8 << 20;

/// Read `reader` in chunks of whole lines and send them (the last one may lack its line break);
/// buffers come back through `free` for reuse.
fn read_chunks(
    mut reader: Box<dyn Read + Send>,
    chunks: std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>,
    free: std::sync::mpsc::Receiver<Vec<u8>>,
) {
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let mut buf = free
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK_BYTES + (1 << 16)));
        buf.clear();
        buf.append(&mut carry);
        // Read into spare capacity (no zeroing) until the chunk is full or the input ends.
        let eof = loop {
            let want = CHUNK_BYTES.saturating_sub(buf.len()).max(1 << 16) as u64;
            match reader.by_ref().take(want).read_to_end(&mut buf) {
                Ok(0) => break true,
                Ok(_) if buf.len() >= CHUNK_BYTES => break false,
                Ok(_) => {}
                Err(e) => {
                    let _ = chunks.send(Err(e));
                    return;
                }
            }
        };
        if !eof {
            match buf.iter().rposition(|&b| b == b'\n') {
                Some(i) => carry.extend_from_slice(&buf[i + 1..]),
                None => {
                    // One line longer than a chunk: keep reading it.
                    carry = buf;
                    continue;
                }
            }
            let whole = buf.len() - carry.len();
            buf.truncate(whole);
        }
        if chunks.send(Ok(buf)).is_err() || eof {
            return;
        }
    }
}

fn eval_batch(
    engine: &Engine,
    name: &str,
    reader: Box<dyn Read + Send>,
    format: InputFormat,
    style: Style,
    row_by_row: bool,
) -> ExitCode {
    use std::sync::mpsc::{channel, sync_channel};
    let mut batch = match Batch::new(engine, name, format, style) {
        Ok(b) if row_by_row => b.row_by_row(),
        Ok(b) => b,
        Err(e) => return super::bad_input(e.code(), e),
    };
    let (chunk_tx, chunk_rx) = sync_channel(1);
    let (free_tx, free_rx) = channel::<Vec<u8>>();
    let (out_tx, out_rx) = sync_channel::<Vec<Vec<u8>>>(1);
    let (spent_tx, spent_rx) = channel::<Vec<Vec<u8>>>();
    let result: Result<(), ExitCode> = std::thread::scope(|s| {
        s.spawn(move || read_chunks(reader, chunk_tx, free_rx));
        let writer = s.spawn(move || -> std::io::Result<()> {
            let mut stdout = std::io::stdout().lock();
            for outs in out_rx {
                for part in &outs {
                    stdout.write_all(part)?;
                }
                let _ = spent_tx.send(outs);
            }
            stdout.flush()
        });
        let mut failure = None;
        for chunk in chunk_rx {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    failure = Some(super::bad_input("E_READ", format!("读取输入失败：{e}")));
                    break;
                }
            };
            let mut outs = spent_rx.try_recv().unwrap_or_default();
            if let Err(e) = batch.feed_into(&chunk, &mut outs) {
                failure = Some(super::bad_input(e.code(), e));
                break;
            }
            let _ = free_tx.send(chunk);
            if out_tx.send(outs).is_err() {
                break; // the writer stopped: its error is reported below
            }
        }
        drop(out_tx);
        drop(free_tx);
        let written = writer.join().expect("the writer thread does not panic");
        match (failure, written) {
            (Some(code), _) => Err(code),
            (None, Err(_)) => Err(ExitCode::FAILURE),
            (None, Ok(())) => Ok(()),
        }
    });
    if let Err(code) = result {
        return code;
    }
    let counts = batch.counts();
    let data_lines = counts.ok + counts.bad;
    eprintln!(
        "共{}行：成功{}行，错误{}行",
        data_lines, counts.ok, counts.bad
    );
    if let Some(c) = luoshi_rules::find(name).and_then(|r| r.counting(&engine.params)) {
        eprintln!(
            "计数用语：{} = {}（{}，{}）",
            c.parameter,
            c.reading.name(),
            c.citation,
            if c.default { "默认" } else { "参数选定" }
        );
    }
    if counts.bad > 0 {
        ExitCode::from(super::EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}
