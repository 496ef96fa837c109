//! Ticket text (a description, a reply, a reason) as the server rendered it: safe
//! HTML from the shared renderer (`selfdesk_shared::markdown::render_ticket_text`),
//! so a ticket's page loads no Markdown renderer. The server's renderer shows raw HTML
//! as text, drops unsafe links and turns remote images into links; the page only
//! inserts what it was given.

use leptos::prelude::*;

/// `html` when the server sent it; otherwise `text` as typed (never hidden).
#[component]
pub fn RenderedText(html: Option<String>, text: String) -> impl IntoView {
    match html.filter(|html| !html.is_empty()) {
        Some(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
        None => view! { <div class="prose plain-text">{text}</div> }.into_any(),
    }
}
