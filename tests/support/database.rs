//! One fresh database per test, cloned from a template migrated once per process.

use std::{path::PathBuf, sync::OnceLock};

use copnet_infra::{Database, DatabaseOptions};
use sea_orm::{ConnectionTrait, Statement};

/// The environment variable that selects PostgreSQL.
pub const POSTGRES_ENV: &str = "COPNET_TEST_DATABASE_URL";

enum Template {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

/// A database owned by one test; removed when dropped.
pub struct TestDatabase {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

fn dbs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/test-dbs")
}

/// Runs an async block on a private runtime in its own thread, so that pools created there
/// are not tied to any test's runtime.
fn on_own_runtime<T: Send + 'static>(work: impl Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(work)
    })
    .join()
    .expect("helper thread")
}

fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let base = base.rsplit_once('/').map_or(base, |(head, _)| head);
    format!("{base}/{name}{query}")
}

async fn admin(admin_url: &str) -> Database {
    Database::connect(&DatabaseOptions {
        url: admin_url.to_owned(),
        max_connections: 1,
        ..DatabaseOptions::default()
    })
    .await
    .unwrap_or_else(|e| {
        panic!("{POSTGRES_ENV} is set to {admin_url} but PostgreSQL cannot be reached: {e}")
    })
}

async fn execute(db: &Database, sql: String) {
    db.conn()
        .execute_raw(Statement::from_string(
            db.conn().get_database_backend(),
            sql.clone(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn pid_alive(pid: u32) -> bool {
    PathBuf::from(format!("/proc/{pid}")).exists()
}

async fn drop_stale_postgres(db: &Database) {
    let rows = db
        .conn()
        .query_all_raw(Statement::from_string(
            db.conn().get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'copnet\\_test\\_%'".to_owned(),
        ))
        .await
        .expect("list test databases");
    for row in rows {
        let name: String = row.try_get("", "datname").expect("datname");
        let pid = name.split('_').nth(3).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| pid != std::process::id() && !pid_alive(pid)) {
            execute(
                db,
                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            )
            .await;
        }
    }
}

fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| match std::env::var(POSTGRES_ENV) {
        Ok(admin_url) if !admin_url.trim().is_empty() => on_own_runtime(async move {
            let name = format!(
                "copnet_test_tpl_{}_{}",
                std::process::id(),
                uuid::Uuid::now_v7().simple()
            );
            let db = admin(&admin_url).await;
            drop_stale_postgres(&db).await;
            execute(&db, format!("CREATE DATABASE \"{name}\"")).await;
            let template = Database::connect(&DatabaseOptions {
                url: with_database(&admin_url, &name),
                max_connections: 1,
                ..DatabaseOptions::default()
            })
            .await
            .expect("connect to the template");
            template.migrate().await.expect("migrate the template");
            template.close().await.expect("close the template");
            db.close().await.ok();
            Template::Postgres { admin_url, name }
        }),
        _ => {
            let dir = dbs_dir();
            std::fs::create_dir_all(&dir).expect("create target/test-dbs");
            for entry in std::fs::read_dir(&dir)
                .expect("list target/test-dbs")
                .flatten()
            {
                let stale = entry
                    .file_name()
                    .to_str()
                    .and_then(|n| n.split('-').nth(1))
                    .and_then(|pid| pid.parse::<u32>().ok())
                    .is_some_and(|pid| !pid_alive(pid));
                if stale {
                    std::fs::remove_file(entry.path()).ok();
                }
            }
            let path = dir.join(format!(
                "template-{}-{}.db",
                std::process::id(),
                uuid::Uuid::now_v7().simple()
            ));
            let url = format!("sqlite://{}?mode=rwc", path.display());
            on_own_runtime(async move {
                let db = Database::connect(&DatabaseOptions {
                    url,
                    max_connections: 1,
                    ..DatabaseOptions::default()
                })
                .await
                .expect("create the template");
                db.migrate().await.expect("migrate the template");
                db.close().await.expect("close the template");
            });
            Template::Sqlite(path)
        }
    })
}

impl TestDatabase {
    /// A fresh, migrated database.
    pub async fn create() -> Self {
        match template() {
            Template::Sqlite(template) => {
                let path = dbs_dir().join(format!(
                    "test-{}-{}.db",
                    std::process::id(),
                    uuid::Uuid::now_v7().simple()
                ));
                std::fs::copy(template, &path).expect("copy the template");
                Self {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    cleanup: Cleanup::File(path),
                }
            }
            Template::Postgres { admin_url, name } => {
                let test = format!(
                    "copnet_test_db_{}_{}",
                    std::process::id(),
                    uuid::Uuid::now_v7().simple()
                );
                let admin_url = admin_url.clone();
                let (url, sql) = (
                    with_database(&admin_url, &test),
                    format!("CREATE DATABASE \"{test}\" TEMPLATE \"{name}\""),
                );
                let admin_for_create = admin_url.clone();
                on_own_runtime(async move {
                    let db = admin(&admin_for_create).await;
                    execute(&db, sql).await;
                    db.close().await.ok();
                });
                Self {
                    url,
                    cleanup: Cleanup::Database {
                        admin_url,
                        name: test,
                    },
                }
            }
        }
    }

    /// Where the database is.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Database { .. })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    std::fs::remove_file(format!("{}{suffix}", path.display())).ok();
                }
            }
            Cleanup::Database { admin_url, name } => {
                let (admin_url, sql) = (
                    admin_url.clone(),
                    format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                );
                on_own_runtime(async move {
                    let db = admin(&admin_url).await;
                    execute(&db, sql).await;
                    db.close().await.ok();
                });
            }
        }
    }
}
