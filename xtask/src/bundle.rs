//! The first-load size of the web app, and compressed copies of its assets.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "html", "svg"];

/// Writes `file.br` and `file.gz` beside each compressible asset, at the highest
/// settings: this runs once per build, and every visitor gains from it.
pub fn precompress(dist: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dist).with_context(|| format!("reading {}", dist.display()))? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !path.is_file() || !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let data = std::fs::read(&path)?;
        std::fs::write(with_suffix(&path, "br"), brotli_bytes(&data)?)?;
        std::fs::write(with_suffix(&path, "gz"), gzip_bytes(&data)?)?;
    }
    Ok(())
}

/// Prints raw, gzip and brotli sizes of what a first visit downloads: the page, its
/// wasm, JavaScript and CSS, and the icon.
pub fn report(dist: &Path) -> Result<()> {
    let mut rows = Vec::new();
    for entry in std::fs::read_dir(dist)? {
        let path = entry?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if path.is_file() && COMPRESSIBLE.contains(&ext) {
            let data = std::fs::read(&path)?;
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            rows.push((
                name,
                data.len(),
                gzip_bytes(&data)?.len(),
                brotli_bytes(&data)?.len(),
            ));
        }
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.3));
    println!("\nFirst-load bundle (dist/):");
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "file", "raw", "gzip", "brotli"
    );
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for (name, r, g, b) in &rows {
        println!("{name:<44} {:>10} {:>10} {:>10}", kb(*r), kb(*g), kb(*b));
        raw += r;
        gz += g;
        br += b;
    }
    println!(
        "{:<44} {:>10} {:>10} {:>10}",
        "total",
        kb(raw),
        kb(gz),
        kb(br)
    );
    println!(
        "budget: 200 KB brotli; {}",
        if br <= 200 * 1024 {
            "within budget"
        } else {
            "OVER BUDGET"
        }
    );
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
