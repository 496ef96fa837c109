//! The button that sends a form.

use leptos::prelude::*;

/// Disabled while `busy`, and saying so, so a second press cannot send twice.
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
            disabled=move || busy.get() || disabled.get()
            aria-busy=move || busy.get().to_string()
        >
            {move || if busy.get() { busy_label.get() } else { label.get() }}
        </button>
    }
}
