//! `luoshi gazette parse FILE` as the command runs it (read the file, check UTF-8 with
//! `simdutf8` as `luoshi-intake` does, write the JSON to stdout, mimalloc), without building the whole application: a profiling harness for
//! the reader (`cargo build --release -p luoshi-gazette --example parse_json`, then
//! `perf record target/release/examples/parse_json FILE > /dev/null`).

use std::io::Write;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::io::Result<()> {
    let path = std::env::args_os().nth(1).expect("usage: parse_json FILE");
    let bytes = std::fs::read(path)?;
    let text = simdutf8::basic::from_utf8(&bytes).map_err(std::io::Error::other)?;
    let registry = luoshi_gazette::Registry::bundled();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    luoshi_gazette::parse_to_json(text, &registry, &mut out)?;
    writeln!(out)?;
    out.flush()
}
