//! Clients on a real loopback socket that are slow or silent: the server closes them after
//! its (here short) timeouts and keeps answering everyone else.

use dyad_serve::{AppState, ServeConfig, router, serve_listener};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads until the server closes the connection (or 10 s pass); returns what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    while started.elapsed() < Duration::from_secs(10) {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) | Err(_) => break,
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

async fn healthz(address: std::net::SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("write");
    read_until_closed(&mut stream).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_silent_clients_are_cut_off() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("dyad.db");
    dyad_serve::synthetic::write_database(&db, 5, 1).expect("database");
    let config = ServeConfig {
        db,
        header_timeout: Duration::from_millis(300),
        request_timeout: Duration::from_secs(2),
        ..ServeConfig::default()
    };
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let app = router(AppState::open(config.clone()).expect("open"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        serve_listener(listener, app, &config, async {
            let _ = stopped.await;
        })
        .await
    });

    // Half a request head, then nothing: the connection is closed.
    let mut slow_head = TcpStream::connect(address).await.expect("connect");
    slow_head
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // A silent connection that never sends a byte.
    let mut silent = TcpStream::connect(address).await.expect("connect");
    // A body that stops after 10 of 100 bytes: 408.
    let mut slow_body = TcpStream::connect(address).await.expect("connect");
    slow_body
        .write_all(
            b"POST /api/code HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nThe Talib",
        )
        .await
        .expect("write");

    // Meanwhile everyone else is answered.
    assert!(healthz(address).await.starts_with("HTTP/1.1 200"));

    let (answer, waited) = read_until_closed(&mut slow_head).await;
    assert!(waited < Duration::from_secs(10), "slow head kept open");
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    let (answer, waited) = read_until_closed(&mut silent).await;
    assert!(
        waited < Duration::from_secs(10),
        "silent connection kept open: {answer}"
    );
    let (answer, _) = read_until_closed(&mut slow_body).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"request_timeout\""), "{answer}");

    assert!(healthz(address).await.starts_with("HTTP/1.1 200"));
    let _ = stop.send(());
    let stopped = tokio::time::timeout(Duration::from_secs(10), server).await;
    assert!(
        matches!(stopped, Ok(Ok(Ok(())))),
        "the server stops cleanly"
    );
}
