//! Platform commands: `serve`, `import`, `user`, `audit`, `backup`.

use super::bad_input;
use clap::{Args, Subcommand};
use luoshi_app::cases::outbox::{DeliveryConfig, SmtpConfig};
use luoshi_app::cases::worker::{Worker, WorkerConfig};
use luoshi_app::demo::{self, system_viewer};
use luoshi_app::{accounts::NewUser, App};
use luoshi_domain::audit::BrokenLink;
use luoshi_domain::{Error, ErrorKind, Role};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DB: &str = "luoshi.db";

#[derive(Args)]
pub struct DbArg {
    /// Database URL: a SQLite file path (default `luoshi.db`) or `postgres://…`.
    #[arg(long, env = "LUOSHI_DB", default_value = DEFAULT_DB)]
    pub db: String,
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// On an empty database: import the bundled gazette and create demo accounts.
    #[arg(long)]
    pub demo: bool,
    /// A unit registry (TOML) for imports, instead of the bundled Zhengzhou registry.
    #[arg(long)]
    pub registry: Option<PathBuf>,
    /// Run the business clock as if today were this date (YYYY-MM-DD): for training and the
    /// demo (which defaults to 2020-07-15, inside the bundled gazette's year).
    #[arg(long, env = "LUOSHI_TODAY")]
    pub today: Option<chrono::NaiveDate>,
    /// SMTP server for e-mail notifications: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`
    /// or `smtps://host:465`. Without it only in-app notices are sent.
    #[arg(long, env = "LUOSHI_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of e-mail notifications.
    #[arg(
        long,
        env = "LUOSHI_SMTP_FROM",
        default_value = "落实 <luoshi@localhost>"
    )]
    pub smtp_from: String,
    /// A URL that receives every notification as JSON (POST).
    #[arg(long, env = "LUOSHI_WEBHOOK_URL")]
    pub webhook_url: Option<String>,
    /// Seconds between scans of the clocks for reminders.
    #[arg(long, default_value_t = 60)]
    pub scan_interval: u64,
    /// Write an audit checkpoint (the chain's head) to this file periodically and on shutdown.
    #[arg(long, env = "LUOSHI_AUDIT_CHECKPOINT")]
    pub audit_checkpoint: Option<PathBuf>,
    /// Seconds between audit checkpoints.
    #[arg(long, default_value_t = 300)]
    pub checkpoint_interval: u64,
    #[command(flatten)]
    pub audit_key: AuditKeyArg,
    /// The site is served over HTTPS (behind a TLS proxy): cookies get the `__Host-` prefix and
    /// `Secure`, and responses carry Strict-Transport-Security.
    #[arg(long, env = "LUOSHI_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The address of a reverse proxy whose X-Forwarded-For / X-Forwarded-Proto are believed
    /// (repeat or separate with commas).
    #[arg(long, env = "LUOSHI_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// The CJK font for PDF reports (`path` or `path#index` of a collection); by default
    /// Debian's fonts-noto-cjk is found at run time.
    #[arg(long, env = "LUOSHI_CJK_FONT")]
    pub cjk_font: Option<String>,
    /// Seconds a client may take to send a request's headers before the connection is closed
    /// (slow or idle clients cannot hold connections open).
    #[arg(long, env = "LUOSHI_HEADER_READ_TIMEOUT", default_value_t = luoshi_web::DEFAULT_HEADER_READ_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout: u64,
    /// Connections open at once; further ones wait to be accepted.
    #[arg(long, env = "LUOSHI_MAX_CONNECTIONS", default_value_t = luoshi_web::DEFAULT_MAX_CONNECTIONS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections: usize,
    /// Log lines as readable text or as JSON objects (one per line); which lines is set by
    /// `LUOSHI_LOG` (e.g. `warn`, `info`, `luoshi_web=debug`; default `info`).
    #[arg(long, env = "LUOSHI_LOG_FORMAT", default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
    /// A token that lets a metrics scraper read `/metrics` (`Authorization: Bearer TOKEN`);
    /// without it only administrators can.
    #[arg(long, env = "LUOSHI_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The gazette issue: text (UTF-8, GB18030/GBK, UTF-16 with a byte-order mark), a web
    /// page (`.html`), a Word file (`.docx`) or a PDF (through `pdftotext`).
    pub file: PathBuf,
    /// The text encoding, when it should not be detected (`gbk`, `gb18030`, `utf-8` …).
    #[arg(long)]
    pub encoding: Option<String>,
    #[command(flatten)]
    pub db: DbArg,
    /// A unit registry (TOML) to use instead of the bundled Zhengzhou registry.
    #[arg(long)]
    pub registry: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account.
    Add {
        username: String,
        /// Roles, comma-separated: admin, supervision, proposals, unit_staff, leader, deputy, applicant.
        #[arg(long)]
        roles: String,
        #[arg(long)]
        name: Option<String>,
        /// Registry id of the user's unit (required for unit_staff).
        #[arg(long)]
        unit: Option<String>,
        /// For a leader: the name as the gazette writes it.
        #[arg(long)]
        leader_name: Option<String>,
        /// Password (otherwise read from the LUOSHI_PASSWORD environment variable or stdin).
        #[arg(long, env = "LUOSHI_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Set a new password.
    Passwd {
        username: String,
        #[arg(long, env = "LUOSHI_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Disable an account.
    Disable {
        username: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// List accounts.
    List {
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; report the first broken link.
    Verify {
        #[command(flatten)]
        db: DbArg,
        /// A checkpoint written earlier (`audit checkpoint`): fail when the chain no longer
        /// reaches the head it recorded (the newest entries were deleted or rewritten).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// The Ed25519 public key (hex) the checkpoint must be signed with.
        #[arg(long, env = "LUOSHI_AUDIT_PUBLIC_KEY")]
        public_key: Option<String>,
    },
    /// Write the chain's head (sequence, hash, time) to a file, signed when a key is given.
    /// Refuses when the chain no longer reaches the checkpoint already in that file.
    Checkpoint {
        #[command(flatten)]
        db: DbArg,
        /// The checkpoint file (replaced atomically).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        key: AuditKeyArg,
    },
    /// Create an Ed25519 signing key for checkpoints; prints its public key.
    Keygen {
        /// Where to write the secret key (must not exist; readable by its owner only).
        file: PathBuf,
    },
}

#[derive(Args)]
pub struct AuditKeyArg {
    /// The Ed25519 signing key file for audit checkpoints (`audit keygen`).
    #[arg(long = "audit-key", env = "LUOSHI_AUDIT_KEY")]
    pub file: Option<PathBuf>,
}

impl AuditKeyArg {
    fn load(&self) -> Result<Option<luoshi_app::checkpoint::SigningKey>, Error> {
        self.file
            .as_deref()
            .map(luoshi_app::checkpoint::read_signing_key)
            .transpose()
    }
}

#[derive(Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist).
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArg,
}

pub fn fail(e: &Error) -> ExitCode {
    match e.kind {
        ErrorKind::Internal => {
            eprintln!("错误 [{}]: {}", e.code, e.message);
            ExitCode::FAILURE
        }
        _ => bad_input(e.code, &e.message),
    }
}

fn open(db: &DbArg) -> Result<Arc<App>, Error> {
    Ok(App::new(luoshi_app::connect(&db.db)?))
}

fn load_registry(path: Option<&PathBuf>) -> Result<luoshi_gazette::registry::Registry, Error> {
    use luoshi_gazette::registry::Registry;
    match path {
        // A bundled registry by name (`guowuyuan`, `none`), else a TOML file.
        Some(p) => match p.to_str().and_then(Registry::bundled_named) {
            Some(bundled) => Ok(bundled),
            None => Registry::from_toml_str(&read_utf8(p)?).map_err(|e| {
                Error::bad_input("E_REGISTRY", format!("单位名录 {} 有误: {e}", p.display()))
            }),
        },
        None => Ok(luoshi_gazette::registry::Registry::bundled()),
    }
}

fn read_password(given: Option<String>) -> Result<String, Error> {
    if let Some(p) = given {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::bad_input("E_PASSWORD", format!("无法读取密码: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn read_utf8(path: &PathBuf) -> Result<String, Error> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::bad_input("E_READ", format!("无法读取文件 {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::bad_input(
            "E_UTF8",
            format!(
                "{} 不是有效的 UTF-8 文本（第 {} 字节处出错）",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// A gazette file as text, whatever form it came in (see `luoshi-intake`).
fn read_text(path: &PathBuf, encoding: Option<&str>) -> Result<String, Error> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::bad_input("E_READ", format!("无法读取文件 {}: {e}", path.display())))?;
    let name = path.file_name().and_then(|n| n.to_str());
    luoshi_intake::decode(&bytes, name, encoding)
        .map(|d| d.text)
        .map_err(|e| Error::bad_input(e.code(), format!("{}: {e}", path.display())))
}

pub fn serve(args: ServeArgs) -> ExitCode {
    luoshi_web::init_logging(if args.log_format == "json" {
        luoshi_web::LogFormat::Json
    } else {
        luoshi_web::LogFormat::Text
    });
    if let Some(font) = &args.cjk_font {
        std::env::set_var(luoshi_app::health::pdf::FONT_ENV, font);
    }
    let today = args
        .today
        .or_else(|| args.demo.then(demo::supervision::demo_today));
    let delivery = DeliveryConfig {
        smtp: args.smtp_url.clone().map(|url| SmtpConfig {
            url,
            from: args.smtp_from.clone(),
        }),
        webhook: args.webhook_url.clone(),
    };
    let app = match load_registry(args.registry.as_ref()).and_then(|r| {
        Ok(App::configure(
            luoshi_app::connect(&args.db.db)?,
            luoshi_app::Options {
                registry: Some(r),
                today,
                delivery,
                ..luoshi_app::Options::default()
            },
        ))
    }) {
        Ok(a) => a,
        Err(e) => return fail(&e),
    };
    if let Some(d) = today {
        println!("业务日期按 {d} 运行（模拟日期，用于演示和培训）。");
    }
    if args.demo {
        match demo::seed(&app) {
            Ok(Some((summary, accounts))) => {
                println!(
                    "已导入演示公报：{} 篇公文，{} 个条款，{} 项任务，{} 项行动。",
                    summary.documents, summary.clauses, summary.tasks, summary.actions
                );
                println!("演示账号（用户名 / 密码 / 角色）：");
                for a in &accounts {
                    println!(
                        "  {:<12} {}  {}",
                        a.user.username,
                        a.password,
                        a.user
                            .roles
                            .iter()
                            .map(|r| r.label())
                            .collect::<Vec<_>>()
                            .join("、")
                    );
                }
            }
            Ok(None) => println!(
                "数据库中已有账号，未重复创建演示数据。忘记密码可用 `luoshi user passwd 用户名` 重设。"
            ),
            Err(e) => return fail(&e),
        }
    }
    if !args.demo && app.counts().is_ok_and(|c| c.users == 0) {
        println!(
            "数据库中还没有账号：用 `luoshi user add admin --roles admin` 创建管理员，或用 --demo 启动演示。"
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&Error::internal(format!("无法启动运行时: {e}"))),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(&args.addr).await {
            Ok(l) => l,
            Err(e) => return bad_input("E_ADDR", format!("无法监听 {}: {e}", args.addr)),
        };
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or(args.addr);
        println!("落实已启动：http://{addr}/");
        let _ = std::io::stdout().flush();
        let worker = match Worker::start(
            app.clone(),
            WorkerConfig {
                scan_every: std::time::Duration::from_secs(args.scan_interval.max(1)),
                ..WorkerConfig::default()
            },
        ) {
            Ok(w) => w,
            Err(e) => return fail(&Error::internal(format!("无法启动后台任务: {e}"))),
        };
        let checkpoints = match &args.audit_checkpoint {
            Some(path) => match args.audit_key.load() {
                Ok(key) => Some(CheckpointWriter::start(
                    app.clone(),
                    path.clone(),
                    key,
                    std::time::Duration::from_secs(args.checkpoint_interval.max(1)),
                )),
                Err(e) => return fail(&e),
            },
            None => None,
        };
        let config = luoshi_web::WebConfig {
            secure_cookies: args.secure_cookies,
            trusted_proxies: args.trusted_proxy.clone(),
            limits: luoshi_web::Limits {
                header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout),
                max_connections: args.max_connections,
            },
            metrics_token: args.metrics_token.clone(),
        };
        // Ctrl-C or SIGTERM: stop accepting, finish the requests in flight, then the
        // checkpoint and the worker below stop in order.
        let served =
            luoshi_web::serve_until(app, listener, config, luoshi_web::shutdown_signal()).await;
        if let Some(c) = checkpoints {
            tokio::task::spawn_blocking(move || c.stop()).await.ok();
        }
        tokio::task::spawn_blocking(move || worker.stop())
            .await
            .ok();
        match served {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&Error::internal(format!("服务中断: {e}"))),
        }
    })
}

/// The server's periodic audit checkpoints: one at start, one every interval, one at shutdown.
/// A refusal (the chain no longer reaches the last checkpoint) is reported on stderr each time
/// and the old checkpoint is kept.
struct CheckpointWriter {
    stop: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl CheckpointWriter {
    fn start(
        app: Arc<App>,
        path: PathBuf,
        key: Option<luoshi_app::checkpoint::SigningKey>,
        every: std::time::Duration,
    ) -> CheckpointWriter {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let write = || {
                if let Err(e) = app.write_checkpoint(&path, key.as_ref()) {
                    eprintln!("审计锚点 [{}]: {}", e.code, e.message);
                }
            };
            loop {
                write();
                if !matches!(
                    stopped.recv_timeout(every),
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout)
                ) {
                    write();
                    return;
                }
            }
        });
        CheckpointWriter { stop, thread }
    }

    fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

pub fn import(args: ImportArgs) -> ExitCode {
    let run = || -> Result<luoshi_app::import::ImportSummary, Error> {
        let text = read_text(&args.file, args.encoding.as_deref())?;
        let registry = load_registry(args.registry.as_ref())?;
        let app = open(&args.db)?;
        let name = args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| args.file.display().to_string());
        // The bar is redrawn in place on a terminal. A log file or pipe gets plain lines
        // instead — the first document, each further tenth, the last — since a carriage-return
        // redraw per document would fill it with one unreadable line.
        let on_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let mut progress = |done: usize, total: usize| {
            if !on_terminal {
                let tenth = |n: usize| (n * 10).checked_div(total).unwrap_or(10);
                if done == 1 || done == total || tenth(done) != tenth(done.saturating_sub(1)) {
                    eprintln!("导入中 {done}/{total}");
                }
                return;
            }
            let width = 30;
            let filled = (done * width)
                .checked_div(total)
                .unwrap_or(width)
                .min(width);
            eprint!(
                "\r导入中 [{}{}] {done}/{total}",
                "#".repeat(filled),
                "-".repeat(width - filled)
            );
            if done == total {
                eprintln!();
            }
        };
        app.import_issue(&system_viewer(), &name, &text, &registry, &mut progress)
    };
    match run() {
        Ok(s) if s.already_imported => {
            println!(
                "此公报已导入过（编号 {}），未做任何更改。",
                s.issue_id.unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Ok(s) => {
            println!(
                "导入完成：公文 {}，条款 {}，任务 {}，行动 {}，单位变更 {}，指标 {}，目标 {}，名单 {}，表彰 {}，未识别 {}",
                s.documents, s.clauses, s.tasks, s.actions, s.units_changed, s.indicators, s.targets, s.rosters, s.commendations, s.unresolved
            );
            if !s.skipped.is_empty() {
                println!("已存在而跳过的公文：{}", s.skipped.join("、"));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

pub fn user(cmd: UserCommand) -> ExitCode {
    let run = || -> Result<String, Error> {
        match cmd {
            UserCommand::Add {
                username,
                roles,
                name,
                unit,
                leader_name,
                password,
                db,
            } => {
                let parsed: Vec<Role> = roles
                    .split(',')
                    .map(|r| {
                        Role::parse(r.trim()).ok_or_else(|| {
                            Error::bad_input("E_ROLE_UNKNOWN", format!("未知角色: {r}"))
                        })
                    })
                    .collect::<Result<_, _>>()?;
                let password = read_password(password)?;
                let app = open(&db)?;
                let u = app.add_user(
                    "system",
                    NewUser {
                        display_name: name.unwrap_or_else(|| username.clone()),
                        username,
                        password,
                        unit_id: unit,
                        roles: parsed,
                        leader_name,
                    },
                )?;
                Ok(format!("已创建账号 {}（编号 {}）", u.username, u.id))
            }
            UserCommand::Passwd {
                username,
                password,
                db,
            } => {
                let password = read_password(password)?;
                let u = open(&db)?.set_password("system", &username, &password)?;
                Ok(format!("已为 {} 设置新密码", u.username))
            }
            UserCommand::Disable { username, db } => {
                let u = open(&db)?.disable_user("system", &username)?;
                Ok(format!("已停用账号 {}", u.username))
            }
            UserCommand::List { db } => {
                let list = open(&db)?.list_users(&system_viewer())?;
                Ok(list
                    .iter()
                    .map(|u| {
                        format!(
                            "{}\t{}\t{}\t{}\t{}",
                            u.username,
                            u.display_name,
                            luoshi_domain::User::roles_string(&u.roles),
                            u.unit_id.as_deref().unwrap_or("-"),
                            if u.disabled { "已停用" } else { "正常" }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"))
            }
        }
    };
    match run() {
        Ok(msg) => {
            println!("{msg}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

pub fn audit(cmd: AuditCommand) -> ExitCode {
    match cmd {
        AuditCommand::Verify {
            db,
            checkpoint,
            public_key,
        } => audit_verify(&db, checkpoint.as_deref(), public_key.as_deref()),
        AuditCommand::Checkpoint { db, out, key } => {
            match key
                .load()
                .and_then(|k| open(&db)?.write_checkpoint(&out, k.as_ref()))
            {
                Ok(c) => {
                    println!(
                        "已写入审计锚点 {}：第 {} 条，哈希 {}{}",
                        out.display(),
                        c.seq,
                        c.hash,
                        if c.signature.is_some() {
                            "（已签名）"
                        } else {
                            ""
                        }
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        AuditCommand::Keygen { file } => match luoshi_app::checkpoint::create_key_file(&file) {
            Ok(public) => {
                println!("已生成签名密钥 {}（请妥善保管）。", file.display());
                println!("验证公钥：{public}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
    }
}

fn audit_verify(db: &DbArg, checkpoint: Option<&Path>, public_key: Option<&str>) -> ExitCode {
    let run = || -> Result<(luoshi_app::audit::Verification, Option<BrokenLink>), Error> {
        let app = open(db)?;
        let checkpoint = checkpoint
            .map(luoshi_app::checkpoint::Checkpoint::read)
            .transpose()?;
        if let (Some(c), Some(k)) = (&checkpoint, public_key) {
            c.check_signature(&luoshi_app::checkpoint::parse_public_key(k)?)?;
        }
        let verification = app.verify_audit()?;
        let gap = match &checkpoint {
            Some(c) => app.checkpoint_gap(c)?,
            None => None,
        };
        Ok((verification, gap))
    };
    match run() {
        Ok((
            luoshi_app::audit::Verification {
                entries,
                broken: Some(b),
            },
            _,
        )) => {
            println!(
                "审计日志被改动：第 {} 条记录处断开（{}）。此前 {} 条记录完好。",
                b.seq, b.reason, entries
            );
            ExitCode::FAILURE
        }
        Ok((v, Some(gap))) => {
            println!(
                "审计日志被截断：{}。哈希链本身完好（{} 条记录）。",
                gap.reason, v.entries
            );
            ExitCode::FAILURE
        }
        Ok((v, None)) => {
            println!(
                "审计日志完整：{} 条记录，哈希链无断点{}。",
                v.entries,
                if checkpoint.is_some() {
                    "，仍到达审计锚点"
                } else {
                    ""
                }
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

pub fn backup(args: BackupArgs) -> ExitCode {
    match open(&args.db).and_then(|app| app.store.backup(&args.file).map_err(Error::from)) {
        Ok(()) => {
            println!("已备份到 {}", args.file.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
