//! `luoshi rules …`: list the rules and evaluate them on JSON (one document), or in batch on JSON
//! Lines or CSV (one compact line per decision, or the whole decision with `--explain`).

use super::calendar::outln;
use clap::Subcommand;
use luoshi_rules::batch::InputFormat;
use luoshi_rules::{Engine, Params, RuleError, Style, RULES};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod batch;
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
            let source = if input == "-" {
                batch::Input::Stream(Box::new(std::io::stdin()))
            } else {
                match std::fs::File::open(&input) {
                    Ok(f) => batch::Input::File(f),
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
                batch::eval_batch(&engine, &name, source, format, style, row_by_row)
            } else {
                let reader: Box<dyn Read + Send> = match source {
                    batch::Input::File(f) => Box::new(f),
                    batch::Input::Stream(s) => s,
                };
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
