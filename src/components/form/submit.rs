//! The button that sends a form.

use leptos::prelude::*;

/// Says so while `busy`, and a second press then sends nothing. It stays focusable
/// (`aria-disabled`, not `disabled`): a disabled button drops the keyboard focus to
/// the top of the page, so whoever pressed Enter on it would have to find their place
/// again once the form has been sent.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: TextProp,
    #[prop(into)] busy_label: TextProp,
    #[prop(into)] busy: Signal<bool>,
    /// Not ready to be sent yet (nothing chosen), apart from being busy.
    #[prop(optional, into)]
    disabled: Signal<bool>,
    /// The button's classes, when not the form's main action (`button button-primary`).
    #[prop(optional)]
    class: Option<&'static str>,
) -> impl IntoView {
    let class = class.unwrap_or("button button-primary");
    view! {
        <button
            type="submit"
            class=class
            disabled=move || disabled.get()
            aria-disabled=move || busy.get().then_some("true")
            aria-busy=move || busy.get().to_string()
            // Cancelling the click also cancels the submit that Enter in a field makes.
            on:click=move |ev| {
                if busy.get_untracked() {
                    ev.prevent_default();
                }
            }
        >
            {move || if busy.get() { busy_label.get() } else { label.get() }}
        </button>
    }
}
