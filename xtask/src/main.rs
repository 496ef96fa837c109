//! `cargo xtask <command>`: the project's automation, in Rust so it needs nothing the
//! Rust toolchain does not already bring.
//!
//! - `run`: install what is missing, build the release app and server, and serve the
//!   portal with demo content on SQLite (honours `SELFDESK_BIND`,
//!   `SELFDESK_DATABASE_URL`, `SELFDESK_DATA_DIR`).
//! - `test`: install what is missing, then formatting, lints, host and API tests, and
//!   browser tests against the release app.
//! - `check`: the edit–test loop: formatting, lints and the host tests (pure logic:
//!   the shared crate, the app's and the server's unit tests), in a few minutes; no
//!   server, browser or database is started.
//! - `test-postgres`: the host and API tests against PostgreSQL (installs what they need).
//! - `e2e [name]`: only the browser tests (or the spec files whose name has `name`),
//!   against the app already built in `dist/`.
//! - `e2e-postgres [name]`: the same against a throwaway PostgreSQL.
//! - `bundle-size`: build the release app, report every entry point's first load
//!   against its budget, and fail if one is over.
//! - `bench [name]`: the server benchmarks (or one), on SQLite and then on a throwaway
//!   PostgreSQL.
//! - `api-fuzz`: schemathesis against the running server's OpenAPI document,
//!   anonymously and as each staff role, on both databases (see `api_fuzz.rs`;
//!   `test` runs it too).

mod api_fuzz;
mod bundle;
mod e2e;
mod mail;
mod offline;
mod oidc;
mod postgres;
mod setup;
mod shell;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::shell::{cargo, run};

fn main() {
    if let Err(err) = dispatch() {
        eprintln!("\nxtask failed: {err:#}");
        std::process::exit(1);
    }
}

fn dispatch() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    std::env::set_current_dir(&root).context("entering the workspace root")?;
    match args.first().map(String::as_str) {
        Some("run") => run_portal(&root),
        Some("test") => test_all(&root),
        Some("check") => quick_check(),
        Some("bundle-size") => {
            setup::build_tools(&root)?;
            build_app(&root)?;
            bundle::report(&root.join("dist"))
        }
        Some("test-postgres") => api_tests_on_postgres(),
        Some("bench") => benchmarks(std::env::args().nth(2).as_deref()),
        Some("api-fuzz") => api_fuzz::every_role_on_both_databases(&root, api_fuzz::Depth::Full),
        // Browser tests only, against the app already in dist/ (the inner loop).
        Some("e2e") => {
            setup::test_tools(&root)?;
            e2e::run_some(&root, None, std::env::args().nth(2).as_deref())
        }
        Some("e2e-postgres") => {
            setup::test_tools(&root)?;
            let cluster = postgres::Cluster::start()?;
            e2e::run_some(
                &root,
                Some(&cluster.url),
                std::env::args().nth(2).as_deref(),
            )
        }
        // Lighthouse on the release build: home, an article, a flow step, the form, a
        // tracking page, the staff queue (`tests/audit/audit.mjs`).
        Some("audit") => {
            setup::build_tools(&root)?;
            setup::test_tools(&root)?;
            setup::audit_tools(&root)?;
            build_app(&root)?;
            e2e::audit(&root)
        }
        Some("setup") => {
            setup::build_tools(&root)?;
            setup::test_tools(&root)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask <run|test|check|test-postgres|e2e|e2e-postgres|bundle-size|audit|bench|api-fuzz|setup>"
            );
            std::process::exit(2);
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Trunk's release builds of the six apps — the portal, diagnostics, the ticket form,
/// tracking, the staff area and Insight — (wasm-release profile, wasm-opt -Oz), their JS glue minified, then
/// brotli and gzip copies of each asset so the server can send them without
/// compressing per request.
pub fn build_app(root: &Path) -> Result<()> {
    let mut portal = setup::trunk_command(root);
    portal.args(["build", "--release"]);
    run(&mut portal).context("building the portal with Trunk")?;
    // The other apps live under dist/<dir>/ (served for their paths by the server,
    // see selfdesk_shared::areas). Built after the portal, whose build empties dist/.
    for (page, dir) in bundle::APPS {
        let mut app = setup::trunk_command(root);
        let public_url = format!("/{dir}/");
        let dist = format!("dist/{dir}");
        app.args([
            "build",
            page,
            "--release",
            "true",
            "--dist",
            &dist,
            "--public-url",
            &public_url,
        ]);
        run(&mut app).with_context(|| format!("building {page} with Trunk"))?;
    }
    run(std::process::Command::new("node")
        .arg(root.join("xtask/npm/minify-glue.mjs"))
        .arg(root.join("dist")))
    .context("minifying the JS glue")?;
    offline::write_service_worker(root)?;
    bundle::precompress(&root.join("dist"))
}

fn run_portal(root: &Path) -> Result<()> {
    setup::build_tools(root)?;
    build_app(root)?;
    run(cargo().args(["build", "--release", "-p", "selfdesk-server"]))?;
    let server = root.join("target/release/selfdesk-server");
    println!(
        "\nSelfdesk: demo staff accounts tier1/tier2/tier3/admin@demo.selfdesk, password selfdesk-demo\n"
    );
    let status = std::process::Command::new(server)
        .args([
            "serve",
            "--seed-demo",
            "--seed-demo-history",
            "--static-dir",
        ])
        .arg(root.join("dist"))
        .status()
        .context("starting selfdesk-server")?;
    if !status.success() {
        bail!("selfdesk-server exited with {status}");
    }
    Ok(())
}

/// The same API suite once more against PostgreSQL: the server given in
/// `SELFDESK_TEST_POSTGRES_URL`, or else a private cluster started for the run.
/// The same targets as the SQLite run (`--test api` alone would resolve dev-dependency
/// features differently and rebuild the server); the host tests rerun in seconds.
fn api_tests_on_postgres() -> Result<()> {
    setup::smtp_sink_tools()?;
    setup::imap_server_tools()?;
    let given = std::env::var("SELFDESK_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty());
    // Keeps a started cluster alive until the tests are done; dropping it removes it.
    let cluster;
    let url = match given {
        Some(url) => url,
        None => {
            cluster = postgres::Cluster::start()?;
            cluster.url.clone()
        }
    };
    // Tests that need PostgreSQL itself are `#[ignore]`d in the SQLite pass.
    run(cargo()
        .args(["test", "--workspace", "--", "--include-ignored"])
        .env("SELFDESK_TEST_POSTGRES_URL", url))
}

/// Benchmarks measure; they never pass or fail. Each database gets an empty one.
/// `cargo xtask bench kb_search` runs one of `crates/selfdesk-server/benches`.
fn benchmarks(only: Option<&str>) -> Result<()> {
    let bench = || {
        let mut command = cargo();
        command.args(["bench", "-p", "selfdesk-server"]);
        if let Some(name) = only {
            command.args(["--bench", name]);
        }
        command
    };
    shell::step("benchmarks on SQLite", || run(&mut bench()))?;
    let cluster = postgres::Cluster::start()?;
    shell::step("benchmarks on PostgreSQL", || {
        run(bench().env("SELFDESK_BENCH_POSTGRES_URL", &cluster.url))
    })
}

fn formatting_and_lints() -> Result<()> {
    setup::format_tools()?;
    shell::step("formatting", || {
        run(cargo().args(["fmt", "--all", "--", "--check"]))?;
        // The web app's views: leptosfmt.toml sets the same width as rustfmt.
        run(std::process::Command::new("leptosfmt").args(["--quiet", "--check", "src"]))
    })?;
    shell::step("lints", || {
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        // The web app as the browser gets it: code only compiled for wasm32 too.
        run(cargo().args([
            "clippy",
            "-p",
            "selfdesk",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--bins",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    Ok(())
}

/// What `test` starts with, without the API, contract and browser tests.
fn quick_check() -> Result<()> {
    let started = std::time::Instant::now();
    formatting_and_lints()?;
    shell::step("host tests", || {
        run(cargo().args(["test", "--workspace", "--lib", "--bins"]))
    })?;
    println!("\nChecked in {:.0?}.", started.elapsed());
    Ok(())
}

fn test_all(root: &Path) -> Result<()> {
    let started = std::time::Instant::now();
    shell::report_free_disk(root);
    setup::build_tools(root)?;
    setup::test_tools(root)?;
    formatting_and_lints()?;
    shell::step("host tests, and API tests on SQLite", || {
        run(cargo().args(["test", "--workspace"]))
    })?;
    shell::step("API tests on PostgreSQL", api_tests_on_postgres)?;
    api_fuzz::every_role_on_both_databases(root, api_fuzz::Depth::Quick)?;
    shell::step("release web app", || build_app(root))?;
    shell::step("browser tests on SQLite", || e2e::run(root, None))?;
    shell::step("browser tests on PostgreSQL", || {
        let cluster = postgres::Cluster::start()?;
        e2e::run(root, Some(&cluster.url))
    })?;
    bundle::report(&root.join("dist"))?;
    println!("\nAll checks passed in {:.0?}.", started.elapsed());
    Ok(())
}
