//! The summary at the top of a refused form.

use leptos::html;
use leptos::prelude::*;

use super::{FailureText, Problems};
use crate::api::ApiError;
use crate::i18n::{t_string, use_i18n};
use crate::text::fill;

/// Shown while the form has problems or its request failed: a heading, one link per
/// problem (to its control), and the failure's own sentence when no problem shows it
/// (it concerns no field, or a field the form has no control for). It takes the focus
/// when it appears, so screen readers announce it; a link moves the focus to its
/// control (the router would only scroll). `children` (e.g. a "send again" button) go
/// under the list.
#[component]
pub fn ErrorSummary(
    problems: Problems,
    /// A failed request whose refusal is not about one field.
    #[prop(optional, into)]
    failure: Signal<Option<ApiError>>,
    /// Another heading than "There is a problem".
    #[prop(optional, into)]
    title: Option<TextProp>,
    #[prop(optional)] children: Option<ChildrenFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<html::Div>::new();
    let unplaced = move || {
        failure
            .get()
            .filter(|error| error.field().is_none() || problems.is_empty())
    };
    let shown = move || !problems.is_empty() || unplaced().is_some();
    Effect::new(move |_| {
        if shown()
            && let Some(el) = node.get()
        {
            let _ = el.focus();
        }
    });
    let title = StoredValue::new(title);
    let children = StoredValue::new(children);
    view! {
        <Show when=shown>
            <div class="error-summary" role="alert" tabindex="-1" node_ref=node>
                <h2>
                    {move || match title.get_value() {
                        Some(title) => title.get().to_string(),
                        None => t_string!(i18n, error_summary_title).to_string(),
                    }}
                </h2>
                <ul>
                    {move || {
                        problems
                            .list()
                            .into_iter()
                            .map(|p| {
                                let text = match p.label {
                                    Some(label) => {
                                        fill(
                                            &fill(t_string!(i18n, problem_in_field), label),
                                            p.text,
                                        )
                                    }
                                    None => p.text,
                                };
                                let id = p.id.clone();
                                view! {
                                    <li>
                                        <a
                                            href=format!("#{}", p.id)
                                            on:click=move |ev| focus_control(ev, &id)
                                        >
                                            {text}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                    {move || {
                        unplaced()
                            .map(|error| {
                                view! {
                                    <li>
                                        <FailureText error />
                                    </li>
                                }
                            })
                    }}
                </ul>
                {move || children.with_value(|c| c.as_ref().map(|c| c()))}
            </div>
        </Show>
    }
}

/// Focuses the control `id` (a group's first input), as following the link would
/// without the router, which handles in-page links by scrolling only.
fn focus_control(ev: leptos::ev::MouseEvent, id: &str) {
    use wasm_bindgen::JsCast;
    let Some(target) = document().get_element_by_id(id) else {
        return;
    };
    ev.prevent_default();
    let control = if target.tag_name().eq_ignore_ascii_case("fieldset") {
        target
            .query_selector("input, select, textarea")
            .ok()
            .flatten()
    } else {
        Some(target)
    };
    if let Some(control) = control.and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok()) {
        control.scroll_into_view();
        let _ = control.focus();
    }
}
