//! Running commands, loudly.

use std::process::Command;
use std::time::Instant;

use anyhow::{Result, bail};

pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    // A clean CI clone builds once: incremental state would only cost disk (GBs).
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        command.env("CARGO_INCREMENTAL", "0");
    }
    command
}

/// Runs a command to completion, failing with its command line if it fails.
pub fn run(command: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| anyhow::anyhow!("cannot start {}: {e}", describe(command)))?;
    if !status.success() {
        bail!("`{}` failed with {status}", describe(command));
    }
    Ok(())
}

/// A command's standard output, if it runs and succeeds.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    eprintln!("\n==> {name}");
    let started = Instant::now();
    let result = f();
    eprintln!(
        "==> {name}: {} in {:.1?}",
        if result.is_ok() { "ok" } else { "FAILED" },
        started.elapsed()
    );
    result
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A clean test run needs about 5 GB under `target/` (debug and wasm builds, the
/// release app); saying so up front beats a linker dying on a full disk.
pub fn report_free_disk(root: &std::path::Path) {
    let Some(out) = output(Command::new("df").arg("-Pk").arg(root)) else {
        return;
    };
    let Some(free_kib) = out
        .lines()
        .nth(1)
        .and_then(|line| line.split_whitespace().nth(3))
        .and_then(|n| n.parse::<u64>().ok())
    else {
        return;
    };
    let free_gib = free_kib as f64 / (1024.0 * 1024.0);
    eprintln!("free disk under {}: {free_gib:.1} GiB", root.display());
    if free_gib < 5.0 {
        eprintln!("warning: a clean test run needs about 5 GiB; the build may run out of disk");
    }
}
