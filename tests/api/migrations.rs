//! The migrations run up, down and up again, on whichever database the suite runs on.

use copnet_infra::{Database, DatabaseOptions};
use copnet_tests::TestDatabase;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

async fn tables(db: &Database) -> Vec<String> {
    let backend = db.conn().get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        }
    };
    db.conn()
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .expect("list tables")
        .iter()
        .map(|row| row.try_get::<String>("", "name").expect("name"))
        .filter(|name| name != "seaql_migrations")
        .collect()
}

#[tokio::test]
async fn migrations_run_up_down_and_up_again() {
    let test_db = TestDatabase::create().await;
    let db = Database::connect(&DatabaseOptions {
        url: test_db.url().to_owned(),
        max_connections: 1,
    })
    .await
    .expect("connect");
    let migrated = tables(&db).await;
    assert!(
        migrated.len() >= 16,
        "expected the whole schema, found {migrated:?}"
    );
    assert_eq!(db.pending_migrations().await.expect("pending"), 0);

    db.migrate_down_all().await.expect("down");
    assert_eq!(
        tables(&db).await,
        Vec::<String>::new(),
        "down must drop every table"
    );
    assert!(db.pending_migrations().await.expect("pending") > 0);

    db.migrate().await.expect("up again");
    assert_eq!(
        tables(&db).await,
        migrated,
        "up after down must recreate the same tables"
    );
    assert_eq!(db.pending_migrations().await.expect("pending"), 0);
    db.close().await.expect("close");
}
