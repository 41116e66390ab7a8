//! The full-text index: one document per searchable thing, holding its text and its stems
//! (see `copnet_infra::search`). PostgreSQL indexes the stems as a generated `tsvector` under
//! a GIN index; SQLite as an FTS5 table whose triggers keep it in step with the documents.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

use crate::helpers::{create, drop, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES: &[&str] = &[
    "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS \
     (setweight(to_tsvector('simple', title_terms), 'A') || \
      setweight(to_tsvector('simple', body_terms), 'B')) STORED",
    "CREATE INDEX ix_search_documents_tsv ON search_documents USING GIN (tsv)",
];

const SQLITE: &[&str] = &[
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, \
     content='search_documents', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN \
     INSERT INTO search_fts(rowid, title_terms, body_terms) \
     VALUES (new.id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN \
     INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) \
     VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN \
     INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms) \
     VALUES ('delete', old.id, old.title_terms, old.body_terms); \
     INSERT INTO search_fts(rowid, title_terms, body_terms) \
     VALUES (new.id, new.title_terms, new.body_terms); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let documents = Table::create()
            .table("search_documents")
            .col(pk_auto("id"))
            .col(string_len("kind", 16))
            .col(uuid("item_id"))
            .col(uuid_null("network_id"))
            .col(uuid_null("community_id"))
            .col(uuid_null("space_id"))
            .col(uuid_null("cluster_id"))
            .col(string_len("language", 2))
            .col(text("title"))
            .col(text("body"))
            .col(text("title_terms"))
            .col(text("body_terms"))
            .take();
        create(
            manager,
            vec![documents],
            vec![
                index("search_documents", &["kind", "item_id"], true),
                index("search_documents", &["community_id"], false),
                index("search_documents", &["network_id"], false),
            ],
        )
        .await?;
        let statements = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES,
            _ => SQLITE,
        };
        let db = manager.get_connection();
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Sqlite {
            manager
                .get_connection()
                .execute_unprepared("DROP TABLE search_fts")
                .await?;
        }
        drop(manager, &["search_documents"]).await
    }
}
