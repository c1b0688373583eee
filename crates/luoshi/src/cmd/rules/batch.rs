//! `luoshi rules eval --batch`: the input in chunks of whole lines, each decided on every core
//! ([`Batch::feed_into`]), the output written by a writer thread while the next chunk is decided.
//!
//! A regular input file is mapped into memory (`memmap2`) and cut into chunks in place: no copy
//! of the input through `read`, no carrying of partial lines. Standard input, pipes and anything
//! that cannot be mapped are read by a reader thread into reused buffers instead, so the three
//! stages (read, decide, write) still overlap.

use luoshi_rules::batch::{Batch, InputFormat};
use luoshi_rules::{Engine, Style};
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

/// Bytes per chunk: large enough that both cores get a long run of lines (thousands), small
/// enough that the chunk and its output stay in the cores' caches and that reading, deciding and
/// writing overlap from the start to the end. Measured on 1,000,000 lines: against 8 MB chunks, a
/// quarter of the page faults (the output buffers in flight are smaller) and less system time;
/// against 1 MB chunks, half the thread starts and hand-overs, which with other work on the
/// cores took the median from 0.37 s to 0.23 s (docs/ARCHITECTURE.md).
const CHUNK_BYTES: usize = 1 << 21;

/// Where the batch input comes from.
pub enum Input {
    /// An opened input file (mapped when it is a regular file).
    File(std::fs::File),
    /// Standard input, or any other stream.
    Stream(Box<dyn Read + Send>),
}

/// Read `reader` in chunks of whole lines and send them (the last one may lack its line break);
/// buffers come back through `free` for reuse.
fn read_chunks(
    mut reader: Box<dyn Read + Send>,
    chunks: SyncSender<std::io::Result<Vec<u8>>>,
    free: Receiver<Vec<u8>>,
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

/// The chunks of a mapped input: about [`CHUNK_BYTES`] each, cut after a line break.
fn mapped_chunks(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = if rest.len() <= CHUNK_BYTES {
            rest.len()
        } else {
            memchr::memchr(b'\n', &rest[CHUNK_BYTES..]).map_or(rest.len(), |i| CHUNK_BYTES + i + 1)
        };
        let (chunk, after) = rest.split_at(end);
        rest = after;
        Some(chunk)
    })
}

/// Map a regular file; `None` when it is not one or cannot be mapped (then it is read instead).
fn map(file: &std::fs::File) -> Option<memmap2::Mmap> {
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    // SAFETY: the map is only read, and only while this command runs. As with every tool that
    // maps its input (ripgrep does the same), a file truncated by another process meanwhile may
    // end the process with SIGBUS; a file changed meanwhile gives some lines' old or new text.
    // Not populated up front: that maps every page on one thread before any work starts; the
    // deciding threads fault their own chunks in instead (the kernel maps 16 pages a fault).
    let map = unsafe { memmap2::MmapOptions::new().map(file) }.ok()?;
    let _ = map.advise(memmap2::Advice::Sequential);
    Some(map)
}

/// The deciding stage: each chunk decided into output buffers (reused once the writer is done
/// with them) and handed to the writer.
struct Decider<'a> {
    batch: Batch<'a>,
    written: SyncSender<Vec<Vec<u8>>>,
    spent: Receiver<Vec<Vec<u8>>>,
}

impl Decider<'_> {
    /// Decide one chunk; `Err` stops the batch with that exit code, `Ok(false)` when the writer
    /// stopped (its error is reported when it is joined).
    fn decide(&mut self, chunk: &[u8]) -> Result<bool, ExitCode> {
        let mut outs = self.spent.try_recv().unwrap_or_default();
        if let Err(e) = self.batch.feed_into(chunk, &mut outs) {
            return Err(super::super::bad_input(e.code(), e));
        }
        Ok(self.written.send(outs).is_ok())
    }
}

/// Decide every chunk of `input`, reading it on its own thread unless it is mapped.
fn decide_all(decider: &mut Decider<'_>, input: Input) -> Result<(), ExitCode> {
    let stream = match input {
        Input::File(file) => match map(&file) {
            Some(mapped) => {
                for chunk in mapped_chunks(&mapped) {
                    if !decider.decide(chunk)? {
                        break;
                    }
                }
                return Ok(());
            }
            None => Box::new(file) as Box<dyn Read + Send>,
        },
        Input::Stream(reader) => reader,
    };
    let (chunk_tx, chunk_rx) = sync_channel(1);
    let (free_tx, free_rx): (Sender<Vec<u8>>, _) = channel();
    std::thread::scope(|s| {
        s.spawn(move || read_chunks(stream, chunk_tx, free_rx));
        for chunk in chunk_rx {
            let chunk = chunk
                .map_err(|e| super::super::bad_input("E_READ", format!("读取输入失败：{e}")))?;
            if !decider.decide(&chunk)? {
                break;
            }
            let _ = free_tx.send(chunk);
        }
        Ok(())
    })
}

/// Run the batch: one output line per input line on standard output, the counts on standard
/// error; exit code 2 when any line was in error.
pub fn eval_batch(
    engine: &Engine,
    name: &str,
    input: Input,
    format: InputFormat,
    style: Style,
    row_by_row: bool,
) -> ExitCode {
    let batch = match Batch::new(engine, name, format, style) {
        Ok(b) if row_by_row => b.row_by_row(),
        Ok(b) => b,
        Err(e) => return super::super::bad_input(e.code(), e),
    };
    let (out_tx, out_rx) = sync_channel::<Vec<Vec<u8>>>(1);
    let (spent_tx, spent_rx) = channel::<Vec<Vec<u8>>>();
    let mut decider = Decider {
        batch,
        written: out_tx,
        spent: spent_rx,
    };
    let result: Result<(), ExitCode> = std::thread::scope(|s| {
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
        let decided = decide_all(&mut decider, input);
        // Closing the channel ends the writer.
        let (dummy_tx, _) = sync_channel(0);
        drop(std::mem::replace(&mut decider.written, dummy_tx));
        let written = writer.join().expect("the writer thread does not panic");
        match (decided, written) {
            (Err(code), _) => Err(code),
            (Ok(()), Err(_)) => Err(ExitCode::FAILURE),
            (Ok(()), Ok(())) => Ok(()),
        }
    });
    if let Err(code) = result {
        return code;
    }
    let counts = decider.batch.counts();
    eprintln!(
        "共{}行：成功{}行，错误{}行",
        counts.ok + counts.bad,
        counts.ok,
        counts.bad
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
        ExitCode::from(super::super::EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}
