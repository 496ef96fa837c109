//! A group of radio buttons: one question, one answer.

use leptos::prelude::*;

/// Radio buttons in a fieldset whose legend is the question. `id` is the fieldset's
/// (the summary links to it); each option is (value, label).
#[component]
pub fn ChoiceField(
    #[prop(into)] id: String,
    #[prop(into)] legend: TextProp,
    /// Each option's value and label (a closure: it follows the page's language).
    options: Vec<(String, TextProp)>,
    #[prop(into)] selected: Signal<Option<String>>,
    on_pick: impl Fn(String) + Clone + 'static,
    #[prop(optional, into)] error: Signal<Option<String>>,
    /// A class beside `field option-group`, for a group laid out otherwise.
    #[prop(optional)]
    class: Option<&'static str>,
) -> impl IntoView {
    let name = id.clone();
    let class = match class {
        Some(more) => format!("field option-group {more}"),
        None => "field option-group".to_owned(),
    };
    let error_id = format!("{id}-error");
    let described = {
        let error_id = error_id.clone();
        move || error.with(Option::is_some).then(|| error_id.clone())
    };
    view! {
        <fieldset
            id=id
            class=class
            class:field-error=move || error.with(Option::is_some)
            aria-describedby=described
        >
            <legend>{move || legend.get()}</legend>
            {move || {
                error
                    .get()
                    .map(|m| {
                        view! {
                            <p class="error-message" id=error_id.clone()>
                                {m}
                            </p>
                        }
                    })
            }}
            {options
                .into_iter()
                .enumerate()
                .map(|(i, (value, label))| {
                    let input_id = format!("{name}-{i}");
                    let checked = value.clone();
                    let pick = on_pick.clone();
                    view! {
                        <div class="option">
                            <input
                                type="radio"
                                id=input_id.clone()
                                name=name.clone()
                                value=value.clone()
                                prop:checked=move || {
                                    selected.with(|s| s.as_deref() == Some(checked.as_str()))
                                }
                                on:change=move |_| pick(value.clone())
                            />
                            <label for=input_id>{move || label.get()}</label>
                        </div>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
