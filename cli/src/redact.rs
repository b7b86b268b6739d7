//! The process's private-key lines: every text routec reads (inputs, settings, the default
//! certificate, a router directory's files) is registered here, and every text it prints passes
//! through [`scrub`], so no output format can leak a key into a CI log. The matching itself is
//! `routec_core::redact`.

use std::borrow::Cow;
use std::sync::{Mutex, PoisonError};

use routec_core::redact::Secrets;

static SECRETS: Mutex<Option<Secrets>> = Mutex::new(None);

/// Remembers the private-key lines of `text`.
pub(crate) fn register(text: &str) {
    if !Secrets::holds_key(text) {
        return;
    }
    let mut guard = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    guard.get_or_insert_with(Secrets::new).add(text);
}

/// Remembers the private-key lines of raw bytes (files that may not be UTF-8).
pub(crate) fn register_bytes(bytes: &[u8]) {
    // Most files hold no key; a valid UTF-8 file is read in place, without a lossy copy.
    match std::str::from_utf8(bytes) {
        Ok(text) => register(text),
        Err(_) => register(&String::from_utf8_lossy(bytes)),
    }
}

/// `text` with every registered key line replaced.
pub(crate) fn scrub(text: &str) -> Cow<'_, str> {
    let guard = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    match guard.as_ref() {
        Some(s) => Cow::Owned(s.scrub(text).into_owned()),
        None => Cow::Borrowed(text),
    }
}
