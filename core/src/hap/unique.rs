//! The names and IDs HAProxy refuses to see twice: proxy names (a `listen` clashes with a
//! frontend and a backend of its name), custom proxy and server IDs, and the names of `peers`,
//! `resolvers`, `cache` and `ring` sections. Each clash is a fatal problem with HAProxy 2.6's
//! own message, found while the model is built (the model merges repeated sections, so it
//! cannot tell afterwards).

use crate::hash::FastMap;

use super::lex::Range;

/// A clash: where, the stable code, and HAProxy's message.
pub(crate) struct Clash {
    pub span: Range,
    pub code: &'static str,
    pub message: String,
}

/// What has been declared so far in one config.
#[derive(Default)]
pub(crate) struct Declared {
    /// Proxy name → (kind, line) of each declaration.
    proxies: FastMap<String, Vec<(String, usize)>>,
    /// Other named sections: (kind, name) → line.
    named: FastMap<(String, String), usize>,
    /// Custom proxy IDs → (kind, name, header line).
    proxy_ids: FastMap<i64, (String, String, usize)>,
    /// The current proxy: (kind, name, header line), and its custom server IDs.
    current: Option<(String, String, usize)>,
    server_ids: FastMap<i64, (String, usize)>,
}

/// HAProxy's word for a proxy kind in these messages.
fn word(kind: &str) -> &str {
    if kind == "listen" {
        "proxy"
    } else {
        kind
    }
}

fn is_proxy(kind: &str) -> bool {
    matches!(kind, "frontend" | "backend" | "listen")
}

/// True when two proxy kinds share a capability (frontend or backend), so one name cannot
/// serve both.
fn overlaps(a: &str, b: &str) -> bool {
    a == b || a == "listen" || b == "listen"
}

impl Declared {
    /// A section header. `file` names the config for HAProxy's "declared at file:line".
    pub(crate) fn section(&mut self, file: &str, kind: &str, name: &str, line: usize, span: &Range) -> Option<Clash> {
        self.server_ids.clear();
        self.current = is_proxy(kind).then(|| (kind.to_owned(), name.to_owned(), line));
        if is_proxy(kind) {
            let seen = self.proxies.entry(name.to_owned()).or_default();
            let earlier = seen.iter().find(|(k, _)| overlaps(k, kind)).cloned();
            seen.push((kind.to_owned(), line));
            let (k, l) = earlier?;
            return Some(Clash {
                span: span.clone(),
                code: "routec::hap::duplicate-proxy",
                message: format!(
                    "{} '{name}' has the same name as {} '{name}' declared at {file}:{l}",
                    word(kind),
                    word(&k)
                ),
            });
        }
        if !matches!(kind, "peers" | "resolvers" | "cache" | "ring") || name.is_empty() {
            return None;
        }
        let key = (kind.to_owned(), name.to_owned());
        if let Some(l) = self.named.get(&key).copied() {
            let message = match kind {
                "peers" => {
                    format!("peers section '{name}' has the same name as another peers section declared at {file}:{l}")
                }
                "resolvers" => {
                    format!("resolvers '{name}' has same name as another resolvers (declared at {file}:{l})")
                }
                "cache" => format!("Duplicate cache name '{name}'"),
                _ => format!("sink named '{name}' already exists"),
            };
            return Some(Clash { span: span.clone(), code: "routec::hap::duplicate-section", message });
        }
        self.named.insert(key, line);
        None
    }

    /// A statement in the current section: `id N` of a proxy, or `server NAME ADDR … id N`.
    pub(crate) fn statement(&mut self, file: &str, words: &[String], line: usize, span: &Range) -> Option<Clash> {
        let (kind, name, header) = self.current.clone()?;
        match words.first().map(String::as_str) {
            Some("id") => {
                let id = words.get(1)?.parse::<i64>().ok()?;
                if let Some((k, n, l)) = self.proxy_ids.get(&id) {
                    return Some(Clash {
                        span: span.clone(),
                        code: "routec::hap::duplicate-id",
                        message: format!("{kind} {name} reuses same custom id as {k} {n} (declared at {file}:{l})"),
                    });
                }
                self.proxy_ids.insert(id, (kind, name, header));
                None
            }
            Some("server") => {
                let server = words.get(1)?;
                let at = words.iter().skip(3).position(|w| w == "id")?;
                let id = words.get(at + 4)?.parse::<i64>().ok()?;
                if let Some((other, l)) = self.server_ids.get(&id) {
                    return Some(Clash {
                        span: span.clone(),
                        code: "routec::hap::duplicate-id",
                        message: format!(
                            "'server {name}/{server}' : 'id' : custom id {id} already used at {file}:{l} ('server {other}')"
                        ),
                    });
                }
                self.server_ids.insert(id, (server.clone(), line));
                None
            }
            _ => None,
        }
    }
}
