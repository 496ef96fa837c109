//! The browser's side of a flow's checks, loaded on demand as a wasm module of its
//! own (`src/bin/browser_checks.rs`): gathering each kind's facts with web APIs, then
//! handing them to the kind's pure decision in `selfdesk_shared::flows::checks`, which
//! is where the judgement (and its tests) lives. This file only asks the browser, and
//! says what it found in plain arrays (`encode`, read back by `decode` in the
//! diagnostics app) so that neither module needs serde for it.
//!
//! A module of its own because these APIs and their glue are a tenth of the
//! diagnostics app, needed only by flows with checks: the app starts loading it as
//! soon as such a flow opens (`pages::diagnose::checks`), so an online check still
//! runs after the network is gone.
//!
//! Browser APIs are reached through `js_sys::Reflect` rather than typed `web-sys`
//! bindings: many are missing from some browsers (the Permissions API, storage
//! estimates, `screen.isExtended`), and a missing one must give "could not run", not
//! an exception; it also keeps the module from growing a binding per API.
//!
//! Nothing is gathered anywhere but here, and only when a walk reaches a check.

use js_sys::{Array, Object, Reflect};
use selfdesk_shared::flows::checks::{
    CheckKind, Decision, Finding, Permission, Unit, displays, environment, media_devices, online,
    reach, storage,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api;

/// A decision as `[outcome id, [[key, value, unit or null], …]]`.
pub fn encode(decision: &Decision) -> JsValue {
    let findings: Array = decision
        .findings
        .iter()
        .map(|f| {
            let unit = match f.unit {
                Some(Unit::Milliseconds) => JsValue::from_str("ms"),
                Some(Unit::Megabytes) => JsValue::from_str("mb"),
                None => JsValue::NULL,
            };
            JsValue::from(Array::of3(
                &f.key.as_str().into(),
                &f.value.as_str().into(),
                &unit,
            ))
        })
        .collect();
    Array::of2(&decision.outcome.id.into(), &findings).into()
}

/// What `encode` wrote, for a check of `kind`; "could not run" for anything else (an
/// outcome the kind does not have, a module of another version).
pub fn decode(kind: CheckKind, found: &JsValue) -> Decision {
    let found = Array::from(found);
    let Some(outcome) = found.get(0).as_string().and_then(|id| kind.outcome(&id)) else {
        return Decision::could_not_run();
    };
    let findings = Array::from(&found.get(1))
        .iter()
        .filter_map(|f| {
            let f = Array::from(&f);
            let unit = match f.get(2).as_string().as_deref() {
                Some("ms") => Some(Unit::Milliseconds),
                Some("mb") => Some(Unit::Megabytes),
                _ => None,
            };
            Some(Finding {
                key: f.get(0).as_string()?,
                value: f.get(1).as_string()?,
                unit,
            })
        })
        .collect();
    Decision { outcome, findings }
}

/// What the browser finds for `kind`, decided by the kind's pure rules.
pub async fn gather(kind: CheckKind, signal: Option<&web_sys::AbortSignal>) -> Decision {
    match kind {
        CheckKind::Online => online::decide(&online_facts(signal).await),
        CheckKind::Environment => environment::decide(&environment_facts(signal).await),
        CheckKind::Storage => storage::decide(&storage_facts().await),
        CheckKind::MediaDevices => media_devices::decide(&media_facts().await),
        CheckKind::Displays => displays::decide(&display_facts().await),
        CheckKind::Reach => reach::decide(&reach_facts(signal).await),
    }
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `object[key]`, `None` when missing, undefined or null.
fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `object[method](...args)` and awaits the promise it returns.
async fn call_async(object: &JsValue, method: &str, args: &Array) -> Option<JsValue> {
    let function = get(object, method)?.dyn_into::<js_sys::Function>().ok()?;
    let promise = Reflect::apply(&function, object, args)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    JsFuture::from(promise).await.ok()
}

fn navigator() -> Option<JsValue> {
    window().map(|w| w.navigator().into())
}

async fn online_facts(signal: Option<&web_sys::AbortSignal>) -> online::Facts {
    let started = js_sys::Date::now();
    let probe = match api::probe_health(signal).await {
        Ok(answer) if (200..300).contains(&answer.status) => online::Probe::Answered {
            ms: (js_sys::Date::now() - started).max(0.0) as u32,
        },
        Ok(answer) => online::Probe::Failed {
            status: answer.status,
        },
        Err(()) => online::Probe::Unreachable,
    };
    // Read after the request, which may have taken seconds: the state it ended in.
    let navigator_online = navigator().and_then(|n| get(&n, "onLine")?.as_bool());
    online::Facts {
        navigator_online,
        probe: Some(probe),
    }
}

/// How long the reach check may spend, reading the list included, before a service
/// that has not answered counts as not answering: inside the check's own time
/// (`CHECK_TIMEOUT_MS`, which also covers loading this module), so that what was
/// found is not lost to "could not run".
const REACH_BUDGET_MS: f64 = 3_000.0;

/// Tries every service the admins listed, all at once. No list (or none readable)
/// leaves nothing to try, and the check says it could not run; so does any page but
/// the diagnostics page (the staff flow editor's preview), whose policy does not let
/// it connect to the services.
async fn reach_facts(signal: Option<&web_sys::AbortSignal>) -> Vec<reach::Probe> {
    let on_diagnose_page = window()
        .and_then(|w| w.location().pathname().ok())
        .is_some_and(|p| p == "/diagnose" || p.starts_with("/diagnose/"));
    if !on_diagnose_page {
        return Vec::new();
    }
    let began = js_sys::Date::now();
    let Ok(list) = api::reach_services(signal).await else {
        return Vec::new();
    };
    // One deadline for all: each service has the same time from the same start. The
    // check's own abort (it gave up waiting) ends them too.
    let Ok(deadline) = web_sys::AbortController::new() else {
        return Vec::new();
    };
    let left = (REACH_BUDGET_MS - (js_sys::Date::now() - began)).max(500.0);
    if let Some(win) = window() {
        let abort = deadline.clone();
        let on_time = wasm_bindgen::closure::Closure::once_into_js(move || abort.abort());
        let _ = win.set_timeout_with_callback_and_timeout_and_arguments_0(
            on_time.unchecked_ref(),
            left as i32,
        );
    }
    if let Some(outer) = signal {
        let abort = deadline.clone();
        let on_abort = wasm_bindgen::closure::Closure::once_into_js(move || abort.abort());
        let _ = outer.add_event_listener_with_callback("abort", on_abort.unchecked_ref());
    }
    let signal = deadline.signal();
    let tries = list.services.into_iter().map(|service| {
        let signal = signal.clone();
        async move {
            let started = js_sys::Date::now();
            let answered = api::probe_service(&service.url, &signal).await.is_ok();
            reach::Probe {
                name: service.name,
                ms: answered.then(|| (js_sys::Date::now() - started).max(0.0) as u32),
            }
        }
    });
    futures::future::join_all(tries).await
}

async fn environment_facts(signal: Option<&web_sys::AbortSignal>) -> environment::Facts {
    let nav = navigator();
    let text = |key: &str| nav.as_ref().and_then(|n| get(n, key)?.as_string());
    let screen = window().and_then(|w| get(&w.into(), "screen"));
    let size = |key: &str| {
        screen
            .as_ref()
            .and_then(|s| get(s, key)?.as_f64())
            .map(|v| v as u32)
    };
    let time_zone = {
        let format = js_sys::Intl::DateTimeFormat::new(&Array::new(), &Object::new());
        get(&format.resolved_options().into(), "timeZone").and_then(|v| v.as_string())
    };
    // The server's clock from its Date header, against the middle of the request:
    // good to a second, which is plenty for a five-minute limit.
    let before = js_sys::Date::now();
    let clock_skew_ms = api::probe_health(signal)
        .await
        .ok()
        .and_then(|answer| answer.date)
        .map(|date| js_sys::Date::parse(&date))
        .filter(|server| server.is_finite())
        .map(|server| (before + js_sys::Date::now()) / 2.0 - server);
    environment::Facts {
        user_agent: text("userAgent").unwrap_or_default(),
        screen_width: size("width"),
        screen_height: size("height"),
        pixel_ratio: window().map(|w| w.device_pixel_ratio()),
        touch_points: nav
            .as_ref()
            .and_then(|n| get(n, "maxTouchPoints")?.as_f64())
            .map_or(0, |v| v as u32),
        language: text("language"),
        time_zone,
        clock_skew_ms,
    }
}

async fn storage_facts() -> storage::Facts {
    let nav = navigator();
    let cookies = nav
        .as_ref()
        .and_then(|n| get(n, "cookieEnabled")?.as_bool());
    // Reading `localStorage` itself throws when storage is blocked.
    let local_storage = window().map(|w| match w.local_storage() {
        Ok(Some(store)) => {
            let key = "selfdesk-check";
            let worked = store.set_item(key, "1").is_ok()
                && store.get_item(key).ok().flatten().as_deref() == Some("1");
            let _ = store.remove_item(key);
            worked
        }
        _ => false,
    });
    let estimate = match nav.as_ref().and_then(|n| get(n, "storage")) {
        Some(manager) => call_async(&manager, "estimate", &Array::new()).await,
        None => None,
    };
    let number = |key: &str| estimate.as_ref().and_then(|e| get(e, key)?.as_f64());
    storage::Facts {
        cookies,
        local_storage,
        usage: number("usage"),
        quota: number("quota"),
    }
}

/// What the Permissions API says about `name`, without asking the person anything.
async fn permission(name: &str) -> Permission {
    let Some(permissions) = navigator().and_then(|n| get(&n, "permissions")) else {
        return Permission::Unknown;
    };
    let descriptor = Object::new();
    let _ = Reflect::set(&descriptor, &"name".into(), &name.into());
    // Browsers that do not know the name reject the promise.
    call_async(&permissions, "query", &Array::of1(&descriptor))
        .await
        .and_then(|status| get(&status, "state")?.as_string())
        .map_or(Permission::Unknown, |s| Permission::parse(&s))
}

async fn media_facts() -> media_devices::Facts {
    // Listing devices needs no permission (their names stay hidden without it), so
    // nothing is asked of the person here.
    let devices = match navigator().and_then(|n| get(&n, "mediaDevices")) {
        Some(media) => call_async(&media, "enumerateDevices", &Array::new()).await,
        None => None,
    };
    let kinds: Option<Vec<String>> = devices.map(|list| {
        Array::from(&list)
            .iter()
            .filter_map(|d| get(&d, "kind")?.as_string())
            .collect()
    });
    let count = |kind: &str| {
        kinds
            .as_ref()
            .map(|k| k.iter().filter(|k| *k == kind).count())
    };
    media_devices::Facts {
        cameras: count("videoinput"),
        microphones: count("audioinput"),
        // Only Chromium lists outputs; elsewhere none listed means "cannot say".
        speakers: count("audiooutput").filter(|n| *n > 0),
        camera_permission: permission("camera").await,
        microphone_permission: permission("microphone").await,
    }
}

async fn display_facts() -> displays::Facts {
    let win = window().map(JsValue::from);
    let screen = win.as_ref().and_then(|w| get(w, "screen"));
    let size = |key: &str| {
        screen
            .as_ref()
            .and_then(|s| get(s, key)?.as_f64())
            .map(|v| v as u32)
    };
    // Counting screens needs the Window Management permission; it is only used when
    // already granted, never asked for here (see `ask`).
    let allowed = permission("window-management").await;
    let screens = match (&win, allowed) {
        (Some(w), Permission::Granted) => call_async(w, "getScreenDetails", &Array::new())
            .await
            .and_then(|details| get(&details, "screens"))
            .map(|list| Array::from(&list).length() as usize),
        _ => None,
    };
    displays::Facts {
        screens,
        extended: screen
            .as_ref()
            .and_then(|s| get(s, "isExtended")?.as_bool()),
        width: size("width"),
        height: size("height"),
        permission: allowed,
    }
}

/// Asks the browser's permission that `kind` could use (see
/// `selfdesk_shared::flows::checks::worth_asking`), once the page has said why and the
/// person chose to: a camera and microphone are opened and closed at once (nothing
/// is recorded); the screens' details are requested and dropped. Resolves when the
/// person has answered the browser's prompt, whatever the answer: the check then
/// runs again and reads the permission as it now is.
pub async fn ask(kind: CheckKind) {
    let Some(win) = window() else { return };
    match kind {
        CheckKind::MediaDevices => {
            let Some(media) = navigator().and_then(|n| get(&n, "mediaDevices")) else {
                return;
            };
            // Only what is there: asking for a missing camera fails without a prompt.
            let facts = media_facts().await;
            let has = |n: Option<usize>| JsValue::from_bool(n.is_some_and(|n| n > 0));
            let wanted = Object::new();
            let _ = Reflect::set(&wanted, &"audio".into(), &has(facts.microphones));
            let _ = Reflect::set(&wanted, &"video".into(), &has(facts.cameras));
            if let Some(stream) = call_async(&media, "getUserMedia", &Array::of1(&wanted)).await
                && let Some(tracks) = get(&stream, "getTracks")
                    .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                    .and_then(|f| f.call0(&stream).ok())
            {
                for track in Array::from(&tracks).iter() {
                    if let Some(stop) =
                        get(&track, "stop").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                    {
                        let _ = stop.call0(&track);
                    }
                }
            }
        }
        CheckKind::Displays => {
            let _ = call_async(&win.into(), "getScreenDetails", &Array::new()).await;
        }
        _ => {}
    }
}
