//! The generative property (issue #18): random *valid* objects and settings from fuzz/gen.rs
//! (every termination, every registry annotation, settings, every endpoint shape), compiled with
//! the HAProxy 2.6 profile; whatever routec writes, real `haproxy -c` loads, unless routec
//! itself reported an error saying HAProxy would refuse it. 500 seeded cases by default, two
//! `haproxy -c` at a time; `ROUTEC_GENERATED_CASES=N` (and `ROUTEC_GENERATED_SEED`) for the long
//! run (fuzz/generated.sh). Every address is a literal IP, so no check waits on DNS.

mod common;

#[path = "../../fuzz/gen.rs"]
mod gen;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use routec_core::{Options, Profile, Settings, Severity, SourceFile};

#[expect(clippy::print_stdout, reason = "the case counts are the property's report")]
fn report(line: &str) {
    println!("{line}");
}

/// The errors that say HAProxy (or the router) would refuse the output.
const ANNOUNCED: &[&str] = &[
    "routec::settings::router-refuses",
    "routec::settings::haproxy-refuses",
    "routec::annotation::haproxy-refuses",
    "routec::tls::haproxy-cannot-load",
    // A setting with CR, LF or NUL: routec says it is written into the config verbatim.
    "routec::security::control-character",
];

/// splitmix64: the bytes of case `i`.
fn bytes(seed: u64, i: u64) -> Vec<u8> {
    let mut x = seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (0..128)
        .flat_map(|_| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)).to_le_bytes()
        })
        .collect()
}

enum Verdict {
    Loaded,
    Announced,
    Refused(String),
}

/// Admitted routes by termination, over every case: the report shows what was exercised.
type Tally = Mutex<std::collections::BTreeMap<String, usize>>;

fn run_case(bin: &Path, dir: &Path, seed: u64, i: u64, cert: &str, tally: &Tally) -> Result<Verdict, String> {
    let case = gen::case(&bytes(seed, i));
    let base = dir.join(format!("case-{i}"));
    fs::create_dir_all(base.join("run")).map_err(|e| e.to_string())?;
    let ca = base.join("service-ca.crt");
    fs::copy(common::root().join("fixtures/pki/dest-ca.crt"), &ca).map_err(|e| e.to_string())?;
    let mut settings = Settings::new();
    for (k, v) in &case.settings {
        settings.set(k.clone(), v.clone());
    }
    settings.set("DEFAULT_DESTINATION_CA_PATH", ca.to_str().unwrap_or_default());
    let opts = Options {
        base_dir: base.to_str().ok_or("temp path is not UTF-8")?.to_owned(),
        profile: Profile::Haproxy26,
        default_certificate: Some(cert.to_owned()),
        parallel: false,
        ..Options::default()
    };
    let out = routec_core::compile(&[SourceFile::new("objects.yaml", case.objects.clone())], &settings, &opts);
    {
        let mut t = tally.lock().map_err(|e| e.to_string())?;
        for a in routec_core::annotations::REGISTRY {
            if case.objects.contains(&format!("{}:", a.key)) {
                *t.entry(a.key.to_owned()).or_default() += 1;
            }
        }
        for shape in
            ["kind: Endpoints", "kind: EndpointSlice", "addressType: IPv6", "notReadyAddresses", "ready: false"]
        {
            if case.objects.contains(shape) {
                *t.entry(shape.to_owned()).or_default() += 1;
            }
        }
        for r in &out.status.routes {
            let admitted = r.outcome == routec_core::admission::Outcome::Admitted;
            let kind = if r.termination.is_empty() { "http" } else { r.termination.as_str() };
            *t.entry(format!("{kind} {}", if admitted { "admitted" } else { "rejected" })).or_default() += 1;
        }
    }
    if out.diagnostics.iter().any(|d| d.severity == Severity::Error && ANNOUNCED.contains(&d.code)) {
        return Ok(Verdict::Announced);
    }
    for f in &out.files {
        let p = base.join(&f.path);
        fs::create_dir_all(p.parent().ok_or("no parent")?).map_err(|e| e.to_string())?;
        fs::write(&p, &f.contents).map_err(|e| e.to_string())?;
    }
    let res = Command::new(bin)
        .arg("-c")
        .arg("-f")
        .arg(base.join("conf/haproxy.config"))
        .output()
        .map_err(|e| e.to_string())?;
    let verdict = if res.status.success() {
        let _ = fs::remove_dir_all(&base);
        Verdict::Loaded
    } else {
        // The failing case stays in place; its objects are written beside its config.
        let _ = fs::write(base.join("objects.yaml"), &case.objects);
        let env: String = case.settings.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        let _ = fs::write(base.join("router.env"), env);
        let errors: Vec<&str> =
            out.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.code).collect();
        Verdict::Refused(format!(
            "case {i} (seed {seed}, in {}): routec reported {errors:?}; haproxy -c: {}{}",
            base.display(),
            String::from_utf8_lossy(&res.stdout),
            String::from_utf8_lossy(&res.stderr)
                .lines()
                .filter(|l| l.contains("ALERT"))
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        ))
    };
    Ok(verdict)
}

#[test]
fn whatever_routec_writes_haproxy_loads() {
    let Some(bin) = common::haproxy::binary() else { return };
    let cases: u64 = std::env::var("ROUTEC_GENERATED_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let seed: u64 = std::env::var("ROUTEC_GENERATED_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(18);
    let keep = std::env::var_os("ROUTEC_GENERATED_DIR");
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = keep.as_ref().map_or_else(|| tmp.path().to_path_buf(), std::path::PathBuf::from);
    let d = common::root().join("fixtures/default-cert");
    let cert = fs::read_to_string(d.join("tls.crt")).expect("tls.crt")
        + &fs::read_to_string(d.join("tls.key")).expect("tls.key");
    let next = AtomicUsize::new(0);
    let (loaded, announced) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let failures = Mutex::new(Vec::new());
    let tally = Tally::default();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as u64;
                if i >= cases {
                    break;
                }
                match run_case(&bin, &dir, seed, i, &cert, &tally) {
                    Ok(Verdict::Loaded) => {
                        loaded.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(Verdict::Announced) => {
                        announced.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(Verdict::Refused(why)) | Err(why) => failures.lock().expect("lock").push(why),
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    let (loaded, announced) = (loaded.into_inner(), announced.into_inner());
    report(&format!(
        "generated vs haproxy: {loaded} loaded, {announced} refused as routec announced, {} refused unannounced, of {cases} cases",
        failures.len()
    ));
    let tally = tally.into_inner().expect("lock");
    report(&format!("generated: {tally:?}"));
    let mut wanted: Vec<String> =
        ["http", "edge", "passthrough", "reencrypt"].iter().map(|k| format!("{k} admitted")).collect();
    wanted.extend(routec_core::annotations::REGISTRY.iter().map(|a| a.key.to_owned()));
    wanted.extend(
        ["kind: Endpoints", "kind: EndpointSlice", "addressType: IPv6", "notReadyAddresses", "ready: false"]
            .map(String::from),
    );
    for w in wanted {
        assert!(tally.get(&w).is_some_and(|n| *n > 0), "the generator never produced {w}: {tally:?}");
    }
    assert!(
        announced * 10 < cases as usize + 10,
        "most cases are announced refusals: the generator is not making valid input"
    );
    assert!(failures.is_empty(), "{}", failures.iter().take(5).cloned().collect::<Vec<_>>().join("\n\n"));
}
