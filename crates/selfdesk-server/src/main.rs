use std::io::Read;

use anyhow::Context;
use clap::Parser;
use selfdesk_server::config::{AdminCommand, Cli, Command, ServeArgs};
use selfdesk_server::{db, startup::Application, store};
use selfdesk_shared::auth::StaffRole;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();

    let cli = Cli::parse();
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
    }
    Ok(())
}
