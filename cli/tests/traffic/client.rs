//! A small HTTP/1.1 client for the tests: plain or TLS (with SNI and a trusted CA), optionally
//! from a chosen loopback source address, with a time limit on every request.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use socket2::{Domain, Socket, Type};

const LIMIT: Duration = Duration::from_secs(5);

/// A parsed response.
#[derive(Debug, Default)]
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
    /// The certificate the server presented (TLS only).
    pub(crate) peer_cert: Option<Vec<u8>>,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub(crate) fn backend(&self) -> &str {
        self.header("X-Backend").unwrap_or("")
    }

    /// Request header lines the backend received with this name (case-insensitive).
    pub(crate) fn seen(&self, name: &str) -> Vec<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.body
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l.split_once(':').map_or("", |(_, v)| v).trim().to_owned())
            .collect()
    }
}

fn connect(to: SocketAddr, from: Option<&str>) -> std::io::Result<TcpStream> {
    let sock = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    if let Some(ip) = from {
        let addr: SocketAddr = format!("{ip}:0").parse().expect("source address");
        sock.bind(&addr.into())?;
    }
    sock.connect_timeout(&to.into(), LIMIT)?;
    let s: TcpStream = sock.into();
    s.set_read_timeout(Some(LIMIT))?;
    s.set_write_timeout(Some(LIMIT))?;
    Ok(s)
}

fn request_text(host: &str, path: &str, extra: &[(&str, &str)]) -> String {
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in extra {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req
}

fn parse(raw: &[u8]) -> Result<Response, String> {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| format!("no complete response: {text:?}"))?;
    let mut lines = head.split("\r\n");
    let status =
        lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).ok_or("bad status line")?;
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
    Ok(Response { status, headers, body: body.to_owned(), peer_cert: None })
}

/// A plain HTTP GET through `to`.
pub(crate) fn get(
    to: SocketAddr,
    host: &str,
    path: &str,
    extra: &[(&str, &str)],
    from: Option<&str>,
) -> Result<Response, String> {
    let mut s = connect(to, from).map_err(|e| e.to_string())?;
    s.write_all(request_text(host, path, extra).as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    parse(&raw)
}

pub(crate) fn tls_client(ca_der: &[u8]) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from(ca_der.to_vec())).expect("CA");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(cfg)
}

fn tls_stream(
    to: SocketAddr,
    sni: &str,
    cfg: &Arc<ClientConfig>,
) -> Result<StreamOwned<ClientConnection, TcpStream>, String> {
    let name = ServerName::try_from(sni.to_owned()).map_err(|e| e.to_string())?;
    let conn = ClientConnection::new(Arc::clone(cfg), name).map_err(|e| e.to_string())?;
    let tcp = connect(to, None).map_err(|e| e.to_string())?;
    Ok(StreamOwned::new(conn, tcp))
}

/// An HTTPS GET through `to`, with SNI `host`.
pub(crate) fn get_tls(to: SocketAddr, host: &str, path: &str, cfg: &Arc<ClientConfig>) -> Result<Response, String> {
    let mut s = tls_stream(to, host, cfg)?;
    s.write_all(request_text(host, path, &[]).as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    match s.read_to_end(&mut raw) {
        Ok(_) => {}
        // HAProxy may close without close_notify after a complete response.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => {}
        Err(e) => return Err(e.to_string()),
    }
    let mut r = parse(&raw)?;
    r.peer_cert = s.conn.peer_certificates().and_then(|c| c.first()).map(|c| c.to_vec());
    Ok(r)
}

/// Opens TLS with SNI `host` and returns what the server sent, plus its certificate.
pub(crate) fn raw_tls(to: SocketAddr, host: &str, cfg: &Arc<ClientConfig>) -> Result<(String, Vec<u8>), String> {
    let mut s = tls_stream(to, host, cfg)?;
    let mut raw = Vec::new();
    match s.read_to_end(&mut raw) {
        Ok(_) => {}
        Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => {}
        Err(e) => return Err(e.to_string()),
    }
    let cert = s.conn.peer_certificates().and_then(|c| c.first()).map(|c| c.to_vec()).unwrap_or_default();
    Ok((String::from_utf8_lossy(&raw).into_owned(), cert))
}
