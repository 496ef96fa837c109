//! Writes the portal's service worker (`dist/sw.js`) from `public/sw.js`: the list of
//! the requester apps' files it keeps for offline use, and a version that changes
//! with their contents (some keep their name from build to build: the workers'
//! loaders, the icons). Browsers fetch the worker on each visit and install a new one
//! when its bytes differ, so every deploy that changes a file replaces the old worker
//! and its copy of the apps.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// The apps requesters use, by their directory under dist/ (the portal is dist/
/// itself). The staff apps are never kept: they must not show stale data as current.
const REQUESTER_DIRS: [&str; 4] = [
    "diagnose-app",
    "filing-app",
    "my-tickets-app",
    "tracking-app",
];

pub fn write_service_worker(root: &Path) -> Result<()> {
    let dist = root.join("dist");
    let mut files = Vec::new();
    collect(&dist, &dist, false, &mut files)?;
    for dir in REQUESTER_DIRS {
        collect(&dist, &dist.join(dir), true, &mut files)?;
    }
    files.sort();
    if !files.iter().any(|f| f.ends_with(".wasm")) {
        bail!("no app was built in {}", dist.display());
    }
    // Not a stable hash across Rust releases, and it need not be: another toolchain's
    // build only installs the worker once more.
    let mut hasher = DefaultHasher::new();
    for file in &files {
        file.hash(&mut hasher);
        std::fs::read(dist.join(file.trim_start_matches('/')))?.hash(&mut hasher);
    }
    let version = format!("{:016x}", hasher.finish());
    let list = files
        .iter()
        .map(|f| format!("'{f}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let template =
        std::fs::read_to_string(root.join("public/sw.js")).context("reading public/sw.js")?;
    if !template.contains("'__VERSION__'") || !template.contains("__FILES__") {
        bail!("public/sw.js has lost its __VERSION__ or __FILES__ placeholder");
    }
    let worker = template
        .replace("'__VERSION__'", &format!("'{version}'"))
        .replace("__FILES__", &format!("[{list}]"));
    std::fs::write(dist.join("sw.js"), worker).context("writing dist/sw.js")
}

/// URL paths of the files under `dir` that a page loads (not its page, which the
/// worker asks for by its address, nor the compressed copies); with `deep`, in its
/// subdirectories too (wasm-bindgen's `snippets/`).
fn collect(dist: &Path, dir: &Path, deep: bool, files: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            // The portal's own snippets; the other apps' directories are apart.
            if deep || name == "snippets" {
                collect(dist, &path, true, files)?;
            }
            continue;
        }
        let skipped = name == "index.html"
            || name == "sw.js"
            || name.ends_with(".br")
            || name.ends_with(".gz");
        if skipped {
            continue;
        }
        let relative = path
            .strip_prefix(dist)?
            .to_string_lossy()
            .replace('\\', "/");
        if relative.contains('\'') {
            bail!("a file name with a quote: {relative}");
        }
        files.push(format!("/{relative}"));
    }
    Ok(())
}
