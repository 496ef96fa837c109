//! The first-load size of the web app, and compressed copies of its assets.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};

/// What a requester's page may fetch before it is usable, brotli (issue 17).
const REQUESTER_BUDGET_KB: usize = 200;
/// The staff queue and a ticket's page: opened all day by technicians.
const STAFF_BUDGET_KB: usize = 300;
/// The staff area's home, editors and admin pages, loaded on demand: opened now and
/// then by technicians, and the article editor's preview starts the render worker.
const MANAGE_BUDGET_KB: usize = 600;
/// Insight is opened now and then by technicians, never by requesters: its charts and
/// tables may cost more than the portal's first load, not more than the staff area.
const INSIGHT_BUDGET_KB: usize = 400;

const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "html", "svg"];

/// The apps Trunk builds under the portal's dist/ (see `build_app`), each served for
/// its paths (`selfdesk_shared::areas::AppArea::dir`): its page, and its directory.
pub const APPS: [(&str, &str); 7] = [
    ("diagnose.html", "diagnose-app"),
    ("filing.html", "filing-app"),
    ("my-tickets.html", "my-tickets-app"),
    ("tracking.html", "tracking-app"),
    ("staff.html", "staff-app"),
    ("manage.html", "manage-app"),
    ("insight.html", "insight-app"),
];

/// Writes `file.br` and `file.gz` beside each compressible asset, at the highest
/// settings: this runs once per build, and every visitor gains from it.
pub fn precompress(dist: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dist).with_context(|| format!("reading {}", dist.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let data = std::fs::read(&path)?;
        std::fs::write(with_suffix(&path, "br"), brotli_bytes(&data)?)?;
        std::fs::write(with_suffix(&path, "gz"), gzip_bytes(&data)?)?;
    }
    Ok(())
}

struct Row {
    name: String,
    raw: usize,
    gzip: usize,
    brotli: usize,
}

/// The compressible files of one directory, with its wasm-bindgen `snippets/` when
/// its glue imports them (wasm-bindgen writes them for every app of the crate), but not
/// the other apps' directories.
fn measure(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    let imports_snippets = std::fs::read_dir(dir)?.filter_map(|e| e.ok()).any(|e| {
        let path = e.path();
        path.extension().is_some_and(|x| x == "js")
            && std::fs::read_to_string(&path).is_ok_and(|js| js.contains("snippets/"))
    });
    while let Some(dir) = dirs.pop() {
        measure_into(&dir, &keep, &mut rows, &mut dirs, imports_snippets)?;
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.brotli));
    Ok(rows)
}

fn measure_into(
    dir: &Path,
    keep: &impl Fn(&str) -> bool,
    rows: &mut Vec<Row>,
    dirs: &mut Vec<std::path::PathBuf>,
    imports_snippets: bool,
) -> Result<()> {
    let in_snippets = dir.components().any(|c| c.as_os_str() == "snippets");
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() && imports_snippets && (in_snippets || name == "snippets") {
            dirs.push(path.clone());
        }
        if path.is_file() && COMPRESSIBLE.contains(&ext) && keep(&name) {
            let data = std::fs::read(&path)?;
            rows.push(Row {
                raw: data.len(),
                gzip: gzip_bytes(&data)?.len(),
                brotli: brotli_bytes(&data)?.len(),
                name,
            });
        }
    }
    Ok(())
}

/// Prints one group of files and returns its brotli total.
fn table(title: &str, rows: &[Row]) -> usize {
    println!("\n{title}");
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    for row in rows {
        println!(
            "{:<44} {:>10} {:>10} {:>10}",
            row.name,
            kb(row.raw),
            kb(row.gzip),
            kb(row.brotli)
        );
    }
    let sum = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    let brotli = sum(|r| r.brotli);
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "total",
        kb(sum(|r| r.raw)),
        kb(sum(|r| r.gzip)),
        kb(brotli)
    );
    brotli
}

/// One first load: the pages it serves, what they fetch, and the budget.
struct Entry {
    pages: &'static str,
    /// The app's directory under dist/ (`None`: the portal, at the root).
    dir: Option<&'static str>,
    /// The page renders Markdown as it opens, so the render worker counts too.
    worker: bool,
    budget_kb: usize,
}

/// Every entry point, opened first in a fresh browser. Articles and ticket text come
/// rendered by the server; the ticket form's and the reply box's previews start the
/// render worker only when asked. Editors (staff) load the worker for their previews.
const ENTRIES: [Entry; 9] = [
    Entry {
        pages: "portal: home, knowledge base, an article",
        dir: None,
        worker: false,
        budget_kb: REQUESTER_BUDGET_KB,
    },
    Entry {
        pages: "diagnose: the flows, a flow step",
        dir: Some("diagnose-app"),
        worker: false,
        budget_kb: REQUESTER_BUDGET_KB,
    },
    Entry {
        pages: "filing: new ticket",
        dir: Some("filing-app"),
        worker: false,
        budget_kb: REQUESTER_BUDGET_KB,
    },
    Entry {
        pages: "my tickets, signing in",
        dir: Some("my-tickets-app"),
        worker: false,
        budget_kb: REQUESTER_BUDGET_KB,
    },
    Entry {
        pages: "tracking: a ticket's page",
        dir: Some("tracking-app"),
        worker: false,
        budget_kb: REQUESTER_BUDGET_KB,
    },
    Entry {
        pages: "staff: the queue",
        dir: Some("staff-app"),
        worker: false,
        budget_kb: STAFF_BUDGET_KB,
    },
    Entry {
        pages: "staff: a ticket's page",
        dir: Some("staff-app"),
        worker: false,
        budget_kb: STAFF_BUDGET_KB,
    },
    Entry {
        pages: "staff: home, editors, admin (+ render worker)",
        dir: Some("manage-app"),
        worker: true,
        budget_kb: MANAGE_BUDGET_KB,
    },
    Entry {
        pages: "insight (technicians, its own page)",
        dir: Some("insight-app"),
        worker: false,
        budget_kb: INSIGHT_BUDGET_KB,
    },
];

/// Prints raw, gzip and brotli sizes of each app's files and of the Markdown render
/// worker, then every entry point's first load against its budget; fails if one is
/// over (or was not built).
pub fn report(dist: &Path) -> Result<()> {
    // The checks' browser layer: loaded by the diagnostics app once a flow with checks
    // is open, after the page is usable (src/pages/diagnose/checks.rs).
    let on_demand = |name: &str| name.starts_with("browser_checks");
    let is_worker = |name: &str| name.starts_with("render_worker");
    // The offline copy: the service worker, registered once the page has loaded, and
    // the icon an installed portal shows (public/sw.js, the manifest).
    let offline = |name: &str| name == "sw.js" || name.starts_with("icon");
    let portal = table(
        "Portal (dist/):",
        &measure(dist, |n| !is_worker(n) && !offline(n))?,
    );
    table(
        "Offline copy (dist/), fetched after the page has loaded:",
        &measure(dist, offline)?,
    );
    let worker = table(
        "Markdown render worker (dist/), started by pages that render ticket text and by previews:",
        &measure(dist, is_worker)?,
    );
    let mut apps = std::collections::HashMap::new();
    for (_, dir) in APPS {
        let path = dist.join(dir);
        if path.is_dir() {
            let total = table(
                &format!("dist/{dir}/:"),
                &measure(&path, |n| !on_demand(n))?,
            );
            apps.insert(dir, total);
            let later = measure(&path, on_demand)?;
            if !later.is_empty() {
                table(&format!("dist/{dir}/, loaded on demand:"), &later);
            }
        }
    }
    println!(
        "
First load, brotli, every file fetched before the page is usable:"
    );
    let mut over = Vec::new();
    for entry in ENTRIES {
        let app = match entry.dir {
            None => Some(portal),
            Some(dir) => apps.get(dir).copied(),
        };
        let Some(app) = app else {
            println!("{:<48} not built", entry.pages);
            over.push(format!("{} (not built)", entry.pages));
            continue;
        };
        let total = app + if entry.worker { worker } else { 0 };
        let budget = entry.budget_kb * 1024;
        let verdict = if total <= budget {
            "within budget".to_owned()
        } else {
            over.push(format!("{} by {}", entry.pages, kb(total - budget)));
            format!("OVER BUDGET by {}", kb(total - budget))
        };
        println!(
            "{:<48} {:>10} / {} KB  {verdict}",
            entry.pages,
            kb(total),
            entry.budget_kb
        );
    }
    if !over.is_empty() {
        bail!("first loads over budget: {}", over.join("; "));
    }
    Ok(())
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

fn brotli_bytes(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(data)?;
    }
    Ok(out)
}

fn gzip_bytes(data: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    Ok(encoder.finish()?)
}
