//! The request to explain: a URL (`http://`, `https://` or `tls://`), the SNI the client sends,
//! its source address and extra headers, parsed into what HAProxy's fetches read.

use std::net::IpAddr;

use miette::{LabeledSpan, SourceSpan};
use thiserror::Error;

/// How the client connects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP.
    Http,
    /// HTTP over TLS.
    Https,
    /// Raw TLS with SNI (a passthrough database client, say): no HTTP request inside that
    /// HAProxy could read.
    Tls,
}

impl Scheme {
    /// The URL scheme's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Tls => "tls",
        }
    }

    /// True when the connection starts with a TLS ClientHello.
    pub fn is_tls(self) -> bool {
        self != Scheme::Http
    }
}

/// Which SNI the client sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Sni {
    /// The URL's host, as browsers and curl do.
    #[default]
    FromHost,
    /// This name.
    Name(String),
    /// None at all (an old client, or a connection by IP address).
    Omit,
}

/// A parsed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The URL as given.
    pub url: String,
    /// Scheme.
    pub scheme: Scheme,
    /// The host as written (the `Host` header's value without its port, unless a header
    /// overrides it).
    pub host: String,
    /// The port connected to, when the URL names one; otherwise the router's bind port is used.
    pub port: Option<u16>,
    /// The path ("/" when the URL has none).
    pub path: String,
    /// The query, without `?`.
    pub query: Option<String>,
    /// The SNI sent.
    pub sni: Option<String>,
    /// The client's address, when given.
    pub client_ip: Option<IpAddr>,
    /// Request headers in order; `Host` is first.
    pub headers: Vec<(String, String)>,
}

/// A request that cannot be explained.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// Not a URL routec understands.
    #[error("{message}")]
    BadUrl {
        /// What is wrong.
        message: String,
        /// The fix.
        help: String,
        /// The URL.
        src: String,
        /// Where in it.
        at: SourceSpan,
    },
    /// A `--client-ip` that is not an address.
    #[error("`{0}` is not an IP address")]
    BadClientIp(String),
    /// A `--header` that is not `Name: value`.
    #[error("`{0}` is not a header")]
    BadHeader(String),
}

impl miette::Diagnostic for RequestError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(match self {
            RequestError::BadUrl { .. } => "routec::explain::bad-url",
            RequestError::BadClientIp(_) => "routec::explain::bad-client-ip",
            RequestError::BadHeader(_) => "routec::explain::bad-header",
        }))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(match self {
            RequestError::BadUrl { help, .. } => Box::new(help.as_str()),
            RequestError::BadClientIp(_) => Box::new("give an IPv4 or IPv6 address, e.g. 10.0.0.5"),
            RequestError::BadHeader(_) => Box::new("write headers as 'Name: value'"),
        })
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match self {
            RequestError::BadUrl { src, .. } => Some(src),
            _ => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match self {
            RequestError::BadUrl { at, .. } => {
                Some(Box::new(std::iter::once(LabeledSpan::new_with_span(Some("here".into()), *at))))
            }
            _ => None,
        }
    }
}

fn bad(url: &str, at: std::ops::Range<usize>, message: impl Into<String>, help: impl Into<String>) -> RequestError {
    RequestError::BadUrl {
        message: message.into(),
        help: help.into(),
        src: url.to_owned(),
        at: (at.start, at.end.saturating_sub(at.start)).into(),
    }
}

fn forbidden(c: char) -> bool {
    c.is_control() || c == ' '
}

/// Parses `url` with the client options.
pub fn parse(url: &str, sni: &Sni, client_ip: Option<&str>, headers: &[String]) -> Result<Request, RequestError> {
    if let Some(k) = url.find(forbidden) {
        return Err(bad(url, k..k + 1, "the URL holds a blank or control character", "percent-encode it"));
    }
    let (scheme, rest, off) = match url.split_once("://") {
        Some((s, r)) => {
            let scheme = match s.to_ascii_lowercase().as_str() {
                "http" => Scheme::Http,
                "https" => Scheme::Https,
                "tls" => Scheme::Tls,
                _ => {
                    return Err(bad(
                        url,
                        0..s.len(),
                        format!("unknown scheme `{s}`"),
                        "use http://, https:// or tls://",
                    ));
                }
            };
            (scheme, r, s.len() + 3)
        }
        None => {
            return Err(bad(url, 0..url.len(), "the URL has no scheme", format!("write http://{url} or https://{url}")))
        }
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let tail = &rest[end..];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = split_port(authority).map_err(|m| bad(url, off..off + end, m, "write host or host:port"))?;
    if host.is_empty() {
        return Err(bad(url, off..off + end.max(1), "the URL has no host", "write scheme://host/path"));
    }
    let tail = tail.split('#').next().unwrap_or_default();
    let (path, query) = match tail.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (tail, None),
    };
    if scheme == Scheme::Tls && (!path.is_empty() || query.is_some()) {
        return Err(bad(url, off + end..url.len(), "a tls:// URL has no path", "write tls://host:port"));
    }
    let path = if path.is_empty() { "/".to_owned() } else { path.to_owned() };
    let client_ip = match client_ip {
        Some(ip) => Some(ip.parse::<IpAddr>().map_err(|_| RequestError::BadClientIp(ip.to_owned()))?),
        None => None,
    };
    let host_header = match port {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    };
    let mut hdrs = vec![("Host".to_owned(), host_header)];
    for h in headers {
        let (k, v) = h.split_once(':').ok_or_else(|| RequestError::BadHeader(h.clone()))?;
        let (k, v) = (k.trim(), v.trim());
        if k.is_empty() || k.contains(forbidden) || v.contains(|c: char| c.is_control()) {
            return Err(RequestError::BadHeader(h.clone()));
        }
        if k.eq_ignore_ascii_case("host") {
            hdrs.retain(|(n, _)| !n.eq_ignore_ascii_case("host"));
            hdrs.insert(0, ("Host".to_owned(), v.to_owned()));
        } else {
            hdrs.push((k.to_owned(), v.to_owned()));
        }
    }
    let sni = match (scheme, sni) {
        (Scheme::Http, _) | (_, Sni::Omit) => None,
        (_, Sni::Name(n)) => Some(n.clone()),
        // Clients send no SNI for an IP address (RFC 6066 §3).
        (_, Sni::FromHost) if host.parse::<IpAddr>().is_ok() || host.starts_with('[') => None,
        // Clients send the name without a trailing dot (RFC 6066 §3; curl, browsers and rustls
        // strip it).
        (_, Sni::FromHost) => Some(host.trim_end_matches('.').to_owned()),
    };
    Ok(Request { url: url.to_owned(), scheme, host: host.to_owned(), port, path, query, sni, client_ip, headers: hdrs })
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), String> {
    if let Some(rest) = authority.strip_prefix('[') {
        let close = rest.find(']').ok_or("an IPv6 address without `]`")?;
        let host = &authority[..close + 2];
        return match &rest[close + 1..] {
            "" => Ok((host, None)),
            p => Ok((host, Some(port(p.strip_prefix(':').ok_or("junk after the IPv6 address")?)?))),
        };
    }
    match authority.rsplit_once(':') {
        Some((h, p)) => Ok((h, Some(port(p)?))),
        None => Ok((authority, None)),
    }
}

fn port(p: &str) -> Result<u16, String> {
    p.parse::<u16>().ok().filter(|n| *n > 0).ok_or_else(|| format!("`{p}` is not a port"))
}

impl Request {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_parts() {
        let r = parse("https://Web.Example.com:8443/a/b?x=1#f", &Sni::FromHost, Some("10.0.0.1"), &[]).unwrap();
        assert_eq!(r.scheme, Scheme::Https);
        assert_eq!(r.host, "Web.Example.com");
        assert_eq!(r.port, Some(8443));
        assert_eq!(r.path, "/a/b");
        assert_eq!(r.query.as_deref(), Some("x=1"));
        assert_eq!(r.sni.as_deref(), Some("Web.Example.com"));
        assert_eq!(r.header("host"), Some("Web.Example.com:8443"));
    }

    #[test]
    fn host_header_overrides_and_sni_options() {
        let r = parse("http://a.test", &Sni::Omit, None, &["Host: b.test:80".into(), "X-A: 1".into()]).unwrap();
        assert_eq!(r.path, "/");
        assert_eq!(r.header("Host"), Some("b.test:80"));
        assert_eq!(r.sni, None);
        let r = parse("tls://db.test:443", &Sni::Name("other.test".into()), None, &[]).unwrap();
        assert_eq!(r.sni.as_deref(), Some("other.test"));
        let r = parse("https://10.0.0.1/", &Sni::FromHost, None, &[]).unwrap();
        assert_eq!(r.sni, None);
    }

    #[test]
    fn refuses_what_is_not_a_url() {
        for u in
            ["web.test/x", "ftp://a/", "http://:80/", "http://a:99999/", "http://a b/", "tls://a:443/x", "http://a\n/"]
        {
            assert!(parse(u, &Sni::FromHost, None, &[]).is_err(), "{u}");
        }
        assert!(parse("http://a/", &Sni::FromHost, Some("nope"), &[]).is_err());
        assert!(parse("http://a/", &Sni::FromHost, None, &["nocolon".into()]).is_err());
    }
}
