//! How loud and how colourful routec is: the global `-v/--verbose`, `-q/--quiet` and
//! `--color` flags, the `NO_COLOR` and `CLICOLOR_FORCE` conventions, and the per-phase timing
//! lines `-v` prints. Set once in `main`, read everywhere through [`get`].

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use std::time::Instant;

/// `--color`.
#[derive(Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when writing to a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    #[default]
    Auto,
    /// Always colour, whatever the environment says.
    Always,
    /// Never colour.
    Never,
}

/// The flags every command takes.
#[derive(clap::Args, Clone, Copy, Default)]
pub(crate) struct UiArgs {
    /// Print per-phase timings and counts on stderr.
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub(crate) verbose: bool,
    /// Print errors only.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    /// When to colour: auto, always or never.
    #[arg(long, global = true, value_enum, default_value = "auto", value_name = "WHEN", hide_possible_values = true)]
    pub(crate) color: ColorChoice,
}

/// Which stream a text goes to.
#[derive(Clone, Copy)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

struct Ui {
    args: UiArgs,
    start: Instant,
}

static UI: OnceLock<Ui> = OnceLock::new();

/// Records the flags; call once, first thing.
pub(crate) fn init(args: UiArgs) {
    let _ = UI.set(Ui { args, start: Instant::now() });
}

/// The flags (defaults when `init` was not called).
pub(crate) fn get() -> UiArgs {
    UI.get().map(|u| u.args).unwrap_or_default()
}

/// Milliseconds since `init`.
pub(crate) fn elapsed_ms() -> f64 {
    UI.get().map_or(0.0, |u| u.start.elapsed().as_secs_f64() * 1000.0)
}

/// Whether text written to `stream` gets colour. The flag wins; then `NO_COLOR` (any non-empty
/// value, no-color.org) beats `CLICOLOR_FORCE` (any value but `0`, bixense.com/clicolors); then
/// a terminal gets colour.
pub(crate) fn color(stream: Stream) -> bool {
    let tty = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    decide(get().color, std::env::var_os("NO_COLOR"), std::env::var_os("CLICOLOR_FORCE"), tty)
}

fn decide(
    choice: ColorChoice,
    no_color: Option<std::ffi::OsString>,
    force: Option<std::ffi::OsString>,
    tty: bool,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if no_color.is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Auto if force.is_some_and(|v| !v.is_empty() && v != "0") => true,
        ColorChoice::Auto => tty,
    }
}

/// When each stage of the core's compile ended (`Options::on_phase`), for `-v`.
static STAGES: std::sync::Mutex<Vec<(&'static str, Instant)>> = std::sync::Mutex::new(Vec::new());

/// `Options::on_phase` for `-v`: records when a stage of the compile ended.
pub(crate) fn core_stage(name: &'static str) {
    if let Ok(mut s) = STAGES.lock() {
        s.push((name, Instant::now()));
    }
}

/// The stages recorded since `start`, each with its duration: `load 12.3, admit 4.5 ms`.
fn stages_since(start: Instant) -> String {
    let Ok(mut stages) = STAGES.lock() else { return String::new() };
    let mut prev = start;
    let parts: Vec<String> = stages
        .drain(..)
        .map(|(name, at)| {
            let ms = at.saturating_duration_since(prev).as_secs_f64() * 1000.0;
            prev = at;
            format!("{name} {ms:.1}")
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {} ms", parts.join(", "))
    }
}

/// A phase being timed for `-v`.
pub(crate) struct Phase {
    name: &'static str,
    start: Instant,
}

/// Starts timing a phase.
pub(crate) fn phase(name: &'static str) -> Phase {
    Phase { name, start: Instant::now() }
}

impl Phase {
    /// Ends the phase; with `-v`, prints `routec: NAME: DETAIL (T ms)` on stderr.
    pub(crate) fn done(self, detail: &str) {
        if get().verbose {
            let ms = self.start.elapsed().as_secs_f64() * 1000.0;
            let stages = stages_since(self.start);
            let _ = writeln!(std::io::stderr().lock(), "routec: {}: {detail} ({ms:.1} ms{stages})", self.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_precedence() {
        let s = |v: &str| Some(std::ffi::OsString::from(v));
        assert!(decide(ColorChoice::Always, s("1"), None, false));
        assert!(!decide(ColorChoice::Never, None, s("1"), true));
        assert!(!decide(ColorChoice::Auto, s("1"), s("1"), true));
        assert!(decide(ColorChoice::Auto, s(""), s("1"), false));
        assert!(!decide(ColorChoice::Auto, None, s("0"), false));
        assert!(decide(ColorChoice::Auto, None, None, true));
        assert!(!decide(ColorChoice::Auto, None, None, false));
    }
}
