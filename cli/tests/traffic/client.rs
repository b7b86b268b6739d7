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

/// Accepts any server certificate: the agreement test checks routing, not trust.
#[derive(Debug)]
struct AnyCert(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCert {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A TLS client that trusts any certificate.
pub(crate) fn any_cert_client() -> Arc<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCert(provider)))
        .with_no_client_auth();
    Arc::new(cfg)
}

/// What a request got: a response, a raw TLS backend's greeting, or a closed connection.
#[derive(Debug)]
pub(crate) enum Got {
    Http(Response),
    Raw(String),
    Closed,
}

/// Sends one request the way `routec explain` describes it: `scheme` http/https/tls, the SNI
/// (`None`: none, by connecting with an IP address as the server name), the Host header, the
/// path, extra headers and the source address.
#[allow(clippy::too_many_arguments, reason = "one request's parts")]
pub(crate) fn send(
    http: SocketAddr,
    https: SocketAddr,
    scheme: &str,
    sni: Option<&str>,
    host: &str,
    path: &str,
    extra: &[(&str, &str)],
    from: Option<&str>,
    cfg: &Arc<ClientConfig>,
) -> Got {
    let closed = |_: String| Got::Closed;
    if scheme == "http" {
        return get(http, host, path, extra, from).map_or_else(closed, Got::Http);
    }
    let name = match sni {
        Some(n) => ServerName::try_from(n.to_owned()).map_err(|e| e.to_string()),
        None => Ok(ServerName::IpAddress(std::net::IpAddr::from([127, 0, 0, 1]).into())),
    };
    let run = || -> Result<Got, String> {
        let conn = ClientConnection::new(Arc::clone(cfg), name?).map_err(|e| e.to_string())?;
        let tcp = connect(https, from).map_err(|e| e.to_string())?;
        let mut s = StreamOwned::new(conn, tcp);
        if scheme == "https" {
            s.write_all(request_text(host, path, extra).as_bytes()).map_err(|e| e.to_string())?;
        }
        let mut raw = Vec::new();
        match s.read_to_end(&mut raw) {
            Ok(_) => {}
            Err(e) if !raw.is_empty() && e.kind() == std::io::ErrorKind::UnexpectedEof => {}
            Err(e) => return Err(e.to_string()),
        }
        let peer = s.conn.peer_certificates().and_then(|c| c.first()).map(|c| c.to_vec());
        if scheme == "tls" || raw.starts_with(b"raw-tls-backend ") {
            return Ok(Got::Raw(String::from_utf8_lossy(&raw).into_owned()));
        }
        parse(&raw).map(|mut r| {
            r.peer_cert = peer;
            Got::Http(r)
        })
    };
    run().unwrap_or_else(closed)
}
