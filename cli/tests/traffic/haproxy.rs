//! Runs real HAProxy on routec's output: compiled into a temporary directory through
//! `base_dir`, started in the foreground as a child process, and stopped by its pid when the
//! guard is dropped, whether the test passed or not.

use std::fs;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use routec_core::{compile, Options, Profile, Settings, Severity, SourceFile};

pub(crate) struct Haproxy {
    child: Child,
    pub(crate) http: SocketAddr,
    pub(crate) https: SocketAddr,
    pub(crate) dir: tempfile::TempDir,
    /// What routec compiled for it.
    pub(crate) out: routec_core::Output,
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that is free now, below the kernel's ephemeral range (32768 and up on Linux), so that
/// the tests' own client connections, which take ephemeral ports, never land on it before
/// HAProxy binds it.
pub(crate) fn free_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let seed = u16::try_from(std::process::id() % 10_000).unwrap_or(0);
    for _ in 0..12_000 {
        let k = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = 20_000 + (seed.wrapping_add(k.wrapping_mul(7)) % 12_000);
        if TcpListener::bind(("0.0.0.0", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in 20000..32000");
}

/// How many times a start is tried when another process takes a port first.
const ATTEMPTS: usize = 4;

impl Haproxy {
    /// Compiles `objects` with `settings` (plus the listen ports) and starts HAProxy on them.
    pub(crate) fn start(bin: &Path, objects: &str, settings: Settings, default_cert: String) -> Self {
        Self::start_files(bin, &[SourceFile::new("objects.yaml", objects)], settings, default_cert)
    }

    /// The same for several input files.
    pub(crate) fn start_files(bin: &Path, sources: &[SourceFile], settings: Settings, default_cert: String) -> Self {
        let mut last = String::new();
        for _ in 0..ATTEMPTS {
            match Self::try_start(bin, sources, settings.clone(), default_cert.clone()) {
                Ok(h) => return h,
                // A port taken between choosing it and HAProxy binding it: choose again.
                Err(log) if log.contains("cannot bind socket") => last = log,
                Err(log) => panic!("haproxy did not start: {log}"),
            }
        }
        panic!("haproxy did not start after {ATTEMPTS} attempts: {last}");
    }

    fn try_start(
        bin: &Path,
        sources: &[SourceFile],
        mut settings: Settings,
        default_cert: String,
    ) -> Result<Self, String> {
        let dir = tempfile::tempdir().expect("temp dir");
        let base = dir.path().to_str().expect("utf-8 temp path").to_owned();
        let (hp, sp) = (free_port(), free_port());
        settings.set("ROUTER_SERVICE_HTTP_PORT", hp.to_string());
        settings.set("ROUTER_SERVICE_HTTPS_PORT", sp.to_string());
        let opts = Options {
            base_dir: base,
            profile: Profile::Haproxy26,
            default_certificate: Some(default_cert),
            ..Options::default()
        };
        let out = compile(sources, &settings, &opts);
        let errors: Vec<_> = out.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
        assert!(errors.is_empty(), "compile errors: {errors:#?}");
        fs::create_dir_all(dir.path().join("run")).expect("run dir");
        for f in &out.files {
            let p = dir.path().join(&f.path);
            fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            fs::write(&p, &f.contents).expect("write");
        }
        let cfg: PathBuf = dir.path().join("conf/haproxy.config");
        let log = fs::File::create(dir.path().join("haproxy.log")).expect("log file");
        let child = Command::new(bin)
            .arg("-db")
            .arg("-f")
            .arg(&cfg)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start haproxy");
        let mut h = Haproxy {
            child,
            http: SocketAddr::from(([127, 0, 0, 1], hp)),
            https: SocketAddr::from(([127, 0, 0, 1], sp)),
            dir,
            out,
        };
        h.wait_ready()?;
        Ok(h)
    }

    /// Waits until both ports answer; an HAProxy that exits gives its log as the error.
    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.child.try_wait().ok().flatten().is_some() {
                return Err(self.log());
            }
            let up = |a: &SocketAddr| TcpStream::connect_timeout(a, Duration::from_millis(100)).is_ok();
            if up(&self.http) && up(&self.https) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(self.log())
    }

    pub(crate) fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("haproxy.log")).unwrap_or_default()
    }
}
