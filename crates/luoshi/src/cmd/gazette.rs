//! `luoshi gazette …`: parse a gazette issue and print what was read.
//!
//! `parse FILE --format json` prints the output contract of the gazette reader
//! (`{"documents":[…]}`); `--format text` prints a readable summary with counts per document
//! and the list of what the reader could not resolve. Files are turned into text by
//! `luoshi-intake` (UTF-8, GB18030/GBK, UTF-16, HTML, .docx, PDF); unreadable files and bytes
//! that are no text are refused with a Chinese message, a stable code and exit code 2.
//! `eval DIR` scores the reader against expected readings (see `crates/gazette/eval/`).

use clap::{Subcommand, ValueEnum};
use luoshi_gazette::{Issue, Registry};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum Command {
    /// Parse a gazette text file and print documents, tasks, indicators, targets …
    Parse {
        /// The issue: text (UTF-8, GB18030/GBK, UTF-16 with a byte-order mark), a web page
        /// (`.html`), a Word file (`.docx`) or a PDF (through `pdftotext`).
        file: PathBuf,
        /// The text encoding, when it should not be detected (`gbk`, `gb18030`, `utf-8` …).
        #[arg(long)]
        encoding: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Unit registry: a TOML file, or a bundled one by name (`zhengzhou`, the default;
        /// `guowuyuan` for State Council documents; `none` to keep and flag every name).
        #[arg(long)]
        registry: Option<PathBuf>,
    },
    /// Score the reader against expected readings (`*.toml` under DIR, one per document):
    /// precision and recall per field, per folder and in total.
    Eval {
        dir: PathBuf,
        /// Unit registry, as for `parse` (`guowuyuan` by default).
        #[arg(long)]
        registry: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Text,
}

pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Parse {
            file,
            encoding,
            format,
            registry,
        } => parse(&file, encoding.as_deref(), format, registry.as_deref()),
        Command::Eval { dir, registry } => eval(&dir, registry.as_deref()),
    }
}

/// The registry named on the command line: a bundled name or a TOML file.
fn load_registry(registry: Option<&std::path::Path>, default: &str) -> Result<Registry, ExitCode> {
    let name = registry.and_then(|p| p.to_str()).unwrap_or(default);
    if let Some(r) = Registry::bundled_named(name) {
        return Ok(r);
    }
    let Some(path) = registry else {
        return Ok(Registry::bundled());
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        super::bad_input(
            "E_READ",
            format!("无法读取单位名录 {}: {e}", path.display()),
        )
    })?;
    Registry::from_toml_str(&text)
        .map_err(|e| super::bad_input(e.code(), format!("{}: {e}", path.display())))
}

/// `luoshi gazette eval DIR`: every `*.toml` under DIR is one document's expected reading.
fn eval(dir: &std::path::Path, registry: Option<&std::path::Path>) -> ExitCode {
    use luoshi_gazette::eval::{score, Expected, Scores};
    let registry = match load_registry(registry, "guowuyuan") {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                return super::bad_input("E_READ", format!("无法读取目录 {}: {e}", d.display()))
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return super::bad_input(
            "E_EVAL_EMPTY",
            format!("{} 下没有评测预期文件（*.toml）", dir.display()),
        );
    }
    let mut by_folder: std::collections::BTreeMap<String, Scores> = Default::default();
    let mut total = Scores::default();
    for file in &files {
        let read = std::fs::read_to_string(file)
            .map_err(|e| format!("无法读取 {}: {e}", file.display()))
            .and_then(|t| {
                Expected::from_toml_str(&t).map_err(|e| format!("{}: {e}", file.display()))
            });
        let expected = match read {
            Ok(e) => e,
            Err(message) => return super::bad_input("E_EVAL_FILE", message),
        };
        let base = file.parent().unwrap_or(dir);
        let text_path = base.join(&expected.text);
        let bytes = match std::fs::read(&text_path) {
            Ok(b) => b,
            Err(e) => {
                return super::bad_input("E_READ", format!("无法读取 {}: {e}", text_path.display()))
            }
        };
        let text = match luoshi_intake::decode(&bytes, text_path.to_str(), None) {
            Ok(d) => d.text,
            Err(e) => return super::bad_input(e.code(), format!("{}: {e}", text_path.display())),
        };
        let issue = luoshi_gazette::parse_with(&text, &registry);
        let s = score(&expected, &issue);
        let folder = base
            .strip_prefix(dir)
            .ok()
            .map(|p| p.display().to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| ".".to_string());
        let c = s.total();
        println!(
            "{}: P {:.1}% R {:.1}% ({} tp, {} fp, {} fn)",
            file.display(),
            100.0 * c.precision(),
            100.0 * c.recall(),
            c.tp,
            c.fp,
            c.fn_
        );
        by_folder.entry(folder).or_default().add(&s);
        total.add(&s);
    }
    for (folder, s) in &by_folder {
        println!("\n== {folder} ({} documents)", s.documents);
        print!("{}", s.report());
    }
    if by_folder.len() > 1 {
        println!("\n== all ({} documents)", total.documents);
        print!("{}", total.report());
    }
    ExitCode::SUCCESS
}

fn parse(
    file: &std::path::Path,
    encoding: Option<&str>,
    format: Format,
    registry: Option<&std::path::Path>,
) -> ExitCode {
    let registry = match load_registry(registry, "zhengzhou") {
        Ok(r) => r,
        Err(code) => return code,
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            return super::bad_input("E_READ", format!("无法读取文件 {}: {e}", file.display()))
        }
    };
    let name = file.file_name().and_then(|n| n.to_str());
    let text = match luoshi_intake::decode_vec(bytes, name, encoding) {
        Ok(d) => d.text,
        Err(e) => return super::bad_input(e.code(), format!("{}: {e}", file.display())),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let written = match format {
        // Each document is written as soon as it is read (on every core for a large issue).
        Format::Json => {
            luoshi_gazette::parse_to_json(&text, &registry, &mut out).and_then(|()| writeln!(out))
        }
        Format::Text => write!(
            out,
            "{}",
            summary(&luoshi_gazette::parse_with(&text, &registry))
        ),
    }
    .and_then(|()| out.flush());
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`| head`): nothing more to say.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误 [E_WRITE]: 无法输出结果: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A readable summary: one block per document with counts, then the unresolved list.
fn summary(issue: &Issue) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "共 {} 份文件", issue.documents.len());
    if let Some(front) = issue.front_matter {
        let _ = writeln!(
            s,
            "前置内容: 第 {}–{} 行",
            front.first_line, front.last_line
        );
    }
    for (i, d) in issue.documents.iter().enumerate() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}. {}  {}  {}",
            i + 1,
            d.doc_no,
            d.date.as_deref().unwrap_or("（无日期）"),
            d.issuer
        );
        let _ = writeln!(s, "   标题: {}", d.title);
        let _ = writeln!(
            s,
            "   文种: {}  行: {}–{}  主送: {}  附件: {}",
            if d.kind.is_empty() {
                "（未识别）"
            } else {
                &d.kind
            },
            d.span.first_line,
            d.span.last_line,
            d.recipients.len(),
            d.attachments.len()
        );
        let _ = writeln!(
            s,
            "   条款 {}  任务 {}  行动 {}  指标 {}  目标 {}  名单 {}  表扬 {}  未识别 {}",
            d.outline.len(),
            d.tasks.len(),
            d.actions.len(),
            d.indicators.len(),
            d.targets.len(),
            d.rosters.len(),
            d.commendations.len(),
            d.unresolved.len()
        );
    }
    let unresolved: Vec<_> = issue
        .documents
        .iter()
        .flat_map(|d| d.unresolved.iter().map(move |u| (d, u)))
        .collect();
    let _ = writeln!(s);
    if unresolved.is_empty() {
        let _ = writeln!(s, "未识别内容: 无");
    } else {
        let _ = writeln!(s, "未识别内容 ({} 项):", unresolved.len());
        for (d, u) in unresolved {
            let _ = writeln!(
                s,
                "  [{}] {} {} 第 {}–{} 行: {}",
                u.kind, d.doc_no, u.clause, u.span.first_line, u.span.last_line, u.text
            );
        }
    }
    s
}
