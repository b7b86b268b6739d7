//! HTTP behaviour: header actions, forwarded headers, unique ids, case adjustments, the
//! connection policies and HTTP/2 and hard-stop-after annotations, header buffers, client
//! certificates and compression.

use super::*;

impl Deriver<'_> {
    pub(super) fn headers(&mut self, spec: N<'_>) {
        let hh = self.f.map(spec, "httpHeaders", "spec.httpHeaders");
        self.f.known(
            hh,
            "spec.httpHeaders",
            &["forwardedHeaderPolicy", "uniqueId", "headerNameCaseAdjustments", "actions"],
        );
        let actions = self.f.map(hh, "actions", "spec.httpHeaders.actions");
        self.f.known(actions, "spec.httpHeaders.actions", &["request", "response"]);
        for (field, key) in [("response", "ROUTER_HTTP_RESPONSE_HEADERS"), ("request", "ROUTER_HTTP_REQUEST_HEADERS")] {
            let path = format!("spec.httpHeaders.actions.{field}");
            let items = self.f.seq(actions, field, &path);
            if items.is_empty() {
                continue;
            }
            if items.len() > 20 {
                self.f.invalid(items[20].span, &path, format!("Too many: {}: must have at most 20 items", items.len()));
            }
            let mut specs = Vec::new();
            for item in items {
                let name = self.f.string(Some(item), "name", &format!("{path}[].name"));
                let action = self.f.map(Some(item), "action", &format!("{path}[].action"));
                let ty = self.f.one_of(action, "type", &format!("{path}[].action.type"), &["Set", "Delete"]);
                let set = self.f.map(action, "set", &format!("{path}[].action.set"));
                if let Some((n, span)) = &name {
                    let lower = n.to_ascii_lowercase();
                    if ["strict-transport-security", "proxy", "host", "cookie", "set-cookie"].contains(&lower.as_str())
                    {
                        self.f.invalid(
                            *span,
                            &format!("{path}[].name"),
                            format!("Invalid value: \"string\": {lower} header may not be modified via header actions"),
                        );
                        continue;
                    }
                }
                let (Some((n, _)), Some((ty, tspan))) = (name, ty) else { continue };
                if (ty == "Set") != set.is_some() {
                    self.f.invalid(
                        tspan,
                        &format!("{path}[].action"),
                        "Invalid value: \"object\": set is required when type is Set, and forbidden otherwise",
                    );
                    continue;
                }
                if n.is_empty() {
                    continue;
                }
                if ty == "Set" {
                    let value = self
                        .f
                        .string(set, "value", &format!("{path}[].action.set.value"))
                        .map(|(v, _)| v)
                        .unwrap_or_default();
                    specs.push(format!("{}:{}:Set", query_escape(&n), query_escape(&value)));
                } else {
                    specs.push(format!("{}:Delete", query_escape(&n)));
                }
            }
            let span = actions.and_then(|a| a.get(field)).map(|n| n.span);
            self.field(key, specs.join(","), &path, span);
        }
        let p = "spec.httpHeaders.forwardedHeaderPolicy";
        match self.f.one_of(hh, "forwardedHeaderPolicy", p, &["Append", "Replace", "IfNone", "Never"]) {
            Some((v, span)) => {
                let value = match v {
                    "Replace" => "replace",
                    "IfNone" => "if-none",
                    "Never" => "never",
                    _ => "append",
                };
                self.field("ROUTER_SET_FORWARDED_HEADERS", value, p, Some(span));
            }
            None => self.constant("ROUTER_SET_FORWARDED_HEADERS", "append", "operator default: Append"),
        }
        let uid = self.f.map(hh, "uniqueId", "spec.httpHeaders.uniqueId");
        if let Some((name, span)) =
            self.f.string(uid, "name", "spec.httpHeaders.uniqueId.name").filter(|(n, _)| !n.is_empty())
        {
            self.field("ROUTER_UNIQUE_ID_HEADER_NAME", name, "spec.httpHeaders.uniqueId.name", Some(span));
            match self.f.string(uid, "format", "spec.httpHeaders.uniqueId.format").filter(|(f, _)| !f.is_empty()) {
                Some((fmt, fspan)) => self.field(
                    "ROUTER_UNIQUE_ID_FORMAT",
                    go_quote(&fmt),
                    "spec.httpHeaders.uniqueId.format",
                    Some(fspan),
                ),
                None => self.constant(
                    "ROUTER_UNIQUE_ID_FORMAT",
                    go_quote("%{+X}o %ci:%cp_%fi:%fp_%Ts_%rt:%pid"),
                    "operator default for spec.httpHeaders.uniqueId.format",
                ),
            }
        }
        let p = "spec.httpHeaders.headerNameCaseAdjustments";
        let items = self.f.seq(hh, "headerNameCaseAdjustments", p);
        if !items.is_empty() {
            let mut names = Vec::new();
            for i in items {
                if let Some((n, _)) = self.f.as_string(i, &format!("{p}[]")) {
                    names.push(n);
                }
            }
            let span = hh.and_then(|h| h.get("headerNameCaseAdjustments")).map(|n| n.span);
            self.field("ROUTER_H1_CASE_ADJUST", names.join(","), p, span);
        }
    }

    pub(super) fn policies(&mut self, spec: N<'_>, annotations: N<'_>, cfg: &Cluster<'_>) {
        if let Some(("Ignore", span)) =
            self.f.one_of(spec, "httpEmptyRequestsPolicy", "spec.httpEmptyRequestsPolicy", &["Respond", "Ignore"])
        {
            self.field("ROUTER_HTTP_IGNORE_PROBES", "true", "spec.httpEmptyRequestsPolicy", Some(span));
        }
        // HTTP/2: the IngressController's annotation, whatever its value, wins over the
        // cluster ingress config's.
        const H2: &str = "ingress.operator.openshift.io/default-enable-http2";
        let ic_h2 = annotations.and_then(|a| a.get(H2)).map(|n| (n.as_str().unwrap_or(""), n.span));
        match (ic_h2, cfg.ingress_annotation(H2)) {
            (Some((v, span)), _) => {
                let on = parse_bool(v).unwrap_or(false);
                self.field(
                    "ROUTER_DISABLE_HTTP2",
                    (!on).to_string(),
                    &format!("metadata.annotations[{H2}]"),
                    Some(span),
                );
            }
            (None, Some((v, span))) => {
                let on = parse_bool(v).unwrap_or(false);
                self.out.push(Setting {
                    key: "ROUTER_DISABLE_HTTP2".into(),
                    value: (!on).to_string(),
                    origin: Origin::ClusterConfig {
                        object: "ingresses.config.openshift.io/cluster",
                        path: format!("metadata.annotations[{H2}]"),
                        span: Some(span),
                    },
                });
            }
            (None, None) => self.constant("ROUTER_DISABLE_HTTP2", "true", "operator default: HTTP/2 off"),
        }
        const HSA: &str = "ingress.operator.openshift.io/hard-stop-after";
        let ic_hsa = annotations.and_then(|a| a.get(HSA)).map(|n| (n.as_str().unwrap_or("").to_owned(), n.span));
        let mut done = false;
        if let Some((v, span)) = ic_hsa.filter(|(v, _)| !v.is_empty()) {
            match clip_haproxy_timeout(&v) {
                Ok(c) => {
                    self.field("ROUTER_HARD_STOP_AFTER", c, &format!("metadata.annotations[{HSA}]"), Some(span));
                    done = true;
                }
                Err(e) => self.ignored(span, format!("hard-stop-after \"{v}\" is not a HAProxy time ({e})")),
            }
        }
        if !done {
            if let Some((v, span)) = cfg.ingress_annotation(HSA).filter(|(v, _)| !v.is_empty()) {
                match clip_haproxy_timeout(v) {
                    Ok(c) => self.out.push(Setting {
                        key: "ROUTER_HARD_STOP_AFTER".into(),
                        value: c,
                        origin: Origin::ClusterConfig {
                            object: "ingresses.config.openshift.io/cluster",
                            path: format!("metadata.annotations[{HSA}]"),
                            span: Some(span),
                        },
                    }),
                    Err(e) => self.ignored(
                        span,
                        format!("hard-stop-after \"{v}\" on the ingress config is not a HAProxy time ({e})"),
                    ),
                }
            }
        }
        if let Some(("Deferred", span)) = self.f.one_of(
            spec,
            "idleConnectionTerminationPolicy",
            "spec.idleConnectionTerminationPolicy",
            &["Immediate", "Deferred"],
        ) {
            self.field("ROUTER_IDLE_CLOSE_ON_RESPONSE", "true", "spec.idleConnectionTerminationPolicy", Some(span));
        }
        if let Some(("Abort", span)) = self.f.one_of(
            spec,
            "closedClientConnectionPolicy",
            "spec.closedClientConnectionPolicy",
            &["Abort", "Continue"],
        ) {
            self.field("ROUTER_ABORT_ON_CLOSE", "true", "spec.closedClientConnectionPolicy", Some(span));
        }
    }

    pub(super) fn client_tls(&mut self, spec: N<'_>) {
        let p = "spec.clientTLS";
        let ct = self.f.map(spec, "clientTLS", p);
        self.f.known(ct, p, &["clientCertificatePolicy", "clientCA", "allowedSubjectPatterns"]);
        let patterns = self.f.seq(ct, "allowedSubjectPatterns", &format!("{p}.allowedSubjectPatterns"));
        let mut pats = Vec::new();
        for (i, n) in patterns.iter().enumerate() {
            let Some((pat, span)) = self.f.as_string(n, &format!("{p}.allowedSubjectPatterns[]")) else { continue };
            if let Err(e) = crate::regex::Regex::new_go(&pat) {
                // Go's own text: "error parsing regexp: missing closing ): `^/CN=(a`".
                self.rejections
                    .push((format!("failed to parse spec.clientTLS.allowedSubjectPatterns[{i}]: {e}"), Some(span)));
            }
            pats.push(pat);
        }
        let Some((policy, span)) = self.f.one_of(
            ct,
            "clientCertificatePolicy",
            &format!("{p}.clientCertificatePolicy"),
            &["", "Required", "Optional"],
        ) else {
            return;
        };
        if policy.is_empty() {
            return;
        }
        self.field(
            "ROUTER_MUTUAL_TLS_AUTH",
            policy.to_ascii_lowercase(),
            &format!("{p}.clientCertificatePolicy"),
            Some(span),
        );
        let ca = self.f.map(ct, "clientCA", &format!("{p}.clientCA"));
        let Some((cm, ca_span)) =
            self.f.string(ca, "name", &format!("{p}.clientCA.name")).filter(|(n, _)| !n.is_empty())
        else {
            return;
        };
        self.field(
            "ROUTER_MUTUAL_TLS_AUTH_CA",
            "/etc/pki/tls/client-ca/ca-bundle.pem",
            &format!("{p}.clientCA.name"),
            Some(ca_span),
        );
        self.advice(
            "routec::ingress::not-mapped",
            ca_span,
            format!(
                "the CA bundle of ConfigMap {cm} is mounted into the router; routec writes its path, not its contents"
            ),
        );
        if !pats.is_empty() {
            let span = ct.and_then(|c| c.get("allowedSubjectPatterns")).map(|n| n.span);
            self.field(
                "ROUTER_MUTUAL_TLS_AUTH_FILTER",
                format!("(?:{})", pats.join("|")),
                &format!("{p}.allowedSubjectPatterns"),
                span,
            );
        }
    }

    pub(super) fn compression(&mut self, spec: N<'_>) {
        let p = "spec.httpCompression";
        let c = self.f.map(spec, "httpCompression", p);
        self.f.known(c, p, &["mimeTypes"]);
        let items = self.f.seq(c, "mimeTypes", &format!("{p}.mimeTypes"));
        if items.is_empty() {
            return;
        }
        let mut words = Vec::new();
        for i in items {
            if let Some((m, _)) = self.f.as_string(i, &format!("{p}.mimeTypes[]")) {
                words.push(mime_word(&m));
            }
        }
        let span = c.and_then(|c| c.get("mimeTypes")).map(|n| n.span);
        self.field("ROUTER_ENABLE_COMPRESSION", "true", &format!("{p}.mimeTypes"), span);
        self.field("ROUTER_COMPRESSION_MIME", words.join(" "), &format!("{p}.mimeTypes"), span);
    }
}
