//! One labelled control with its hint and its message.

use leptos::prelude::*;

/// What the control inside a [`Field`] must carry, so that the label, hint and
/// message belong to it for assistive technology.
#[derive(Clone)]
pub struct Control {
    pub id: String,
    error: Signal<Option<String>>,
    hint_id: Option<String>,
}

impl Control {
    /// `aria-invalid`.
    pub fn invalid(&self) -> impl Fn() -> &'static str + Send + Sync + Clone + use<> {
        let error = self.error;
        move || {
            if error.with(Option::is_some) {
                "true"
            } else {
                "false"
            }
        }
    }

    /// `aria-describedby`: the hint, then the message when there is one.
    pub fn described_by(&self) -> impl Fn() -> Option<String> + Send + Sync + Clone + use<> {
        let (error, hint_id) = (self.error, self.hint_id.clone());
        let error_id = message_id(&self.id);
        move || {
            let ids: Vec<&str> = hint_id
                .as_deref()
                .into_iter()
                .chain(error.with(Option::is_some).then_some(error_id.as_str()))
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    }
}

fn message_id(id: &str) -> String {
    format!("{id}-error")
}

/// A label, an optional hint, the message when refused, and the control `children`
/// builds from the [`Control`] it is given:
///
/// ```text
/// <Field id="ticket-subject" label=move || t_string!(i18n, ticket_subject) error=problems.at("ticket-subject") let:c>
///     <input id=c.id.clone() aria-invalid=c.invalid() aria-describedby=c.described_by() bind:value=subject />
/// </Field>
/// ```
#[component]
pub fn Field<C, V>(
    #[prop(into)] id: String,
    #[prop(into)] label: TextProp,
    #[prop(optional, into)] hint: Option<TextProp>,
    /// The message shown when the field is refused.
    #[prop(optional, into)]
    error: Signal<Option<String>>,
    /// The message may appear without a submit (a file refused as it uploads): it is
    /// announced as it appears.
    #[prop(optional)]
    live: bool,
    /// Beside the label (a "Preview" toggle).
    #[prop(optional, into)]
    aside: Option<ViewFn>,
    children: C,
) -> impl IntoView
where
    C: Fn(Control) -> V + 'static,
    V: IntoView + 'static,
{
    labelled(
        Labelled {
            id,
            label,
            hint,
            error,
            live,
            aside,
        },
        |control| children(control).into_any(),
    )
}

/// What surrounds a control: everything of a [`Field`] but the control.
pub(super) struct Labelled {
    pub id: String,
    pub label: TextProp,
    pub hint: Option<TextProp>,
    pub error: Signal<Option<String>>,
    pub live: bool,
    pub aside: Option<ViewFn>,
}

/// A field around the control `control` builds; for controls written once in this
/// module (a [`TextField`](super::TextField)) as well as [`Field`]'s children.
pub(super) fn labelled(parts: Labelled, control: impl FnOnce(Control) -> AnyView) -> AnyView {
    let Labelled {
        id,
        label,
        hint,
        error,
        live,
        aside,
    } = parts;
    // An empty hint (a category field without one) is no hint.
    let hint = hint.filter(|h| !h.get().is_empty());
    let hint_id = hint.as_ref().map(|_| format!("{id}-hint"));
    let control = control(Control {
        id: id.clone(),
        error,
        hint_id: hint_id.clone(),
    });
    // Everything else is built once, not once per kind of control: every form of an
    // app shares this code.
    field_view(FieldParts {
        id,
        label,
        hint: hint.zip(hint_id),
        error,
        live,
        aside,
        control,
    })
}

struct FieldParts {
    id: String,
    label: TextProp,
    hint: Option<(TextProp, String)>,
    error: Signal<Option<String>>,
    live: bool,
    aside: Option<ViewFn>,
    control: AnyView,
}

fn field_view(parts: FieldParts) -> AnyView {
    let FieldParts {
        id,
        label,
        hint,
        error,
        live,
        aside,
        control,
    } = parts;
    let error_id = message_id(&id);
    let label = view! { <label for=id>{move || label.get()}</label> };
    view! {
        <div class="field" class:field-error=move || error.with(Option::is_some)>
            {match aside {
                Some(aside) => {
                    view! { <div class="label-row">{label}{aside.run()}</div> }.into_any()
                }
                None => label.into_any(),
            }}
            {hint
                .map(|(hint, hint_id)| {
                    view! {
                        <p class="hint" id=hint_id>
                            {move || hint.get()}
                        </p>
                    }
                })}
            {move || {
                error
                    .get()
                    .map(|m| {
                        view! {
                            <p
                                class="error-message"
                                id=error_id.clone()
                                role=live.then_some("alert")
                            >
                                {m}
                            </p>
                        }
                    })
            }}
            {control}
        </div>
    }
    .into_any()
}
