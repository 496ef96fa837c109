//! Every table on the page, built one way: a caption, column headers, rows whose
//! first cell heads the row, an optional footer (the team's totals), and a
//! "Download CSV" button that downloads exactly those rows as they are shown. A table
//! scrolls sideways inside its own frame, never the page. One function, not
//! generic: every table shares its code.

use leptos::prelude::*;

use super::csv;
use crate::i18n::{Locale, t_string};
use crate::text::fill;

type I18n = leptos_i18n::I18nContext<Locale>;

/// One cell: its text (what the CSV gets, too), and optionally the language it is
/// written in (a search query) and a link.
#[derive(Clone, Default)]
pub struct Cell {
    pub text: String,
    pub lang: Option<String>,
    pub href: Option<String>,
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell {
            text,
            ..Default::default()
        }
    }
}

/// What a row shows after its cells and the CSV leaves out: an action or a chart.
pub enum Extra {
    /// A small button link with its own accessible label.
    Link {
        href: String,
        text: String,
        label: String,
    },
    /// A finished chart (see `chart::finish`).
    Chart(String),
}

pub struct Row {
    pub cells: Vec<Cell>,
    pub extra: Option<Extra>,
}

impl Row {
    pub fn new(cells: Vec<String>) -> Self {
        Row {
            cells: cells.into_iter().map(Cell::from).collect(),
            extra: None,
        }
    }
}

pub struct Column {
    pub label: String,
    pub numeric: bool,
}

pub fn col(label: &str) -> Column {
    Column {
        label: label.to_owned(),
        numeric: false,
    }
}

pub fn num(label: &str) -> Column {
    Column {
        label: label.to_owned(),
        numeric: true,
    }
}

pub struct Table {
    /// Unique on the page (the caption's id and the CSV's name come from it).
    pub id: &'static str,
    pub caption: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub foot: Vec<Row>,
    /// The extra column's header, said to screen readers only.
    pub extra: Option<String>,
    /// Said instead of the table when it has no rows.
    pub empty: String,
}

/// The period's ends, for the CSV's file name.
#[derive(Clone)]
pub struct Span {
    pub from: String,
    pub to: String,
}

pub fn view(i18n: I18n, span: &Span, table: Table) -> AnyView {
    let Table {
        id,
        caption,
        columns,
        rows,
        foot,
        extra,
        empty,
    } = table;
    if rows.is_empty() && foot.is_empty() {
        return view! {
            <div class="data-table">
                <h3 class="table-caption">{caption}</h3>
                <p class="muted empty">{empty}</p>
            </div>
        }
        .into_any();
    }
    let mut lines: Vec<Vec<String>> = vec![columns.iter().map(|c| c.label.clone()).collect()];
    lines.extend(
        rows.iter()
            .chain(&foot)
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect()),
    );
    let file = csv::file_name(&caption, &span.from, &span.to);
    let download = move |_| csv::download(&file, &csv::write(&lines));
    let numeric: Vec<bool> = columns.iter().map(|c| c.numeric).collect();
    let has_extra = extra.is_some();
    let head = columns
        .into_iter()
        .map(|c| {
            view! {
                <th scope="col" class=c.numeric.then_some("num")>
                    {c.label}
                </th>
            }
        })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|r| row_view(r, &numeric, has_extra))
        .collect_view();
    let foot = (!foot.is_empty()).then(|| {
        view! { <tfoot>{foot.into_iter().map(|r| row_view(r, &numeric, has_extra)).collect_view()}</tfoot> }
    });
    let caption_id = format!("{id}-caption");
    let (region_label, table_label) = (caption_id.clone(), caption_id.clone());
    let label = fill(t_string!(i18n, insight_download_csv_of), &caption);
    view! {
        <div class="data-table" id=id>
            <div class="table-head">
                <h3 class="table-caption" id=caption_id>
                    {caption}
                </h3>
                <button
                    type="button"
                    class="button button-quiet button-small csv-button"
                    aria-label=label
                    on:click=download
                >
                    {t_string!(i18n, insight_download_csv)}
                </button>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby=region_label>
                <table class="table" aria-labelledby=table_label>
                    <thead>
                        <tr>
                            {head}
                            {extra
                                .map(|e| {
                                    view! {
                                        <th scope="col" class="extra">
                                            <span class="visually-hidden">{e}</span>
                                        </th>
                                    }
                                })}
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                    {foot}
                </table>
            </div>
        </div>
    }
    .into_any()
}

fn row_view(row: Row, numeric: &[bool], has_extra: bool) -> AnyView {
    let cells = row
        .cells
        .into_iter()
        .enumerate()
        .map(|(i, cell)| {
            let class = numeric.get(i).copied().unwrap_or(false).then_some("num");
            let content = match cell.href {
                Some(href) => view! { <a href=href>{cell.text}</a> }.into_any(),
                None => cell.text.into_any(),
            };
            if i == 0 {
                view! {
                    <th scope="row" class=class lang=cell.lang>
                        {content}
                    </th>
                }
                .into_any()
            } else {
                view! {
                    <td class=class lang=cell.lang>
                        {content}
                    </td>
                }
                .into_any()
            }
        })
        .collect_view();
    let extra = match row.extra {
        Some(Extra::Link { href, text, label }) => Some(
            view! {
                <td class="extra">
                    <a href=href class="button button-small" aria-label=label>
                        {text}
                    </a>
                </td>
            }
            .into_any(),
        ),
        Some(Extra::Chart(svg)) => {
            Some(view! { <td class="extra spark" inner_html=svg></td> }.into_any())
        }
        None => has_extra.then(|| view! { <td class="extra"></td> }.into_any()),
    };
    view! { <tr>{cells}{extra}</tr> }.into_any()
}
