//! Test support (测试工具) shared by Luoshi's test suites: real peer services started for one
//! test and stopped when it ends. Used only as a dev-dependency.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::Duration;

/// A real SMTP server (Debian's `python3-aiosmtpd`, run with the system's own Python) that
/// writes every message it receives to a Maildir; stopped when dropped.
pub struct Smtp {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Smtp {
    /// Start the server on a free local port and wait until it accepts connections.
    pub fn start() -> Smtp {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free local port")
            .port();
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .spawn()
            .expect("python3-aiosmtpd (Debian package) must be installed: .ci/run installs it");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Smtp { child, port, dir };
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on port {port}");
    }

    /// The URL Luoshi's `--smtp-url` takes for this server.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, as raw text.
    pub fn received(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let folder: PathBuf = self.dir.path().join("mail").join(sub);
            if let Ok(entries) = std::fs::read_dir(folder) {
                for e in entries.flatten() {
                    out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }

    /// Wait (up to `seconds`) until at least `n` messages have arrived; returns them.
    pub fn wait_for(&self, n: usize, seconds: u64) -> Vec<String> {
        for _ in 0..seconds * 10 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.received()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
