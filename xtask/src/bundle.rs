//! The first-load size of the web app, and compressed copies of its assets.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Insight is opened now and then by technicians, never by requesters: its charts and
/// tables may cost more than the portal's first load, not more than the staff area.
const INSIGHT_BUDGET_KB: usize = 400;

const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "html", "svg"];

/// Where Trunk puts the staff app (see `build_app`), under the portal's dist/.
pub const STAFF_DIR: &str = "staff-app";
/// Where Trunk puts Insight, the help desk's figures (`/staff/insight`).
pub const INSIGHT_DIR: &str = "insight-app";
/// Where Trunk puts the tickets app (guided diagnostics, filing and tracking).
pub const TICKETS_DIR: &str = "tickets-app";

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

/// The compressible files of one directory (not its subdirectories).
fn measure(dir: &Path, keep: impl Fn(&str) -> bool) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
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
    rows.sort_by_key(|row| std::cmp::Reverse(row.brotli));
    Ok(rows)
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

/// Prints raw, gzip and brotli sizes of what a visit downloads: the portal's first
/// load (page, wasm, JavaScript, CSS, icon; articles come rendered by the server, so
/// any portal page first costs this), the Markdown renderer that the tickets app and
/// the editors' previews add, the staff app that only technicians load, and Insight,
/// which they load when they open its page.
pub fn report(dist: &Path) -> Result<()> {
    let is_worker = |name: &str| name.starts_with("render_worker");
    let portal = table(
        "Portal, first load (dist/):",
        &measure(dist, |n| !is_worker(n))?,
    );
    let worker = table(
        "Markdown renderer, loaded by ticket pages and editor previews:",
        &measure(dist, is_worker)?,
    );
    let tickets_dir = dist.join(TICKETS_DIR);
    let tickets = if tickets_dir.is_dir() {
        table(
            "Tickets app, loaded on /tickets… (dist/tickets-app/):",
            &measure(&tickets_dir, |_| true)?,
        )
    } else {
        0
    };
    let staff_dir = dist.join(STAFF_DIR);
    if staff_dir.is_dir() {
        table(
            "Staff area, loaded by technicians only (dist/staff-app/):",
            &measure(&staff_dir, |_| true)?,
        );
    }
    let insight_dir = dist.join(INSIGHT_DIR);
    let insight = if insight_dir.is_dir() {
        table(
            "Insight, loaded on /staff/insight (dist/insight-app/):",
            &measure(&insight_dir, |_| true)?,
        )
    } else {
        0
    };
    let verdict = |bytes: usize| {
        if bytes <= 200 * 1024 {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    };
    println!(
        "\nbudget 200 KB brotli: portal first load, any of its pages (articles included) {} ({})",
        kb(portal),
        verdict(portal),
    );
    if insight > 0 {
        println!(
            "budget {} KB brotli: Insight (technicians, its own page) {} ({})",
            INSIGHT_BUDGET_KB,
            kb(insight),
            if insight <= INSIGHT_BUDGET_KB * 1024 {
                "within budget"
            } else {
                "OVER BUDGET"
            },
        );
    }
    if tickets > 0 {
        println!(
            "tickets app (a second page load, after the portal): {}; with the Markdown renderer {}",
            kb(tickets),
            kb(tickets + worker)
        );
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
