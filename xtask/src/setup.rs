//! Installs what the build and the tests need, once: each check is cheap, and
//! nothing already present is installed again.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::shell::{cargo, output, run};

const TRUNK_VERSION: &str = "0.21.14";

/// The wasm32 target, Trunk, the wasm-bindgen CLI matching Cargo.lock, and wasm-opt.
pub fn build_tools(root: &Path) -> Result<()> {
    let targets =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    let trunk = output(Command::new("trunk").arg("--version")).unwrap_or_default();
    if !trunk.contains(TRUNK_VERSION) {
        // 0.22 needs a newer rustc than the project's; --locked keeps its dependencies
        // at the versions it was released with.
        run(cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))?;
    }

    let bindgen = wasm_bindgen_version(root)?;
    let installed = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if !installed.split_whitespace().any(|w| w == bindgen) {
        // Without --locked: its lock file names a version the registry mirror lacks.
        run(cargo().args(["install", "wasm-bindgen-cli", "--version", &bindgen]))?;
    }

    // binaryen from npm (an Emscripten build run by Node). Debian's binaryen 108 is
    // never used: its output of a Leptos 0.8 app fails at start in Chromium.
    npm_ci_if_missing(&root.join("xtask/npm"), "node_modules/.bin/wasm-opt")
}

/// Chromium for the browser tests, and Playwright's driver library.
pub fn test_tools(root: &Path) -> Result<()> {
    if !Path::new("/usr/bin/chromium").exists() {
        apt_install(&["chromium"]).context("installing Chromium for the browser tests")?;
    }
    npm_ci_if_missing(
        &root.join("tests/e2e"),
        "node_modules/playwright-core/package.json",
    )
}

/// Trunk, set up to use only the tools installed above.
pub fn trunk_command(root: &Path) -> Command {
    let mut command = Command::new("trunk");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = vec![root.join("xtask/npm/node_modules/.bin")];
    dirs.extend(std::env::split_paths(&path));
    command
        .env(
            "PATH",
            std::env::join_paths(dirs).expect("PATH entries are valid"),
        )
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("NO_COLOR", "true");
    command
}

/// The exact wasm-bindgen version in Cargo.lock: the CLI must match it to the digit.
fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

fn npm_ci_if_missing(dir: &Path, marker: &str) -> Result<()> {
    if dir.join(marker).exists() {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir))
    .with_context(|| format!("installing npm packages in {}", dir.display()))
}

pub fn apt_install(packages: &[&str]) -> Result<()> {
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
