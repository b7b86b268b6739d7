//! `spec.tuningOptions` (timeouts, threads, connections, buffers, reload and health-check
//! intervals) and `spec.unsupportedConfigOverrides` with the dynamic config manager.

use super::*;

impl Deriver<'_> {
    pub(super) fn overrides_and_dcm(&mut self, spec: N<'_>, tuning: N<'_>) {
        let path = "spec.unsupportedConfigOverrides";
        let ov = spec.and_then(|s| s.get("unsupportedConfigOverrides")).filter(|n| !n.is_null());
        let get = |d: &mut Self, key: &str| -> Option<(String, Span)> {
            let n = ov?.get(key)?;
            match &n.value {
                Value::Scalar { text, quoted } => {
                    let t = text.to_string();
                    let typed = !quoted && (matches!(t.as_str(), "true" | "false") || n.is_number());
                    if typed {
                        // The operator decodes these into Go strings; a JSON bool or number
                        // fails the decode and with it the whole Deployment.
                        d.build.push((
                            format!(
                                "invalid {path}: json: cannot unmarshal {} into Go struct field .{key} of type string",
                                if n.is_number() { "number" } else { "bool" }
                            ),
                            Some(n.span),
                        ));
                        return None;
                    }
                    Some((t, n.span))
                }
                Value::Null => None,
                _ => {
                    d.build.push((
                        format!(
                            "invalid {path}: json: cannot unmarshal {} into Go struct field .{key} of type string",
                            if n.as_seq().is_some() { "array" } else { "object" }
                        ),
                        Some(n.span),
                    ));
                    None
                }
            }
        };
        if let Some(node) = ov {
            match node.as_map() {
                Some(entries) => {
                    let known = [
                        "loadBalancingAlgorithm",
                        "dynamicConfigManager",
                        "contStats",
                        "maxDynamicServers",
                        "mutualTLSHeaderFilter",
                    ];
                    for (k, _) in entries {
                        if !known.contains(&k.text.as_ref()) {
                            self.ignored(k.span, format!("{path}.{} is not an override the operator reads", k.text));
                        }
                    }
                }
                None => self.build.push((
                    format!("invalid {path}: expected a JSON object, found a {}", node.type_name()),
                    Some(node.span),
                )),
            }
        }
        let lb = get(self, "loadBalancingAlgorithm");
        match &lb {
            Some((v, span)) if v == "leastconn" => self.field(
                "ROUTER_LOAD_BALANCE_ALGORITHM",
                "leastconn",
                &format!("{path}.loadBalancingAlgorithm"),
                Some(*span),
            ),
            other => {
                if let Some((v, span)) = other {
                    self.ignored(
                        *span,
                        format!("loadBalancingAlgorithm \"{v}\" is not leastconn; the operator uses random"),
                    );
                }
                self.constant("ROUTER_LOAD_BALANCE_ALGORITHM", "random", "operator default (random)");
            }
        }
        self.constant("ROUTER_TCP_BALANCE_SCHEME", "source", "set by the operator for every IngressController");

        if let Some((v, span)) = self.f.int(tuning, "maxConnections", "spec.tuningOptions.maxConnections") {
            let p = "spec.tuningOptions.maxConnections";
            match v {
                -1 => self.field("ROUTER_MAX_CONNECTIONS", "auto", p, Some(span)),
                0 => {}
                2000..=2_000_000 => self.field("ROUTER_MAX_CONNECTIONS", v.to_string(), p, Some(span)),
                _ => self.f.invalid(span, p, format!("Invalid value: \"integer\": maxConnections must be 0, -1, or between 2000 and 2000000 (got {v})")),
            }
        }

        // The dynamic config manager needs a tech-preview feature gate routec assumes off; the
        // override can still switch it on (or off).
        let mut dcm = false;
        let mut dcm_origin = None;
        if let Some((_, span)) = self
            .f
            .one_of(
                tuning,
                "configurationManagement",
                "spec.tuningOptions.configurationManagement",
                &["Dynamic", "ForkAndReload"],
            )
            .filter(|(v, _)| *v == "Dynamic")
        {
            self.ignored(span, "configurationManagement: Dynamic needs the IngressControllerDynamicConfigurationManager feature gate, which routec assumes off".to_owned());
        }
        if let Some((v, span)) = get(self, "dynamicConfigManager") {
            match parse_bool(&v) {
                Some(b) => {
                    dcm = b;
                    dcm_origin = Some(span);
                }
                None => self.ignored(span, format!("dynamicConfigManager \"{v}\" is not a Go boolean")),
            }
        }
        let max_dyn = get(self, "maxDynamicServers");
        if dcm {
            let p = format!("{path}.dynamicConfigManager");
            self.field("ROUTER_HAPROXY_CONFIG_MANAGER", "true", &p, dcm_origin);
            self.field("ROUTER_BLUEPRINT_ROUTE_POOL_SIZE", "0", &p, dcm_origin);
            match max_dyn.as_ref().map(|(v, s)| (v.parse::<i64>().ok().filter(|n| *n > 0), *s)) {
                Some((Some(n), span)) => self.field(
                    "ROUTER_MAX_DYNAMIC_SERVERS",
                    n.to_string(),
                    &format!("{path}.maxDynamicServers"),
                    Some(span),
                ),
                other => {
                    if let Some((None, span)) = other {
                        self.ignored(
                            span,
                            "maxDynamicServers is not a positive integer; the operator uses 1".to_owned(),
                        );
                    }
                    self.constant(
                        "ROUTER_MAX_DYNAMIC_SERVERS",
                        "1",
                        "operator default with the dynamic config manager",
                    );
                }
            }
        } else if let Some((_, span)) = max_dyn {
            self.ignored(span, "maxDynamicServers only counts with the dynamic config manager on".to_owned());
        }
        if let Some((v, span)) = get(self, "contStats") {
            if parse_bool(&v) == Some(true) {
                self.field("ROUTER_HAPROXY_CONTSTATS", "true", &format!("{path}.contStats"), Some(span));
            }
        }
        if let Some((v, span)) = get(self, "mutualTLSHeaderFilter") {
            if parse_bool(&v) == Some(false) {
                self.field(
                    "ROUTER_MUTUAL_TLS_HEADER_FILTER",
                    "false",
                    &format!("{path}.mutualTLSHeaderFilter"),
                    Some(span),
                );
            }
        }
    }

    pub(super) fn tuning(&mut self, tuning: N<'_>) {
        let p = "spec.tuningOptions";
        match self.f.int_in(tuning, "threadCount", &format!("{p}.threadCount"), Some(1), Some(64)) {
            Some((v, span)) => self.field("ROUTER_THREADS", v.to_string(), &format!("{p}.threadCount"), Some(span)),
            None => self.constant("ROUTER_THREADS", "4", "operator default for spec.tuningOptions.threadCount"),
        }
        if let Some((ns, span)) = self.f.duration(tuning, "tunnelTimeout", &format!("{p}.tunnelTimeout")) {
            if ns > 0 {
                self.field(
                    "ROUTER_DEFAULT_TUNNEL_TIMEOUT",
                    haproxy_timespec(ns),
                    &format!("{p}.tunnelTimeout"),
                    Some(span),
                );
            } else {
                self.ignored(span, "tunnelTimeout is not positive".to_owned());
            }
        }
        let timeouts = [
            ("clientTimeout", "ROUTER_DEFAULT_CLIENT_TIMEOUT"),
            ("clientFinTimeout", "ROUTER_CLIENT_FIN_TIMEOUT"),
            ("serverTimeout", "ROUTER_DEFAULT_SERVER_TIMEOUT"),
            ("serverFinTimeout", "ROUTER_DEFAULT_SERVER_FIN_TIMEOUT"),
            ("connectTimeout", "ROUTER_DEFAULT_CONNECT_TIMEOUT"),
            ("httpKeepAliveTimeout", "ROUTER_SLOWLORIS_HTTP_KEEPALIVE"),
            ("tlsInspectDelay", "ROUTER_INSPECT_DELAY"),
        ];
        for (field, key) in timeouts {
            let path = format!("{p}.{field}");
            let Some((ns, span)) = self.f.duration(tuning, field, &path) else { continue };
            if field == "httpKeepAliveTimeout" && !(NS_PER_MS..=15 * 60_000 * NS_PER_MS).contains(&ns) {
                let msg = if ns < NS_PER_MS {
                    "httpKeepAliveTimeout must be greater than or equal to 1 millisecond"
                } else {
                    "httpKeepAliveTimeout must be less than or equal to 15 minutes"
                };
                self.f.invalid(span, &path, format!("Invalid value: \"string\": {msg}"));
                continue;
            }
            if ns > 0 {
                self.field(key, haproxy_timespec(ns), &path, Some(span));
            } else {
                self.ignored(span, format!("{field} is not positive"));
            }
        }
        let path = format!("{p}.healthCheckInterval");
        if let Some((ns, span)) = self.f.duration(tuning, "healthCheckInterval", &path) {
            if ns >= 1000 * NS_PER_MS {
                self.field("ROUTER_BACKEND_CHECK_INTERVAL", haproxy_timespec(ns), &path, Some(span));
            } else {
                self.ignored(span, "healthCheckInterval below 1s".to_owned());
            }
        }
        let path = format!("{p}.reloadInterval");
        let reload = self.f.duration(tuning, "reloadInterval", &path);
        let ns = reload.map_or(0, |(ns, _)| ns);
        let capped = match ns {
            0 => 5_000 * NS_PER_MS,
            n if n > 120_000 * NS_PER_MS => 120_000 * NS_PER_MS,
            n if n < 1_000 * NS_PER_MS => 1_000 * NS_PER_MS,
            n => n,
        };
        match reload {
            Some((_, span)) if ns != 0 => {
                if capped != ns {
                    self.ignored(
                        span,
                        format!("reloadInterval is outside 1s..120s; the operator uses {}", haproxy_timespec(capped)),
                    );
                }
                self.field("RELOAD_INTERVAL", haproxy_timespec(capped), &path, Some(span));
            }
            _ => self.constant("RELOAD_INTERVAL", "5s", "operator default for spec.tuningOptions.reloadInterval"),
        }
    }

    pub(super) fn buffers(&mut self, tuning: N<'_>) {
        let p = "spec.tuningOptions";
        let buf = self.f.int_in(tuning, "headerBufferBytes", &format!("{p}.headerBufferBytes"), Some(16384), None);
        let rw = self.f.int_in(
            tuning,
            "headerBufferMaxRewriteBytes",
            &format!("{p}.headerBufferMaxRewriteBytes"),
            Some(4096),
            None,
        );
        if let Some((v, span)) = buf {
            self.field("ROUTER_BUF_SIZE", v.to_string(), &format!("{p}.headerBufferBytes"), Some(span));
        }
        if let Some((v, span)) = rw {
            self.field(
                "ROUTER_MAX_REWRITE_SIZE",
                v.to_string(),
                &format!("{p}.headerBufferMaxRewriteBytes"),
                Some(span),
            );
        }
        if buf.is_some() || rw.is_some() {
            let b = buf.map_or(ROUTER_DEFAULT_BUF, |(v, _)| v);
            let r = rw.map_or(ROUTER_DEFAULT_REWRITE, |(v, _)| v);
            if b <= r {
                let at = buf.or(rw).map(|(_, s)| s);
                self.rejections.push((format!("invalid spec.httpHeaderBuffer: headerBufferBytes ({b}) must be larger than headerBufferMaxRewriteBytes ({r})"), at));
            }
        }
    }
}
