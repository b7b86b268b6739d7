//! routec core: OpenShift `Route`, `Service`, `Endpoints` and `EndpointSlice` objects in, the
//! OpenShift HAProxy router's `haproxy.config`, map files and certificate files out.
//!
//! The core is pure: it takes bytes ([`SourceFile`]) and router settings ([`Settings`]) and
//! returns values ([`Output`]); it reads no file, environment or clock.
//!
//! ```
//! use routec_core::{compile, Options, Settings, SourceFile};
//!
//! let yaml = r#"
//! apiVersion: route.openshift.io/v1
//! kind: Route
//! metadata: {name: web, namespace: shop}
//! spec: {host: shop.example.com, to: {kind: Service, name: web}}
//! ---
//! apiVersion: v1
//! kind: Endpoints
//! metadata: {name: web, namespace: shop}
//! subsets:
//! - addresses: [{ip: 10.128.0.5, targetRef: {kind: Pod, name: web-1}}]
//!   ports: [{name: http, port: 8080}]
//! "#;
//! let out = compile(&[SourceFile::new("shop.yaml", yaml)], &Settings::new(), &Options::default());
//! let config = out.file("conf/haproxy.config").unwrap_or_default();
//! assert!(config.contains("backend be_http:shop:web"));
//! assert!(config.contains("server pod:web-1:web:http:10.128.0.5:8080 10.128.0.5:8080"));
//! let map = out.file("conf/os_http_be.map").unwrap_or_default();
//! assert_eq!(map, "^shop\\.example\\.com\\.?(:[0-9]+)?(/.*)?$ be_http:shop:web\n");
//! ```
//!
//! # Limitations
//!
//! - Only the router's first render after its initial sync is modelled: no updates, deletions or
//!   promotion of previously rejected routes.
//! - The router's RBAC checks on external certificate Secrets (assumed to pass), the dynamic config manager's custom blueprints
//!   (`ROUTER_BLUEPRINT_ROUTE_NAMESPACE`) and runtime API changes, and
//!   `ROUTER_BACKEND_PROCESS_ENDPOINTS=shuffle` (random by design) are not reproduced.
//! - `PROJECT_LABELS` is a namespace label selector here, as if the router's service account could
//!   see every project.
//! - Endpoints subsets and their ports keep input order where Kubernetes orders them by a hash.
//! - Loopback endpoint addresses are kept (the router drops them) so that local traffic tests work.
#![deny(missing_docs)]
#![warn(clippy::disallowed_methods, reason = "core is pure: no file, env, process or clock access")]

pub mod admission;
pub mod annotations;
pub mod base64;
pub mod cluster;
pub mod codes;
pub mod compile;
pub mod diag;
mod digest;
pub mod endpoints;
pub mod explain;
pub mod gotext;
pub mod gotmpl;
pub mod hap;
pub mod haproxy;
pub mod hash;
pub mod json;
pub mod limits;
pub mod loader;
pub mod objects;
pub mod redact;
pub mod regex;
#[cfg(feature = "render")]
pub mod render;
pub mod settings;
pub mod sort;
pub mod sorted;
pub mod source;
pub mod startup;
pub mod suggest;
pub mod suppress;
pub mod template;
pub mod tls;
pub mod tree;
pub mod validate;
pub mod yaml;

pub use compile::{compile, Options, Output, OutputFile, Profile};
pub use diag::{Diagnostic, Severity};
pub use limits::Limits;
pub use settings::Settings;
pub use source::SourceFile;
