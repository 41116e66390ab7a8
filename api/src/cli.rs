//! The `copnet` command line.

use std::{io::Write, path::PathBuf, process::ExitCode, time::Duration};

use clap::{Parser, Subcommand};
use copnet_infra::{Database, DatabaseOptions, jwt::JwtSigner, telemetry};
use tokio::net::TcpListener;

use crate::{
    app::{self, StartError},
    config::Settings,
    demo, graphql,
};

/// copnet: a GraphQL API for networks of Communities of Practice.
#[derive(Debug, Parser)]
#[command(name = "copnet", version, about)]
pub struct Cli {
    /// A TOML configuration file (also `COPNET_CONFIG`); the environment overrides it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serves the API.
    Serve {
        /// Migrate and seed an empty database with a demo, accept a built-in JWT secret, and
        /// print example tokens. For trying copnet out, never for production.
        #[arg(long)]
        demo: bool,
        /// Listen address (overrides `COPNET_BIND`).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Applies pending database migrations.
    Migrate {
        /// Revert every migration instead (destroys all data).
        #[arg(long)]
        down: bool,
    },
    /// Migrates, then seeds the demo data into an empty database.
    SeedDemo,
    /// Migrates, then fills an empty database with a generated network for benchmarks (scale
    /// 1: 50 communities, 5,000 people, about 200,000 posts; scale N: N times the
    /// communities and people). Deterministic; people sign in as `bench-<i>`.
    SeedBench {
        /// Size multiplier.
        #[arg(long, default_value_t = 1)]
        scale: usize,
        /// Fewer communities than the scale's (for a quick run).
        #[arg(long)]
        communities: Option<usize>,
    },
    /// Prints an HS256 token signed with the configured secret (`COPNET_JWT_SECRET`).
    Token {
        /// Subject (`sub`).
        #[arg(long)]
        sub: String,
        /// Display name (`name`).
        #[arg(long)]
        name: String,
        /// E-mail address (`email`).
        #[arg(long)]
        email: Option<String>,
        /// Lifetime, such as `1h`, `30m`, `7d`.
        #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
        ttl: Duration,
        /// Sign with the demo secret when none is configured.
        #[arg(long)]
        demo: bool,
    },
    /// Prints the GraphQL schema (SDL).
    Schema,
    /// Manages the persisted-query safelist (`COPNET_PERSISTED_QUERIES=safelist`).
    Persisted {
        /// What to do.
        #[command(subcommand)]
        action: PersistedCommand,
    },
}

/// `copnet persisted ...`.
#[derive(Debug, Subcommand)]
pub enum PersistedCommand {
    /// Registers the GraphQL documents of these `.graphql` files, each by the SHA-256 of its
    /// text (printed, with the operations it holds); clients then send them by hash in the
    /// APQ format. Every file is checked before any is registered.
    Add {
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// Errors of a command.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Infra(#[from] copnet_infra::InfraError),
    #[error("{0}")]
    Domain(#[from] copnet_domain::DomainError),
    #[error("output: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Register(#[from] graphql::persisted::RegisterError),
    #[error("the database has {0} pending migration(s): run `copnet migrate` first")]
    Pending(usize),
}

/// Runs the command line; the exit code says whether it worked.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("copnet: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("copnet: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Schema => {
            writeln!(out, "{}", graphql::sdl())?;
        }
        Command::Token {
            sub,
            name,
            email,
            ttl,
            demo,
        } => {
            let secret = settings.hs256_secret(demo)?.ok_or_else(|| {
                crate::config::ConfigError::Invalid("COPNET_JWT_SECRET is not set".into())
            })?;
            let signer = JwtSigner::new(&secret, &settings.jwt_issuer, &settings.jwt_audience);
            writeln!(out, "{}", signer.sign(&sub, &name, email.as_deref(), ttl)?)?;
        }
        Command::Persisted {
            action: PersistedCommand::Add { files },
        } => {
            let _guard = telemetry::init("copnet", settings.log_format == "json")?;
            let database = connect(&settings).await?;
            let pending = database.pending_migrations().await?;
            if pending > 0 {
                return Err(CliError::Pending(pending));
            }
            let repos = copnet_infra::Store::new(&database).repos();
            let registered =
                graphql::persisted::register_files(repos.persisted.as_ref(), &files).await?;
            for r in registered {
                writeln!(
                    out,
                    "{}  {}  {}{}",
                    r.hash,
                    r.file.display(),
                    r.operations.join(", "),
                    if r.new { "" } else { "  (already registered)" }
                )?;
            }
        }
        Command::Migrate { down } => {
            let _guard = telemetry::init("copnet", settings.log_format == "json")?;
            let database = connect(&settings).await?;
            if down {
                database.migrate_down_all().await?;
                tracing::info!("all migrations reverted");
            } else {
                database.migrate().await?;
                tracing::info!("database is up to date");
            }
        }
        Command::SeedDemo => {
            let _guard = telemetry::init("copnet", settings.log_format == "json")?;
            let database = connect(&settings).await?;
            database.migrate().await?;
            let app = app::build_with(&settings, true, database).await?;
            let seeded = demo::seed(&app.state.services).await?;
            writeln!(
                out,
                "{}",
                if seeded {
                    "demo data seeded"
                } else {
                    "database not empty: nothing seeded"
                }
            )?;
        }
        Command::SeedBench { scale, communities } => {
            let _guard = telemetry::init("copnet", settings.log_format == "json")?;
            let database = connect(&settings).await?;
            database.migrate().await?;
            let started = std::time::Instant::now();
            let report =
                copnet_infra::bench_seed::seed_bench(&database, scale, communities).await?;
            let seconds = started.elapsed().as_secs_f64();
            writeln!(
                out,
                "{}",
                serde_json::json!({"scale": scale, "seconds": (seconds * 10.0).round() / 10.0, "rows": report})
            )?;
        }
        Command::Serve { demo, bind } => {
            if let Some(bind) = bind {
                settings.bind = bind;
            }
            let _guard = telemetry::init("copnet", settings.log_format == "json")?;
            let app = app::build(&settings, demo).await?;
            let listener = TcpListener::bind(&settings.bind)
                .await
                .map_err(StartError::Io)?;
            let address = listener.local_addr().map_err(StartError::Io)?;
            if demo {
                demo::seed(&app.state.services).await?;
                let banner = demo_banner(&settings, &address.to_string())?;
                // The banner is a courtesy: a closed stdout must not stop the server.
                if let Err(err) = out.write_all(banner.as_bytes()).and_then(|()| out.flush()) {
                    tracing::warn!(error = %err, "cannot print the demo banner");
                }
            }
            tracing::info!(%address, "copnet listening; GraphiQL at http://{address}/graphql");
            drop(out);
            app::serve(app, listener).await?;
        }
    }
    Ok(())
}

/// Where GraphiQL is, and a token per demo person.
fn demo_banner(settings: &Settings, address: &str) -> Result<String, CliError> {
    use std::fmt::Write as _;
    let secret = settings.hs256_secret(true)?.unwrap_or_default();
    let signer = JwtSigner::new(&secret, &settings.jwt_issuer, &settings.jwt_audience);
    let mut banner = format!(
        "\ncopnet demo: GraphiQL at http://{address}/graphql\n\n\
         Example tokens (valid 30 days); paste one into GraphiQL's headers as\n  \
         {{\"Authorization\": \"Bearer <token>\"}}\n\n"
    );
    for (subject, name, role) in demo::PERSONAS {
        let email = format!("{subject}@example.org");
        let token = signer.sign(
            subject,
            name,
            Some(&email),
            Duration::from_secs(30 * 24 * 3600),
        )?;
        let _ = writeln!(banner, "{name} ({role}):\n  {token}\n");
    }
    Ok(banner)
}

async fn connect(settings: &Settings) -> Result<Database, CliError> {
    Ok(Database::connect(&DatabaseOptions {
        url: settings.database_url.clone(),
        max_connections: settings.database_max_connections,
        acquire_timeout: Duration::from_millis(settings.database_acquire_timeout_ms.max(100)),
    })
    .await?)
}
