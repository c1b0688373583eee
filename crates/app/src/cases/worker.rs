//! The background worker (后台任务) inside `serve`: scans clocks for reminders and delivers
//! the outbox, on a plain thread (the store is synchronous). Several servers may run it on one
//! database: reminders are queued once by key and a message is claimed by one worker.

use crate::App;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often the worker does what.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// This process's name in the delivery record (host and process id by default).
    pub name: String,
    pub scan_every: Duration,
    pub deliver_every: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            name: format!("luoshi-{}", std::process::id()),
            scan_every: Duration::from_secs(60),
            deliver_every: Duration::from_secs(5),
        }
    }
}

/// A running worker; stops (after its current round) when dropped or [`Worker::stop`]ped.
pub struct Worker {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Start the worker for `app`.
    pub fn start(app: Arc<App>, config: WorkerConfig) -> std::io::Result<Worker> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("luoshi-worker".into())
            .spawn(move || run(&app, &config, &flag))?;
        Ok(Worker {
            stop,
            thread: Some(thread),
        })
    }

    /// Stop after the current round and wait for it.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.halt();
    }
}

fn run(app: &App, config: &WorkerConfig, stop: &AtomicBool) {
    let mut next_scan = Instant::now();
    let mut next_delivery = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        if now >= next_scan {
            if let Err(e) = app.scan_clocks() {
                eprintln!("luoshi-worker: 时限扫描失败: {e}");
            }
            // The scan reads every open clock (hundreds of thousands after large imports)
            // and frees them: hand that memory back rather than keep it until the next scan.
            crate::memory::release_free_memory();
            next_scan = now + config.scan_every;
        }
        if now >= next_delivery {
            loop {
                match app.deliver_outbox(&config.name, 100) {
                    Ok(round) if round.claimed > 0 && !stop.load(Ordering::Relaxed) => continue,
                    Ok(_) => break,
                    Err(e) => {
                        eprintln!("luoshi-worker: 通知发送失败: {e}");
                        break;
                    }
                }
            }
            next_delivery = now + config.deliver_every;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
