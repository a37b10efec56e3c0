//! Connection limits (issue 13, defect 7): a client that never finishes its request head is
//! cut off after the header-read timeout, an idle keep-alive connection after the idle
//! timeout, and beyond the connection cap new connections wait for a free slot (idle
//! connections are closed to make room) instead of exhausting file descriptors.

mod common;

use std::time::{Duration, Instant};

use common::Call;
use serde_json::json;
use tencent_cloud_emulator::Emulator;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; `None` if it is still open at `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
    .map(|()| started.elapsed())
}

/// A signed keep-alive request (no `Connection: close`).
fn keep_alive_request(emulator: &Emulator) -> Vec<u8> {
    let bytes = Call::new(emulator, "DescribePublicNetworkInstances", json!({})).to_bytes();
    String::from_utf8(bytes)
        .unwrap()
        .replace("Connection: close\r\n", "")
        .into_bytes()
}

/// Reads one response (head and Content-Length body) without waiting for the close.
async fn read_response(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = stream.read(&mut buffer).await.expect("readable");
        assert!(n > 0, "closed before a whole response: {received:?}");
        received.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .expect("a Content-Length");
            if received.len() >= end + 4 + length {
                return text.into_owned();
            }
        }
    }
}

#[tokio::test]
async fn a_slowloris_connection_is_closed_after_the_header_timeout() {
    let emulator = Emulator::builder()
        .header_read_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    // A head that is never finished, trickled a byte at a time.
    let mut slow = TcpStream::connect(emulator.local_addr()).await.unwrap();
    slow.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let trickle = async {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if slow.write_all(b"X").await.is_err() {
                break;
            }
        }
    };
    trickle.await;
    let closed = closed_within(&mut slow, Duration::from_secs(3)).await;
    assert!(closed.is_some(), "still open 5 s after the head began");
    // A connection that sends nothing at all is closed too.
    let mut silent = TcpStream::connect(emulator.local_addr()).await.unwrap();
    let closed = closed_within(&mut silent, Duration::from_secs(3)).await;
    assert!(closed.is_some(), "a silent connection is still open");
    // Normal requests are unaffected.
    Call::new(&emulator, "DescribePublicNetworkInstances", json!({}))
        .send()
        .await
        .ok();
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let emulator = Emulator::builder()
        .idle_timeout(Duration::from_millis(500))
        .header_read_timeout(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let mut stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    // Two requests on the same connection: it is kept alive between them.
    for _ in 0..2 {
        stream
            .write_all(&keep_alive_request(&emulator))
            .await
            .unwrap();
        let response = read_response(&mut stream).await;
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let closed = closed_within(&mut stream, Duration::from_secs(3))
        .await
        .expect("closed when idle");
    assert!(
        closed >= Duration::from_millis(200),
        "closed after {closed:?}"
    );
}

#[tokio::test]
async fn a_stalled_body_is_cut_off_after_the_idle_timeout() {
    let emulator = Emulator::builder()
        .idle_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap();
    let mut stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-TC-Action: Stalled\r\nContent-Length: 100\r\n\r\n{\"a\":")
        .await
        .unwrap();
    let closed = closed_within(&mut stream, Duration::from_secs(3)).await;
    assert!(
        closed.is_some(),
        "a body that stopped arriving still holds the connection"
    );
    let logged = emulator.requests();
    assert_eq!(logged.len(), 1);
    assert_eq!(
        (logged[0].action.as_str(), logged[0].http_status),
        ("Stalled", None)
    );
}

#[tokio::test]
async fn beyond_the_cap_connections_wait_and_are_served_when_a_slot_frees() {
    let emulator = Emulator::builder()
        .max_connections(2)
        .header_read_timeout(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let addr = emulator.local_addr();
    // Two connections in the middle of their heads take both slots.
    let mut holders = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        holders.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let request = Call::new(&emulator, "DescribePublicNetworkInstances", json!({})).to_bytes();
    let waiting = tokio::spawn(async move { common::send_raw(addr, &request).await });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !waiting.is_finished(),
        "a third connection was served beyond the cap of 2"
    );
    drop(holders.pop());
    let response = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("served once a slot freed")
        .unwrap()
        .expect("answered");
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn at_the_cap_idle_connections_make_room() {
    let emulator = Emulator::builder()
        .max_connections(2)
        .idle_timeout(Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    // Two keep-alive connections, idle after one request each, fill the cap.
    let mut idle = Vec::new();
    for _ in 0..2 {
        let mut stream = TcpStream::connect(emulator.local_addr()).await.unwrap();
        stream
            .write_all(&keep_alive_request(&emulator))
            .await
            .unwrap();
        read_response(&mut stream).await;
        idle.push(stream);
    }
    // A new client does not wait the minute out: an idle connection is closed for it.
    let started = Instant::now();
    let response = Call::new(&emulator, "DescribePublicNetworkInstances", json!({}))
        .send()
        .await;
    assert_eq!(response.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
