use std::io::Read;

use anyhow::Context;
use clap::Parser;
use selfdesk_server::config::{AdminCommand, Cli, Command, ServeArgs};
use selfdesk_server::{db, startup::Application, store};
use selfdesk_shared::auth::StaffRole;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // The copy reads each table as one long stream while it writes: sqlx would call
    // every table's read a slow statement.
    let default_filter = if matches!(cli.command, Some(Command::CopyToPostgres { .. })) {
        "info,sqlx=error"
    } else {
        "info,sqlx=warn,tower_http=info"
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter)),
        )
        .init();

    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(serve) => {
            let app = Application::build(&cli.database, &serve).await?;
            tracing::info!("Selfdesk listening on http://{}", app.local_addr());
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let pool = db::connect(&cli.database).await?;
            db::migrate(&pool).await?;
            println!(
                "Database is at schema version {}",
                db::schema_version(&pool).await?.unwrap_or(0)
            );
        }
        Command::CopyToPostgres { to } => copy_to_postgres(&cli.database, to).await?,
        Command::Admin(AdminCommand::Create {
            email,
            name,
            password_stdin,
        }) => {
            let pool = db::connect(&cli.database).await?;
            db::migrate(&pool).await?;
            let (password, generated) = if password_stdin {
                let mut input = String::new();
                std::io::stdin()
                    .read_to_string(&mut input)
                    .context("reading the password")?;
                (input.trim_end_matches(['\n', '\r']).to_owned(), false)
            } else {
                (selfdesk_server::auth::password::generate(), true)
            };
            let member =
                store::staff::create_validated(&pool, &email, &name, StaffRole::Admin, &password)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            println!("Created admin {} (id {}).", member.email, member.id);
            if generated {
                println!("Password (shown once, store it safely): {password}");
            }
        }
        Command::Admin(AdminCommand::TurnOffTwoFactor { email }) => {
            let pool = db::connect(&cli.database).await?;
            db::migrate(&pool).await?;
            let address = selfdesk_shared::email::EmailAddress::parse(&email)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let Some(found) = store::staff::credentials_by_email(&pool, address.as_str()).await?
            else {
                anyhow::bail!("no staff account has the address {email}");
            };
            store::staff_security::turn_off(&pool, found.member.id).await?;
            store::sessions::end_all(&pool, found.member.id).await?;
            println!(
                "Two-factor sign-in is off for {} (id {}); every session of it has ended.",
                found.member.email, found.member.id
            );
        }
    }
    Ok(())
}

/// `copy-to-postgres`: the configured SQLite portal into the PostgreSQL database `to`.
async fn copy_to_postgres(
    source: &selfdesk_server::config::DatabaseArgs,
    to: String,
) -> anyhow::Result<()> {
    let db::Db::Sqlite(sqlite) = db::connect(source).await? else {
        anyhow::bail!("the portal to copy from must be on SQLite (it is already on PostgreSQL)");
    };
    let target_args = selfdesk_server::config::DatabaseArgs {
        data_dir: source.data_dir.clone(),
        database_url: Some(to),
    };
    let target = db::connect(&target_args).await?;
    let db::Db::Postgres(postgres) = &target else {
        anyhow::bail!("--to must be a postgres:// URL");
    };
    // Both at the current schema: the copy moves rows, never schema.
    db::migrate(&db::Db::Sqlite(sqlite.clone())).await?;
    db::migrate(&target).await?;
    let report = selfdesk_server::copy_to_postgres::copy(&sqlite, postgres).await?;
    println!(
        "{:<28} {:>9}  {:<16}  {:<16}",
        "table", "rows", "SHA-256 SQLite", "SHA-256 PostgreSQL"
    );
    for table in &report {
        println!(
            "{:<28} {:>9}  {:<16}  {:<16}  {}",
            table.table,
            table.rows,
            &table.source_sha256[..16],
            &table.target_sha256[..16],
            if table.matches() { "same" } else { "DIFFERENT" }
        );
    }
    let rows: u64 = report.iter().map(|t| t.rows).sum();
    let different: Vec<&str> = report
        .iter()
        .filter(|t| !t.matches())
        .map(|t| t.table.as_str())
        .collect();
    if !different.is_empty() {
        anyhow::bail!(
            "the copy differs from the original in: {}",
            different.join(", ")
        );
    }
    println!(
        "Copied {rows} rows in {} tables; every table reads back identical. \
         Point SELFDESK_DATABASE_URL at the PostgreSQL database to serve from it.",
        report.len()
    );
    Ok(())
}
