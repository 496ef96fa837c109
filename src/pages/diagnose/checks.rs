//! Running a flow's checks from the diagnostics app: the browser layer that gathers
//! the facts (`crate::browser_checks`) is a wasm module of its own
//! (`src/bin/browser_checks.rs`), loaded here on demand so that only flows with checks
//! pay for it. `preload` starts loading it as soon as such a flow opens, while the
//! network is there: the online check must still run once it is gone.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::set_timeout;
use selfdesk_shared::flows::checks::{CHECK_TIMEOUT_MS, CheckKind, Decision, online};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Where Trunk puts the module (see diagnose.html): beside the app's own files.
const MODULE_BASE: &str = "/diagnose-app/browser_checks";

#[wasm_bindgen(inline_js = r#"
let loading;
// Loads the no-modules build once (a script defining the global `wasm_bindgen`) and
// resolves to its exports; a failure is forgotten, so the next check tries again.
export function load_browser_checks(base) {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = base + '.js';
      script.onload = () => wasm_bindgen({ module_or_path: base + '_bg.wasm' })
        .then(() => resolve(wasm_bindgen), reject);
      script.onerror = () => reject(new Error('the checks module did not load'));
      document.head.appendChild(script);
    }).catch((error) => {
      loading = undefined;
      throw error;
    });
  }
  return loading;
}
export function run_loaded_check(module, kind, signal) {
  return module.run_check(kind, signal);
}
export function ask_loaded(module, kind) {
  return module.ask_permission(kind);
}
"#)]
extern "C" {
    fn load_browser_checks(base: &str) -> js_sys::Promise;
    fn run_loaded_check(
        module: &JsValue,
        kind: &str,
        signal: Option<&web_sys::AbortSignal>,
    ) -> js_sys::Promise;
    fn ask_loaded(module: &JsValue, kind: &str) -> js_sys::Promise;
}

/// Starts loading the browser layer, if it is not loaded or loading already.
pub fn preload() {
    let loading = load_browser_checks(MODULE_BASE);
    // A failure here is retried by the check itself, which reports it.
    leptos::task::spawn_local(async move {
        let _ = JsFuture::from(loading).await;
    });
}

/// Asks the browser's permission that a check of `kind` could use, and resolves once
/// the person has answered its prompt (however they answered). Only called from a
/// button under the page's reason for asking.
pub async fn ask(kind: CheckKind) {
    if let Ok(module) = JsFuture::from(load_browser_checks(MODULE_BASE)).await {
        let _ = JsFuture::from(ask_loaded(&module, kind.id())).await;
    }
}

/// The one call a check's result gets, whichever comes first: the answer or the time.
type Once = Rc<RefCell<Option<Box<dyn FnOnce(Decision)>>>>;

/// Runs a check and calls `done` once with its decision: "could not run" when the
/// check (with the module, if it is still loading) takes longer than
/// `CHECK_TIMEOUT_MS` (its requests are then aborted) or the module cannot load (but
/// for the online check, which then still tells an offline device).
pub fn run(kind: CheckKind, done: impl FnOnce(Decision) + 'static) {
    let done: Once = Rc::new(RefCell::new(Some(Box::new(done))));
    let abort = web_sys::AbortController::new().ok();
    let signal = abort.as_ref().map(web_sys::AbortController::signal);
    {
        let done = Rc::clone(&done);
        set_timeout(
            move || {
                if let Some(done) = done.borrow_mut().take() {
                    if let Some(abort) = abort {
                        abort.abort();
                    }
                    done(Decision::could_not_run());
                }
            },
            Duration::from_millis(u64::from(CHECK_TIMEOUT_MS)),
        );
    }
    leptos::task::spawn_local(async move {
        let decision = match JsFuture::from(load_browser_checks(MODULE_BASE)).await {
            Ok(module) => {
                match JsFuture::from(run_loaded_check(&module, kind.id(), signal.as_ref())).await {
                    Ok(found) => crate::browser_checks::decode(kind, &found),
                    Err(_) => Decision::could_not_run(),
                }
            }
            // The module could not load: the network went before it came. Whether
            // this device is offline is still known, and the online check is the one
            // people reach in exactly that state.
            Err(_) if kind == CheckKind::Online => online::decide(&online::Facts {
                navigator_online: web_sys::window().map(|w| w.navigator().on_line()),
                probe: Some(online::Probe::Unreachable),
            }),
            Err(_) => Decision::could_not_run(),
        };
        // Taken already when the time ran out: a late answer is dropped.
        let done = done.borrow_mut().take();
        if let Some(done) = done {
            done(decision);
        }
    });
}
