//! Schemathesis (PyPI, 4.x, every check) against the OpenAPI document of a running
//! server with the demo content: it finds what the document promises and the server
//! does not keep — undocumented answers, valid requests refused, invalid ones
//! accepted, server errors. Each run has a fresh database and a real SMTP server,
//! and is reproducible (fixed seed, deterministic generation, a fixed number of
//! cases per operation).
//!
//! `cargo xtask test` and `cargo xtask api-fuzz` run it anonymously and signed in as
//! each staff role, on SQLite and on PostgreSQL; the document must hold without a
//! single failure. `api-fuzz` generates 60 cases per operation for every role; `test`
//! keeps the 60 for anonymous callers and generates 20 for each staff role, so that
//! the staff runs fit CI's time (about 1.5 instead of 3.5 minutes each). On
//! PostgreSQL, `test` runs anonymously and as the admin only: who may call what is
//! decided before any query and is the same on both databases (the SQLite runs and
//! the permission-table API test on both cover the tiers), while the admin reaches
//! every operation, so every query still runs on PostgreSQL; that keeps a cold CI run
//! about six minutes shorter.
//! `SELFDESK_FUZZ_EXAMPLES` sets the number for every run,
//! `SELFDESK_FUZZ_DATABASE=sqlite|postgres` narrows a run to one database.
//! Allowances for rules a schema cannot express are in `tests/api-fuzz/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::mail::SmtpSink;
use crate::shell::{output, run};
use crate::{e2e, postgres, shell};

const EVERY_ROLE: [Option<&str>; 5] = [
    None,
    Some("tier1@demo.selfdesk"),
    Some("tier2@demo.selfdesk"),
    Some("tier3@demo.selfdesk"),
    Some("admin@demo.selfdesk"),
];

/// How many cases per operation: `Full` for `api-fuzz`, `Quick` (fewer for staff
/// roles) for CI.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    Full,
    Quick,
}

/// Every role on SQLite, then on a throwaway PostgreSQL cluster every role (`Full`)
/// or anonymous callers and the admin (`Quick`), each role on a database of its own.
pub fn every_role_on_both_databases(root: &Path, depth: Depth) -> Result<()> {
    let only = std::env::var("SELFDESK_FUZZ_DATABASE").unwrap_or_default();
    if only != "postgres" {
        shell::step("API contract (schemathesis) on SQLite", || {
            run_roles(root, &EVERY_ROLE, depth, || Ok(None))
        })?;
    }
    if only != "sqlite" {
        shell::step("API contract (schemathesis) on PostgreSQL", || {
            let cluster = postgres::Cluster::start()?;
            let mut runs = 0;
            let roles: &[Option<&str>] = match depth {
                Depth::Full => &EVERY_ROLE,
                Depth::Quick => &[None, Some("admin@demo.selfdesk")],
            };
            run_roles(root, roles, depth, || {
                runs += 1;
                cluster.new_database(&format!("fuzz{runs}")).map(Some)
            })
        })?;
    }
    Ok(())
}

/// Runs schemathesis once per role, each against a server on a fresh database: a
/// SQLite file, or a fresh PostgreSQL database from `database_url()`.
fn run_roles(
    root: &Path,
    roles: &[Option<&str>],
    depth: Depth,
    mut database_url: impl FnMut() -> Result<Option<String>>,
) -> Result<()> {
    let st_program = install_schemathesis()?;
    e2e::run_cargo_build()?;
    let mut failed = Vec::new();
    for role in roles {
        let examples = std::env::var("SELFDESK_FUZZ_EXAMPLES").unwrap_or_else(|_| {
            match (depth, role) {
                (Depth::Quick, Some(_)) => "20",
                _ => "60",
            }
            .into()
        });
        let data_dir = root.join("target/api-fuzz-data");
        let _ = std::fs::remove_dir_all(&data_dir);
        std::fs::create_dir_all(&data_dir)?;
        // A real mail server, so that asking for a lost link is answered (202), not
        // refused for want of email (503).
        let sink = SmtpSink::start(root, &data_dir.join("mail"))?;
        let url = database_url()?;
        let (server, base) = e2e::start_server(
            root,
            &data_dir,
            url.as_deref(),
            &[
                ("SELFDESK_SMTP_HOST", "127.0.0.1".into()),
                ("SELFDESK_SMTP_PORT", sink.port.to_string()),
                ("SELFDESK_SMTP_TLS", "none".into()),
            ],
        )?;
        let config = config_for(root, &data_dir, &base, *role)?;
        let mut st = Command::new(&st_program);
        // Its cache of earlier failures (which it replays first) stays with the run's
        // own folder, removed before the next: every run is the same.
        st.current_dir(&data_dir)
            .arg("--config-file")
            .arg(&config)
            .args(["run", &format!("{base}/api/v1/openapi.json")])
            .args(["--checks", "all", "--workers", "1"])
            .args(["--phases", "examples,coverage,fuzzing"])
            .args(["--seed", "20261205", "--generation-deterministic"])
            .args(["--max-examples", &examples]);
        if role.is_some() {
            // Signing out would end the run's own session.
            st.args(["--exclude-path", "/api/v1/auth/sign-out"]);
        }
        let name = role.unwrap_or("anonymous");
        println!("\n== schemathesis as {name} ==");
        if let Err(err) = run(&mut st) {
            eprintln!("{err:#}");
            failed.push(name);
        }
        drop(server);
        drop(sink);
    }
    if !failed.is_empty() {
        bail!("schemathesis found failures as: {}", failed.join(", "));
    }
    Ok(())
}

/// `tests/api-fuzz/schemathesis.toml`, with the portal's origin (state-changing staff
/// requests must come from it) and, signed in, the session for the document's
/// `session` scheme, so schemathesis knows which cookie is the credential.
fn config_for(root: &Path, dir: &Path, base: &str, role: Option<&str>) -> Result<PathBuf> {
    let allowances = std::fs::read_to_string(root.join("tests/api-fuzz/schemathesis.toml"))
        .context("reading tests/api-fuzz/schemathesis.toml")?;
    let mut config = format!("headers = {{ Origin = \"{base}\" }}\n\n{allowances}");
    if let Some(email) = role {
        let token = sign_in(base, email)?;
        config.push_str(&format!(
            "\n[auth.openapi.session]\napi_key = \"{token}\"\n"
        ));
    }
    let path = dir.join("schemathesis.toml");
    std::fs::write(&path, config)?;
    Ok(path)
}

/// The session token for `email` with the demo password, by the API itself.
fn sign_in(url: &str, email: &str) -> Result<String> {
    let script = r#"
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/api/v1/auth/sign-in",
    data=json.dumps({"email": sys.argv[2], "password": "selfdesk-demo"}).encode(),
    headers={"content-type": "application/json"})
cookie = urllib.request.urlopen(request).headers["set-cookie"]
print(cookie.split(";")[0].split("=", 1)[1])
"#;
    output(Command::new("python3").args(["-c", script, url, email]))
        .map(|token| token.trim().to_owned())
        .filter(|token| !token.is_empty())
        .with_context(|| format!("signing in as {email}"))
}

/// Installs schemathesis 4 when missing; answers the `st` program to run. `pip install
/// --user` puts it in the user's scripts folder, which a fresh machine's `PATH` may not
/// name, so that folder is looked in too.
fn install_schemathesis() -> Result<PathBuf> {
    let user_scripts = || -> Option<PathBuf> {
        let base = output(Command::new("python3").args(["-m", "site", "--user-base"]))?;
        Some(PathBuf::from(base.trim()).join("bin/st"))
    };
    let version_4 = |program: &Path| {
        output(Command::new(program).arg("--version")).is_some_and(|v| v.contains("version 4."))
    };
    let found = || {
        std::iter::once(PathBuf::from("st"))
            .chain(user_scripts())
            .find(|program| version_4(program))
    };
    if let Some(program) = found() {
        return Ok(program);
    }
    run(Command::new("python3").args([
        "-m",
        "pip",
        "install",
        "--user",
        "--quiet",
        "schemathesis>=4,<5",
    ]))
    .context("installing schemathesis")?;
    found().context(
        "schemathesis was installed, but no `st` 4.x is on PATH or in pip's user scripts folder",
    )
}
