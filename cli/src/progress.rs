//! Progress on stderr for long runs (reading many files, compiling a large input), drawn with
//! indicatif only on a terminal: stderr must be a tty and `CI` unset, so logs and pipes never
//! hold spinner frames. Nothing is drawn for work that ends within about a second.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before the spinner appears.
const DELAY: Duration = Duration::from_secs(1);

/// A spinner that shows itself after [`DELAY`]; dropping it clears it.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    /// Set when the work is over, under the lock the delayed start takes, so a spinner is never
    /// shown after it was cleared.
    done: Arc<Mutex<bool>>,
}

/// True when progress may be drawn: a terminal, and not CI.
pub(crate) fn wanted(stderr_is_terminal: bool, ci: Option<&std::ffi::OsStr>) -> bool {
    stderr_is_terminal && ci.is_none()
}

impl Progress {
    /// Starts the (hidden) spinner with a message.
    pub(crate) fn start(message: &str) -> Self {
        let done = Arc::new(Mutex::new(false));
        if !wanted(std::io::stderr().is_terminal(), std::env::var_os("CI").as_deref()) {
            return Self { bar: None, done };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        let (later, flag) = (bar.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            if let Ok(done) = flag.lock() {
                if !*done {
                    later.set_draw_target(ProgressDrawTarget::stderr());
                }
            }
        });
        Self { bar: Some(bar), done }
    }

    /// Changes what the spinner says.
    pub(crate) fn set_message(&self, message: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(message);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Ok(mut done) = self.done.lock() {
            *done = true;
            if let Some(bar) = &self.bar {
                bar.finish_and_clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_on_a_terminal_outside_ci() {
        assert!(wanted(true, None));
        assert!(!wanted(false, None));
        assert!(!wanted(true, Some(std::ffi::OsStr::new("true"))));
        assert!(!wanted(true, Some(std::ffi::OsStr::new(""))), "CI set to anything counts");
    }
}
