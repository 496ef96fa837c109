//! The browser layer of guided diagnostics' checks (`selfdesk::browser_checks`), as a
//! wasm module of its own that the diagnostics app loads when a flow with checks
//! opens (`pages::diagnose::checks`), so that no other page pays for it.
//!
//! Built by Trunk as a "worker" (wasm-bindgen's no-modules output, which any script
//! may load), but run on the page: the web APIs it asks (screens, media devices,
//! local storage) exist only there.

use selfdesk_shared::flows::checks::CheckKind;
use wasm_bindgen::prelude::*;

/// A binary needs a `main`; the module is driven by `run_check` and `ask_permission`.
fn main() {}

/// Runs the check named `kind` (`"online"`) and resolves to what it found, as
/// `selfdesk::browser_checks::encode` writes it; `signal` aborts its requests when
/// the app stops waiting.
#[wasm_bindgen]
pub async fn run_check(kind: String, signal: Option<web_sys::AbortSignal>) -> JsValue {
    let Some(kind) = CheckKind::ALL.into_iter().find(|k| k.id() == kind) else {
        return JsValue::NULL;
    };
    let decision = selfdesk::browser_checks::gather(kind, signal.as_ref()).await;
    selfdesk::browser_checks::encode(&decision)
}

/// Asks the browser's permission the check `kind` could use, after the page said why
/// (see `selfdesk::browser_checks::ask`); resolves once the person answered.
#[wasm_bindgen]
pub async fn ask_permission(kind: String) {
    if let Some(kind) = CheckKind::ALL.into_iter().find(|k| k.id() == kind) {
        selfdesk::browser_checks::ask(kind).await;
    }
}
