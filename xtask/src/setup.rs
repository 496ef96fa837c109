//! Installs what the build and the tests need, once: each check is cheap, and
//! nothing already present is installed again.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::shell::{cargo, output, run};

const TRUNK_VERSION: &str = "0.21.14";
const LEPTOSFMT_VERSION: &str = "0.1.33";

/// leptosfmt, which formats the `view!` blocks that rustfmt leaves alone.
pub fn format_tools() -> Result<()> {
    let installed = output(Command::new("leptosfmt").arg("--version")).unwrap_or_default();
    if !installed.contains(LEPTOSFMT_VERSION) {
        run(cargo().args([
            "install",
            "leptosfmt",
            "--version",
            LEPTOSFMT_VERSION,
            "--locked",
        ]))?;
    }
    Ok(())
}

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
    // never used: its output of a Leptos 0.8 app fails at start in Chromium. terser,
    // pure JS, minifies the JS glue. The newest package is the marker, so a checkout
    // that gains one installs it.
    npm_ci_if_missing(&root.join("xtask/npm"), "node_modules/terser/package.json")
}

/// Chromium for the browser tests, Playwright's driver library, axe-core, the SMTP
/// sink's aiosmtpd and Dovecot (the IMAP server of the email-in tests) for the API tests.
pub fn test_tools(root: &Path) -> Result<()> {
    if !Path::new("/usr/bin/chromium").exists() {
        apt_install(&["chromium"]).context("installing Chromium for the browser tests")?;
    }
    smtp_sink_tools()?;
    imap_server_tools()?;
    // The OpenID provider the sign-in API tests start (they also install it when
    // missing: `tests/api/helpers/oidc_provider.rs`).
    npm_ci_if_missing(
        &root.join("tests/oidc"),
        "node_modules/oidc-provider/package.json",
    )?;
    // The newest package is the marker (axe-core, for the accessibility checks).
    npm_ci_if_missing(
        &root.join("tests/e2e"),
        "node_modules/axe-core/package.json",
    )
}

/// Debian's Dovecot, the real IMAP server the email-in API tests start with a
/// configuration of their own (`crates/selfdesk-server/tests/api/imap.rs`, which also
/// installs it when missing). Nothing happens when it is installed.
pub fn imap_server_tools() -> Result<()> {
    if Path::new("/usr/sbin/dovecot").exists() {
        return Ok(());
    }
    apt_install(&["dovecot-imapd"]).context("installing Dovecot for the email-in API tests")
}

/// The Python interpreters the API tests try for their SMTP sink, in this order (see
/// `crates/selfdesk-server/tests/api/smtp.rs`): the one first on PATH, then Debian's,
/// which is the one Debian's `python3-aiosmtpd` installs for.
const SINK_PYTHONS: [&str; 2] = ["python3", "/usr/bin/python3"];

pub fn python_with_aiosmtpd() -> Option<&'static str> {
    SINK_PYTHONS.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|out| out.status.success())
    })
}

/// aiosmtpd, for the real SMTP server (`tests/smtp_sink.py`) the API tests send ticket
/// emails to. Debian's package when apt has it (signed, and no pip in the system
/// Python), else pip for the user. Nothing happens when an interpreter already has it.
pub fn smtp_sink_tools() -> Result<()> {
    if python_with_aiosmtpd().is_some() {
        return Ok(());
    }
    let apt = Path::new("/usr/bin/apt-get").exists()
        && apt_install(&["python3-aiosmtpd"])
            .inspect_err(|err| eprintln!("python3-aiosmtpd from apt failed ({err:#}); trying pip"))
            .is_ok();
    if apt && python_with_aiosmtpd().is_some() {
        return Ok(());
    }
    let mut pip = Command::new("python3");
    pip.args(["-m", "pip", "install", "--user", "--quiet", "aiosmtpd"]);
    // PEP 668: a distribution's own Python refuses pip unless told; --user keeps the
    // system's packages untouched all the same.
    if output(Command::new("python3").args([
        "-c",
        "import os, sysconfig; print(os.path.exists(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))",
    ]))
    .is_some_and(|out| out.trim() == "True")
    {
        pip.arg("--break-system-packages");
    }
    run(&mut pip).context("installing aiosmtpd for the API tests' SMTP sink")?;
    if python_with_aiosmtpd().is_none() {
        bail!("aiosmtpd was installed but neither python3 nor /usr/bin/python3 can import it");
    }
    Ok(())
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
        // Leptos type-erases views under this cfg: 5 KB brotli less for the portal.
        // Only the wasm target gets it, so host builds keep their cache.
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "--cfg erase_components",
        )
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

/// Lighthouse 12.2.3 for `cargo xtask audit` (13 needs a newer Node than Debian's).
pub fn audit_tools(root: &Path) -> Result<()> {
    npm_ci_if_missing(
        &root.join("tests/audit"),
        "node_modules/lighthouse/package.json",
    )
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
