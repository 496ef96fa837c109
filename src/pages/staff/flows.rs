//! Every diagnostic flow, published or not, with how its walks went over the last 30
//! days; and the form that starts a new one.

use crate::router::A;
use crate::router::use_navigate;
use leptos::prelude::*;

use crate::say::say;
use selfdesk_shared::flows::api::StaffFlowListItem;
use selfdesk_shared::flows::{RESERVED_FLOW_SLUGS, check_flow_slug};

use crate::api;
use crate::components::article_fields::field_message;
use crate::components::dates::long_date;
use crate::components::form::{
    ErrorSummary, Problem, Problems, SubmitButton, TextField, problem_for,
};
use crate::components::language::current_language;
use crate::components::page_title::page_title;
use crate::components::status::Loaded;
use crate::fetch::Fetch;
use crate::i18n::{t_string, use_i18n};
use crate::session::use_session;
use crate::text::fill;

#[component]
pub fn StaffFlows() -> impl IntoView {
    let i18n = use_i18n();
    page_title(move || t_string!(i18n, staff_flows_title).to_owned());
    let list = Fetch::new(api::staff_flows);
    let row = move |f: StaffFlowListItem| {
        let lang = current_language(i18n);
        let status = match (f.published_version, f.has_draft) {
            (Some(v), false) => fill(t_string!(i18n, flow_live), v),
            (Some(v), true) => format!(
                "{} · {}",
                fill(t_string!(i18n, flow_live), v),
                t_string!(i18n, flow_has_draft)
            ),
            (None, _) => t_string!(i18n, flow_never_published).to_owned(),
        };
        view! {
            <tr>
                <td>
                    <A href=format!(
                        "/staff/flows/{}",
                        f.slug,
                    )>{f.title.resolve(lang).to_owned()}</A>
                    <div class="muted small">{f.slug.to_string()}</div>
                </td>
                <td>{status}</td>
                <td class="num">{f.walks}</td>
                <td class="num">{f.resolved}</td>
                <td class="num">{f.tickets}</td>
                <td class="num">{f.abandoned}</td>
                <td>{long_date(f.updated_at, lang)}</td>
            </tr>
        }
    };
    view! {
        <header class="page-header">
            <h1>{say!(i18n, staff_flows_title)}</h1>
            <p class="lead">{say!(i18n, staff_flows_lead)}</p>
            // Admins keep the list (the server refuses anyone else).
            {move || {
                use_session()
                    .member
                    .read()
                    .as_ref()
                    .is_some_and(|m| m.role.is_admin())
                    .then(|| {
                        view! {
                            <p>
                                <A href="/staff/reach-check">{say!(i18n, reach_title)}</A>
                            </p>
                        }
                    })
            }}
        </header>
        <Loaded resource=list let:flows>
            <div class="table-scroll">
                <table class="table">
                    <caption class="visually-hidden">{say!(i18n, staff_flows_title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{say!(i18n, col_flow)}</th>
                            <th scope="col">{say!(i18n, col_status)}</th>
                            <th scope="col" class="num">
                                {say!(i18n, col_walks)}
                            </th>
                            <th scope="col" class="num">
                                {say!(i18n, col_resolved)}
                            </th>
                            <th scope="col" class="num">
                                {say!(i18n, col_to_ticket)}
                            </th>
                            <th scope="col" class="num">
                                {say!(i18n, col_abandoned)}
                            </th>
                            <th scope="col">{say!(i18n, col_updated)}</th>
                        </tr>
                    </thead>
                    <tbody>{flows.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        </Loaded>
        <NewFlow />
    }
}

/// The starting text of a new flow: its slug and title, English only, and one
/// question whose empty texts the problem list points at.
fn template(slug: &str, title: &str) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "slug = \"{slug}\"\ntitle = {{ en = \"{title}\" }}\nlanguages = [\"en\"]\nstart = \"first\"\n\n\
         [nodes.first]\ntype = \"question\"\ntext = {{ en = \"\" }}\n\n\
         [[nodes.first.answers]]\nid = \"yes\"\nlabel = {{ en = \"\" }}\nnext = \"fixed\"\n\n\
         [nodes.fixed]\ntype = \"resolved\"\n"
    )
}

#[component]
fn NewFlow() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = StoredValue::new_local(use_navigate());
    let slug = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let problems = Problems::new();
    let create = Action::new_local(move |(slug, source): &(String, String)| {
        let slug = slug.clone();
        let source = source.clone();
        async move { api::save_flow_draft(&slug, &source).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(view)) => {
            navigate
                .with_value(|nav| nav(&format!("/staff/flows/{}", view.slug), Default::default()));
        }
        Some(Err(error)) => {
            let place = |field: &str| {
                (field == "slug").then(|| {
                    (
                        "flow-slug".to_owned(),
                        t_string!(i18n, flow_slug_label).to_owned(),
                    )
                })
            };
            if let Some(problem) = problem_for(i18n, &error, place) {
                problems.add(problem);
            }
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = slug.get_untracked().trim().to_owned();
        let t = title.get_untracked().trim().to_owned();
        let mut found = Vec::new();
        if t.is_empty() {
            found.push(Problem::new(
                "flow-title",
                field_message(i18n, "title", false),
            ));
        }
        if check_flow_slug(&s).is_err() {
            let text = if RESERVED_FLOW_SLUGS.contains(&s.as_str()) {
                fill(t_string!(i18n, flow_slug_reserved), &s)
            } else {
                field_message(i18n, "slug", false)
            };
            found.push(Problem::new("flow-slug", text));
        }
        if problems.show(found) {
            create.dispatch((s.clone(), template(&s, &t)));
        }
    };
    view! {
        <section class="section">
            <h2>{say!(i18n, flow_new_title)}</h2>
            <ErrorSummary
                problems
                failure=Signal::derive(move || create.value().get().and_then(Result::err))
            />
            <form class="form form-inline" on:submit=on_submit novalidate>
                <TextField
                    id="flow-title"
                    label=move || t_string!(i18n, flow_title_label)
                    error=problems.at("flow-title")
                    maxlength=200
                    value=title
                    on_input=move |v: String| title.set(v)
                />
                <TextField
                    id="flow-slug"
                    label=move || t_string!(i18n, flow_slug_label)
                    hint=move || t_string!(i18n, flow_slug_hint)
                    error=problems.at("flow-slug")
                    maxlength=80
                    value=slug
                    on_input=move |v: String| slug.set(v)
                />
                <SubmitButton
                    label=move || t_string!(i18n, flow_create)
                    busy_label=move || t_string!(i18n, saving)
                    busy=create.pending()
                />
            </form>
        </section>
    }
}
