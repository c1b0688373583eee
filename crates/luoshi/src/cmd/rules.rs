//! `luoshi rules …`: list the rules and evaluate them on JSON (one document or JSON Lines).

use super::calendar::outln;
use clap::Subcommand;
use luoshi_rules::{Engine, Params, RuleError, RULES};
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
        /// 批量模式：每行一个 JSON（JSON Lines），每行输出一个结果；出错的行输出错误记录，
        /// 其余行照常处理；有错误行时退出码为 2。
        #[arg(long)]
        batch: bool,
        /// 使用管理员更新的节假日数据文件（TOML），代替内置日历。
        #[arg(long)]
        calendar: Option<PathBuf>,
        /// 解释参数文件（JSON），覆盖默认解释（见 `luoshi rules list --json` 的 params）。
        #[arg(long)]
        params: Option<PathBuf>,
    },
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::List { json } => list(json),
        Command::Eval {
            name,
            input,
            batch,
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
            let reader: Box<dyn Read> = if input == "-" {
                Box::new(std::io::stdin().lock())
            } else {
                match std::fs::File::open(&input) {
                    Ok(f) => Box::new(f),
                    Err(e) => {
                        return super::bad_input("E_READ", format!("无法读取输入文件 {input}: {e}"))
                    }
                }
            };
            if batch {
                eval_batch(&engine, &name, reader)
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

fn eval_one(engine: &Engine, name: &str, mut reader: Box<dyn Read>) -> ExitCode {
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

fn error_record(out: &mut Vec<u8>, line: u64, code: &str, message: &str) {
    let record = serde_json::json!({"line": line, "error": {"code": code, "message": message}});
    serde_json::to_writer(&mut *out, &record).expect("json value serializes");
}

fn eval_batch(engine: &Engine, name: &str, reader: Box<dyn Read>) -> ExitCode {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let stdout = std::io::stdout();
    let mut writer = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut raw = Vec::with_capacity(1024);
    let mut out = Vec::with_capacity(4096);
    let (mut line_no, mut ok, mut bad) = (0u64, 0u64, 0u64);
    loop {
        raw.clear();
        match reader.read_until(b'\n', &mut raw) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                let _ = writer.flush();
                return super::bad_input("E_READ", format!("读取第{}行失败：{e}", line_no + 1));
            }
        }
        line_no += 1;
        out.clear();
        let result = match std::str::from_utf8(&raw) {
            Err(_) => Err(("E_UTF8", "该行不是有效的 UTF-8 文本".to_string())),
            Ok(text) if text.trim().is_empty() => {
                Err(("E_EMPTY_LINE", "空行：没有输入".to_string()))
            }
            Ok(text) => engine
                .evaluate(name, text, &mut out, false)
                .map_err(|e| (e.code(), e.to_string())),
        };
        match result {
            Ok(()) => ok += 1,
            Err((code, message)) => {
                bad += 1;
                out.clear();
                error_record(&mut out, line_no, code, &message);
            }
        }
        out.push(b'\n');
        if writer.write_all(&out).is_err() {
            return ExitCode::FAILURE;
        }
    }
    if writer.flush().is_err() {
        return ExitCode::FAILURE;
    }
    eprintln!("共{line_no}行：成功{ok}行，错误{bad}行");
    if bad > 0 {
        ExitCode::from(super::EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}
