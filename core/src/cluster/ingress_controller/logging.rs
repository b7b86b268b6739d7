//! `spec.logging.access` → the router's syslog, log format and capture settings, as the
//! operator's `accessLoggingForIngressController` and `desiredRouterDeployment` build them.

use super::*;

impl Deriver<'_> {
    pub(super) fn logging(&mut self, spec: N<'_>) {
        let logging = self.f.map(spec, "logging", "spec.logging");
        self.f.known(logging, "spec.logging", &["access"]);
        let p = "spec.logging.access";
        let Some(access) = self.f.map(logging, "access", p) else { return };
        self.f.known(
            Some(access),
            p,
            &["destination", "httpLogFormat", "httpCaptureHeaders", "httpCaptureCookies", "logEmptyRequests"],
        );
        let dest = self.f.map(Some(access), "destination", &format!("{p}.destination"));
        let dp = format!("{p}.destination");
        let Some((ty, ty_span)) = self.f.one_of(dest, "type", &format!("{dp}.type"), &["Container", "Syslog"]) else {
            self.ignored(access.span, "access logging without a valid destination type is off".to_owned());
            return;
        };
        if ty == "Container" {
            let container = self.f.map(dest, "container", &format!("{dp}.container"));
            let path = format!("{dp}.container.maxLength");
            match self.f.int_in(container, "maxLength", &path, Some(480), Some(8192)) {
                Some((v, span)) => self.field("ROUTER_LOG_MAX_LENGTH", v.to_string(), &path, Some(span)),
                None if container.is_some_and(|c| c.get("maxLength").is_none()) => self.constant(
                    "ROUTER_LOG_MAX_LENGTH",
                    "1024",
                    "API server default for spec.logging.access.destination.container.maxLength",
                ),
                None => {}
            }
            self.field("ROUTER_SYSLOG_ADDRESS", "/var/lib/rsyslog/rsyslog.sock", &format!("{dp}.type"), Some(ty_span));
            self.field("ROUTER_LOG_LEVEL", "info", &format!("{dp}.type"), Some(ty_span));
            self.advice(
                "routec::ingress::not-mapped",
                ty_span,
                "the rsyslog sidecar the operator adds for Container logging is not part of haproxy.config".to_owned(),
            );
        } else {
            let Some(syslog) = self.f.map(dest, "syslog", &format!("{dp}.syslog")) else {
                self.ignored(ty_span, "Syslog logging without destination.syslog is off".to_owned());
                return;
            };
            let sp = format!("{dp}.syslog");
            let facilities = [
                "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp",
                "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6",
                "local7",
            ];
            if let Some((fac, span)) = self.f.one_of(Some(syslog), "facility", &format!("{sp}.facility"), &facilities) {
                self.field("ROUTER_LOG_FACILITY", fac, &format!("{sp}.facility"), Some(span));
            }
            match self.f.int_in(Some(syslog), "maxLength", &format!("{sp}.maxLength"), Some(480), Some(4096)) {
                Some((v, span)) => {
                    self.field("ROUTER_LOG_MAX_LENGTH", v.to_string(), &format!("{sp}.maxLength"), Some(span))
                }
                None if syslog.get("maxLength").is_none() => self.constant(
                    "ROUTER_LOG_MAX_LENGTH",
                    "1024",
                    "API server default for spec.logging.access.destination.syslog.maxLength",
                ),
                None => {}
            }
            let address = self.f.string(Some(syslog), "address", &format!("{sp}.address"));
            let port = self.f.int_in(Some(syslog), "port", &format!("{sp}.port"), Some(1), Some(65535));
            self.field("ROUTER_LOG_LEVEL", "info", &format!("{dp}.type"), Some(ty_span));
            match (address, port) {
                (Some((a, span)), Some((port, _))) => {
                    self.field("ROUTER_SYSLOG_ADDRESS", join_host_port(&a, port), &format!("{sp}.address"), Some(span))
                }
                _ => self.f.invalid(syslog.span, &sp, "Required value: address and port are required"),
            }
        }
        if let Some((fmt, span)) =
            self.f.string(Some(access), "httpLogFormat", &format!("{p}.httpLogFormat")).filter(|(v, _)| !v.is_empty())
        {
            self.field("ROUTER_SYSLOG_FORMAT", go_quote(&fmt), &format!("{p}.httpLogFormat"), Some(span));
        }
        let headers = self.f.map(Some(access), "httpCaptureHeaders", &format!("{p}.httpCaptureHeaders"));
        for (field, key) in
            [("request", "ROUTER_CAPTURE_HTTP_REQUEST_HEADERS"), ("response", "ROUTER_CAPTURE_HTTP_RESPONSE_HEADERS")]
        {
            let path = format!("{p}.httpCaptureHeaders.{field}");
            let mut specs = Vec::new();
            let items = self.f.seq(headers, field, &path);
            for h in items {
                let name =
                    self.f.string(Some(h), "name", &format!("{path}[].name")).map(|(n, _)| n).unwrap_or_default();
                let len = self
                    .f
                    .int_in(Some(h), "maxLength", &format!("{path}[].maxLength"), Some(1), None)
                    .map_or(0, |(v, _)| v);
                specs.push(format!("{name}:{len}"));
            }
            if !specs.is_empty() {
                let span = headers.and_then(|h| h.get(field)).map(|n| n.span);
                self.field(key, specs.join(","), &path, span);
            }
        }
        let cpath = format!("{p}.httpCaptureCookies");
        let cookies = self.f.seq(Some(access), "httpCaptureCookies", &cpath);
        if cookies.len() > 1 {
            self.f.invalid(cookies[1].span, &cpath, format!("Too many: {}: must have at most 1 items", cookies.len()));
        }
        if let Some(c) = cookies.first() {
            let mt = self.f.one_of(Some(c), "matchType", &format!("{cpath}[].matchType"), &["Exact", "Prefix"]);
            let name = match mt {
                Some(("Exact", _)) => self
                    .f
                    .string(Some(c), "name", &format!("{cpath}[].name"))
                    .map(|(n, _)| format!("{n}="))
                    .unwrap_or_else(|| "=".into()),
                Some(_) => self
                    .f
                    .string(Some(c), "namePrefix", &format!("{cpath}[].namePrefix"))
                    .map(|(n, _)| n)
                    .unwrap_or_default(),
                None => String::new(),
            };
            let len = self
                .f
                .int_in(Some(c), "maxLength", &format!("{cpath}[].maxLength"), Some(1), Some(1024))
                .map_or(256, |(v, _)| v);
            self.field("ROUTER_CAPTURE_HTTP_COOKIE", format!("{name}:{len}"), &cpath, Some(c.span));
        }
        if let Some(("Ignore", span)) =
            self.f.one_of(Some(access), "logEmptyRequests", &format!("{p}.logEmptyRequests"), &["Log", "Ignore"])
        {
            self.field("ROUTER_DONT_LOG_NULL", "true", &format!("{p}.logEmptyRequests"), Some(span));
        }
    }
}
