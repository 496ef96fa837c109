//! One to five stars: a rating asked as a question.

use leptos::prelude::*;

/// Five radio buttons drawn as stars, in a fieldset whose legend is the question.
/// Each star's name (`star_label`, "3 stars") is its label for screen readers and its
/// tooltip; the inputs are `{name}-1` … `{name}-5`.
#[component]
pub fn StarsField(
    name: &'static str,
    #[prop(into)] legend: TextProp,
    #[prop(optional, into)] hint: Option<TextProp>,
    value: RwSignal<Option<u8>>,
    #[prop(into)] star_label: Callback<u8, String>,
    /// The message shown when the rating is refused; announced as it appears.
    #[prop(optional, into)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="field rating" class:field-error=move || error.with(Option::is_some)>
            <legend>{move || legend.get()}</legend>
            {move || {
                error
                    .get()
                    .map(|m| {
                        view! {
                            <p class="error-message" role="alert">
                                {m}
                            </p>
                        }
                    })
            }}
            <div class="rating-choices">
                {(1..=5u8)
                    .map(|n| {
                        let id = format!("{name}-{n}");
                        let label = star_label.run(n);
                        let title = label.clone();
                        view! {
                            <input
                                type="radio"
                                name=name
                                id=id.clone()
                                value=n.to_string()
                                prop:checked=move || value.get() == Some(n)
                                on:change=move |_| value.set(Some(n))
                            />
                            <label for=id title=title>
                                <span aria-hidden="true">"★"</span>
                                <span class="visually-hidden">{label}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            {hint.map(|hint| view! { <p class="hint">{move || hint.get()}</p> })}
        </fieldset>
    }
}
