//! The fixed-response loopback server of `cargo xtask bench e2e`.
//!
//! Answers every request, after reading its whole body, with the ReleasePublicIp success
//! envelope. It verifies nothing (no signature, no header, no body check): it exists to cost
//! the clients as little as possible, and runs as its own process so that its CPU time is not
//! counted as theirs.
//!
//! Prints `listening on 127.0.0.1:<port>`, then serves until its stdin closes: the harness
//! holds the pipe open, so the server never outlives it.

use std::convert::Infallible;
use std::io;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

const SUCCESS: &[u8] = br#"{"Response":{"RequestId":"6f1e3a2c-0d3b-4a8e-9a51-3c2d1b0a9f87"}}"#;

// One thread: a request is served without a hand-off between threads, and one core answers
// this fixed response faster than both Rust clients call at concurrency 64 (measured: more
// requests/s for every client than with a thread per core).
#[tokio::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    std::thread::spawn(|| {
        // Any outcome (EOF or a read error) means the harness is gone.
        let _ = io::copy(&mut io::stdin(), &mut io::sink());
        std::process::exit(0);
    });
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on {}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        stream.set_nodelay(true)?;
        tokio::spawn(async move {
            // A client closing its connections at exit is not worth reporting.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service_fn(answer))
                .await;
        });
    }
}

async fn answer(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    // Reading the body is part of serving a request; a broken one still gets the answer.
    let _ = request.into_body().collect().await;
    let mut response = Response::new(Full::new(Bytes::from_static(SUCCESS)));
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    Ok(response)
}
