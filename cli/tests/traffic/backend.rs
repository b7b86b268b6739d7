//! Backends inside the test process: plain HTTP, HTTPS and raw TLS servers on 127.0.0.x. Each
//! answers with its own name, the path it saw and every request header it received, so a test
//! can tell which backend answered and what HAProxy forwarded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

use crate::pki::Leaf;

/// What a backend speaks.
pub(crate) enum Kind {
    Http,
    Https(Arc<ServerConfig>),
    /// TLS that writes its name and closes (for passthrough).
    RawTls(Arc<ServerConfig>),
    /// Whatever the client speaks: plain HTTP; TLS with HTTP inside (reencrypt, or HTTPS
    /// passed through); or TLS that sends nothing, which gets the name and a close (raw
    /// passthrough). For pods that routes of several terminations share.
    Sniff(Arc<ServerConfig>),
}

/// A running backend; it stops accepting when dropped.
pub(crate) struct Backend {
    pub(crate) addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

pub(crate) fn tls_config(leaf: &Leaf) -> Arc<ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs = vec![CertificateDer::from(leaf.cert_der.clone())];
    let key = PrivateKeyDer::Pkcs8(leaf.key_der.clone().into());
    let cfg = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    Arc::new(cfg)
}

/// Starts a backend named `name` on `ip` (a 127.0.0.x address), with `delay` before answering.
pub(crate) fn start(name: &str, ip: &str, kind: Kind, delay: Duration) -> Backend {
    let addr: SocketAddr = format!("{ip}:0").parse().expect("backend address");
    start_at(name, addr, kind, delay)
}

/// Starts a backend on exactly `addr`.
pub(crate) fn start_at(name: &str, addr: SocketAddr, kind: Kind, delay: Duration) -> Backend {
    let listener = TcpListener::bind(addr).expect("bind backend");
    let addr = listener.local_addr().expect("addr");
    let stop = Arc::new(AtomicBool::new(false));
    let (name, stop2) = (name.to_owned(), Arc::clone(&stop));
    let kind = Arc::new(kind);
    thread::spawn(move || {
        for conn in listener.incoming() {
            if stop2.load(Ordering::SeqCst) {
                break;
            }
            let Ok(conn) = conn else { continue };
            let (name, kind) = (name.clone(), Arc::clone(&kind));
            thread::spawn(move || {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                match &*kind {
                    Kind::Http => serve_http(conn, &name, delay),
                    Kind::Https(cfg) => {
                        let Ok(tls) = ServerConnection::new(Arc::clone(cfg)) else { return };
                        serve_http(StreamOwned::new(tls, conn), &name, delay);
                    }
                    Kind::Sniff(cfg) => sniff(conn, cfg, &name),
                    Kind::RawTls(cfg) => {
                        let Ok(tls) = ServerConnection::new(Arc::clone(cfg)) else { return };
                        let mut s = StreamOwned::new(tls, conn);
                        let _ = s.write_all(format!("raw-tls-backend {name}\n").as_bytes());
                        let _ = s.flush();
                        s.conn.send_close_notify();
                        let _ = s.flush();
                    }
                }
            });
        }
    });
    Backend { addr, stop }
}

fn sniff(conn: TcpStream, cfg: &Arc<ServerConfig>, name: &str) {
    let mut first = [0u8; 1];
    if conn.peek(&mut first).unwrap_or(0) == 0 || first[0] != 0x16 {
        serve_http(conn, name, Duration::ZERO);
        return;
    }
    let Ok(tls) = ServerConnection::new(Arc::clone(cfg)) else { return };
    let _ = conn.set_read_timeout(Some(Duration::from_millis(300)));
    let mut reader = BufReader::new(StreamOwned::new(tls, conn));
    match reader.fill_buf() {
        Ok(b) if !b.is_empty() => {
            let _ = reader.get_ref().sock.set_read_timeout(Some(Duration::from_secs(10)));
            serve_http_buffered(reader, name, Duration::ZERO);
        }
        _ => {
            let mut s = reader.into_inner();
            let _ = s.write_all(format!("raw-tls-backend {name}\n").as_bytes());
            let _ = s.flush();
            s.conn.send_close_notify();
            let _ = s.flush();
        }
    }
}

fn serve_http<S: Read + Write>(stream: S, name: &str, delay: Duration) {
    serve_http_buffered(BufReader::new(stream), name, delay);
}

fn serve_http_buffered<S: Read + Write>(mut reader: BufReader<S>, name: &str, delay: Duration) {
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return; // a health check: connect and close
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        headers.push(line);
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("").to_owned();
    thread::sleep(delay);
    let body = headers.join("\n") + "\n";
    let resp = format!(
        "HTTP/1.1 200 OK\r\nX-Backend: {name}\r\nX-Seen-Path: {path}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = reader.into_inner();
    let _ = stream.write_all(resp.as_bytes());
    let _ = stream.flush();
}
