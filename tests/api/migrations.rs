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
        ..DatabaseOptions::default()
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

#[tokio::test]
async fn api_keys_issued_before_key_rotation_existed_keep_their_hash_under_the_accounts_id() {
    use copnet_migrations::{Migrator, MigratorTrait};

    let test_db = TestDatabase::create().await;
    let db = Database::connect(&DatabaseOptions {
        url: test_db.url().to_owned(),
        max_connections: 1,
        ..DatabaseOptions::default()
    })
    .await
    .expect("connect");
    // Back to the schema where the account held its one key.
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let keys = names
        .iter()
        .position(|n| n == "m20261207_000017_create_service_account_keys")
        .expect("the keys migration");
    let steps = u32::try_from(names.len() - keys).expect("few migrations");
    Migrator::down(db.conn(), Some(steps))
        .await
        .expect("down to before the keys");
    let backend = db.conn().get_database_backend();
    let (org, person, account) = (
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
        uuid::Uuid::now_v7(),
    );
    let now = chrono::Utc::now();
    let hash = "ab".repeat(32);
    let inserts: [(&str, Vec<sea_orm::Value>); 3] = [
        (
            "INSERT INTO organizations (id, slug, name, created_at) VALUES ($1, 'o', 'O', $2)",
            vec![org.into(), now.into()],
        ),
        (
            "INSERT INTO people (id, subject, display_name, created_at) VALUES ($1, 's', 'P', $2)",
            vec![person.into(), now.into()],
        ),
        (
            "INSERT INTO service_accounts (id, organization_id, name, scopes, key_hash, created_by, created_at) \
             VALUES ($1, $2, 'sync', 'READ_HOSTED', $3, $4, $5)",
            vec![
                account.into(),
                org.into(),
                hash.clone().into(),
                person.into(),
                now.into(),
            ],
        ),
    ];
    for (sql, values) in inserts {
        let sql = match backend {
            DatabaseBackend::Postgres => sql.to_owned(),
            _ => (1..=5).fold(sql.to_owned(), |s, n| s.replace(&format!("${n}"), "?")),
        };
        db.conn()
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .expect("insert");
    }
    db.migrate().await.expect("up");
    let rows = db
        .conn()
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, service_account_id, key_hash, expires_at FROM service_account_keys"
                .to_owned(),
        ))
        .await
        .expect("keys");
    assert_eq!(rows.len(), 1);
    let key: uuid::Uuid = rows[0].try_get("", "id").expect("id");
    let owner: uuid::Uuid = rows[0].try_get("", "service_account_id").expect("owner");
    let stored: String = rows[0].try_get("", "key_hash").expect("hash");
    assert_eq!((key, owner, stored), (account, account, hash));
    db.close().await.expect("close");
}
