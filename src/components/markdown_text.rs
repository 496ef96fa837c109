//! Untrusted Markdown being written (the ticket form's and the reply box's previews)
//! shown as safe HTML, rendered by the shared renderer in the render worker, with
//! remote images as links. Until it answers — or if it cannot start — the text shows
//! as typed, so nothing is ever hidden. Ticket text already sent comes rendered by the
//! server ([`RenderedText`](super::rendered_text::RenderedText)).

use leptos::prelude::*;

use crate::fetch::Fetch;
use crate::i18n::use_i18n;
use crate::markdown;

#[component]
pub fn MarkdownText(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let rendered = Fetch::new(move || {
        let text = text.get();
        let titles = markdown::callout_titles(i18n);
        async move {
            markdown::render(&text, &titles, true)
                .await
                .ok()
                .map(|r| r.html)
        }
    });
    move || match rendered.get().flatten() {
        Some(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
        None => view! { <div class="prose plain-text">{text.get()}</div> }.into_any(),
    }
}
