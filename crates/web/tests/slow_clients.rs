//! Slow clients (慢速客户端): a thousand connections that dribble a request line cannot hold
//! the server open, and a normal visitor is served meanwhile. Real TCP against the real
//! server; time bounds are generous (the machine may be busy), ordering is what is asserted.

use luoshi_web::{Limits, WebConfig};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod support;

/// A server with these limits on a fresh SQLite database; its address and runtime.
fn start(name: &str, limits: Limits) -> (SocketAddr, tokio::runtime::Runtime) {
    let server = support::serve(
        support::fresh_app(&format!("slow-{name}")),
        WebConfig {
            limits,
            ..WebConfig::default()
        },
    );
    (server.addr, server.rt)
}

/// Room for a thousand client sockets and the server's thousand (a default soft limit of
/// 1,024 descriptors would make this test about the operating system instead).
fn raise_file_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain system calls on a struct we own.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < 8192 {
            limit.rlim_cur = limit.rlim_max.min(8192);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// One slow client: sends a partial request line, then one more byte every 200 ms. Returns
/// when it sent its first bytes and when the server closed the connection (`None` if it was
/// still open after `give_up`). `connected` hears when the first bytes are sent.
async fn dribble(
    addr: SocketAddr,
    give_up: Duration,
    connected: tokio::sync::mpsc::UnboundedSender<()>,
) -> Option<(Instant, Instant)> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /?slow=").await.unwrap();
    let started = Instant::now();
    let _ = connected.send(());
    let mut buf = [0u8; 512];
    while started.elapsed() < give_up {
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) | Err(_) => return Some((started, Instant::now())),
                // A response (e.g. 408) before the close is fine; keep reading to the close.
                Ok(_) => continue,
            },
            () = tokio::time::sleep(Duration::from_millis(200)) => {
                if stream.write_all(b"x").await.is_err() {
                    return Some((started, Instant::now()));
                }
            }
        }
    }
    None
}

/// A normal visitor: the front page, answered 200.
fn visit(addr: SocketAddr) -> u16 {
    let response = ureq::get(&format!("http://{addr}/"))
        .timeout(Duration::from_secs(120))
        .call();
    match response {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("the normal visitor got no answer: {e}"),
    }
}

#[test]
fn a_thousand_slow_clients_are_cut_off_and_a_visitor_is_served_meanwhile() {
    raise_file_limit();
    let timeout = Duration::from_secs(4);
    let (addr, rt) = start(
        "thousand",
        Limits {
            header_read_timeout: timeout,
            ..Limits::default()
        },
    );
    // Left alone, each would dribble for a minute; the server must close them long before.
    let give_up = Duration::from_secs(60);
    let (connected, mut ready) = tokio::sync::mpsc::unbounded_channel();
    let mut slow = Vec::new();
    // In waves of 100, as a real crowd arrives (a thousand SYNs in the same millisecond
    // would test the kernel's listen queue instead of the server).
    for _ in 0..10 {
        for _ in 0..100 {
            slow.push(rt.spawn(dribble(addr, give_up, connected.clone())));
        }
        rt.block_on(async {
            for _ in 0..100 {
                ready.recv().await.unwrap();
            }
        });
    }
    // All thousand are connected and dribbling; a visitor arrives.
    let visited = rt.block_on(async {
        tokio::task::spawn_blocking(move || (visit(addr), Instant::now()))
            .await
            .unwrap()
    });
    assert_eq!(visited.0, 200, "the visitor was not served");
    let slow: Vec<(Instant, Instant)> = rt.block_on(async {
        let mut all = Vec::new();
        for s in slow {
            match s.await.unwrap() {
                Some(span) => all.push(span),
                None => panic!("a slow client was still connected after {give_up:?}"),
            }
        }
        all
    });
    assert_eq!(slow.len(), 1000);
    let lifetimes: Vec<Duration> = slow.iter().map(|(from, to)| *to - *from).collect();
    let shortest = lifetimes.iter().min().unwrap();
    let longest = lifetimes.iter().max().unwrap();
    // Not before the timeout (the server's clock starts after the client's), and well within
    // three times it.
    assert!(
        *shortest >= timeout.mul_f32(0.9),
        "closed too early: {shortest:?}"
    );
    assert!(*longest <= timeout * 3, "closed too late: {longest:?}");
    // The visitor was answered while slow clients were still connected: it did not wait for
    // them to go.
    let still_open = slow
        .iter()
        .filter(|(_, closed)| *closed > visited.1)
        .count();
    assert!(
        still_open > 0,
        "the visitor was answered only after every slow client left"
    );
}

#[test]
fn at_the_connection_cap_new_visitors_wait_for_a_slot() {
    let timeout = Duration::from_secs(3);
    let cap = 8;
    let (addr, rt) = start(
        "cap",
        Limits {
            header_read_timeout: timeout,
            max_connections: cap,
        },
    );
    let started = Instant::now();
    let (connected, mut ready) = tokio::sync::mpsc::unbounded_channel();
    let slow: Vec<_> = (0..cap)
        .map(|_| rt.spawn(dribble(addr, Duration::from_secs(60), connected.clone())))
        .collect();
    // The slow clients are ahead in the accept queue (it is first come, first served).
    rt.block_on(async {
        for _ in 0..cap {
            ready.recv().await.unwrap();
        }
    });
    let status = visit(addr);
    let waited = started.elapsed();
    assert_eq!(status, 200);
    // Every slot was held by a slow client: the visitor could only be accepted once the
    // header-read timeout freed one.
    assert!(
        waited >= timeout.mul_f32(0.9),
        "served after {waited:?}, before any slot could free"
    );
    assert!(
        waited <= timeout * 3 + Duration::from_secs(10),
        "{waited:?}"
    );
    rt.block_on(async {
        for s in slow {
            assert!(s.await.unwrap().is_some());
        }
    });
}
