//! A one-line text box in its [`Field`](super::Field): the most common control,
//! written once.

use leptos::prelude::*;

use super::field::{Control, Labelled, labelled};

/// What a [`TextField`]'s input is for: its `type`, and what the browser may offer.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum TextKind {
    #[default]
    Text,
    /// A code or an address part: no spelling marks.
    Code,
    Email,
    Password,
    Time,
    Search,
}

impl TextKind {
    fn input_type(self) -> &'static str {
        match self {
            Self::Text | Self::Code => "text",
            Self::Email => "email",
            Self::Password => "password",
            Self::Time => "time",
            Self::Search => "search",
        }
    }
}

/// A labelled text input showing `value` and reporting each change to `on_input`.
/// Not generic: every text box of an app shares this one piece of code.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: TextProp,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(optional)] kind: TextKind,
    /// In characters; the server's limit, so a long text is cut where it would be refused.
    #[prop(optional)]
    maxlength: Option<usize>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] name: Option<&'static str>,
    /// An example of the expected form (a ticket number), never a label.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// The message may appear without a submit: it is announced as it appears.
    #[prop(optional)]
    live: bool,
) -> impl IntoView {
    let attributes = Attributes {
        kind,
        maxlength,
        autocomplete,
        name,
        placeholder,
        required,
        disabled,
    };
    labelled(
        Labelled {
            id,
            label,
            hint,
            error,
            live,
            aside: None,
        },
        move |control| text_input(&control, value, on_input, attributes),
    )
}

struct Attributes {
    kind: TextKind,
    maxlength: Option<usize>,
    autocomplete: Option<&'static str>,
    name: Option<&'static str>,
    placeholder: Option<&'static str>,
    required: bool,
    disabled: Signal<bool>,
}

fn text_input(
    c: &Control,
    value: Signal<String>,
    on_input: Callback<String>,
    attributes: Attributes,
) -> AnyView {
    let Attributes {
        kind,
        maxlength,
        autocomplete,
        name,
        placeholder,
        required,
        disabled,
    } = attributes;
    view! {
        <input
            id=c.id.clone()
            type=kind.input_type()
            name=name
            maxlength=maxlength
            autocomplete=autocomplete
            placeholder=placeholder
            spellcheck=matches!(kind, TextKind::Code | TextKind::Email).then_some("false")
            required=required
            disabled=move || disabled.get()
            aria-invalid=c.invalid()
            aria-describedby=c.described_by()
            prop:value=move || value.get()
            on:input=move |ev| on_input.run(event_target_value(&ev))
        />
    }
    .into_any()
}
