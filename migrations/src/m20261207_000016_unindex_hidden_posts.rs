//! Hidden posts leave the full-text index (they come back when shown again): search filters
//! them out by their absence rather than by reading every matching post.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "DELETE FROM search_documents WHERE kind = 'POST' \
                 AND item_id IN (SELECT id FROM posts WHERE hidden OR deleted)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Nothing to restore: the earlier search also left hidden posts out.
        Ok(())
    }
}
