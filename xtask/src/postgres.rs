//! A private, throwaway PostgreSQL cluster for the API tests: `initdb` and `pg_ctl` in
//! a temporary directory on a free loopback port, removed afterwards. Debian's
//! `postgresql` package is installed when missing.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::setup::apt_install;
use crate::shell::{output, run};

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
    port: u16,
    pub url: String,
}

impl Cluster {
    pub fn start() -> Result<Self> {
        let bin = match server_bin_dir() {
            Some(bin) => bin,
            None => {
                apt_install(&["postgresql"]).context("installing PostgreSQL for the API tests")?;
                server_bin_dir().context("PostgreSQL installed, but initdb was not found")?
            }
        };
        // initdb refuses to run as root; CI runs as root, so use Debian's `postgres` user.
        let as_postgres_user =
            output(Command::new("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
        let dir = std::env::temp_dir().join(format!("selfdesk-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        if as_postgres_user {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir))?;
        }
        let port = free_port()?;
        let cluster = Self {
            dir,
            bin,
            as_postgres_user,
            port,
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        };
        let data = cluster.dir.join("data");
        run(cluster
            .command("initdb")
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data))?;
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            cluster.dir.display()
        );
        run(cluster
            .command("pg_ctl")
            .args(["-w", "-D"])
            .arg(&data)
            .args(["-l"])
            .arg(cluster.dir.join("server.log"))
            .args(["-o", &options, "start"]))?;
        Ok(cluster)
    }

    /// A new empty database in this cluster, for a run that must not see another's rows.
    pub fn new_database(&self, name: &str) -> Result<String> {
        run(self.command("createdb").args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            name,
        ]))
        .with_context(|| format!("creating the database {name}"))?;
        Ok(format!(
            "postgres://postgres@127.0.0.1:{}/{name}",
            self.port
        ))
    }

    fn command(&self, tool: &str) -> Command {
        let program = self.bin.join(tool);
        if self.as_postgres_user {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["-m", "immediate", "-D"])
            .arg(self.dir.join("data"))
            .arg("stop")
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Debian installs each major version under /usr/lib/postgresql/<major>/bin.
fn server_bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    if port == 0 {
        bail!("no free port");
    }
    Ok(port)
}
