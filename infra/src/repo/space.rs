use async_trait::async_trait;
use chrono::Utc;
use copnet_domain::{
    DomainResult,
    ids::{CommunityId, PersonId, SpaceId},
    model::Space,
    repo::SpaceRepo,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::{Store, convert};
use crate::{
    entity::{space_members, spaces},
    error::{db_err, unique_or},
};

const SLUG_TAKEN: &str = "a space with this slug already exists in the community";

fn row(s: &Space) -> spaces::ActiveModel {
    spaces::ActiveModel {
        id: Set(s.id.uuid()),
        community_id: Set(s.community_id.uuid()),
        slug: Set(s.slug.clone()),
        name: Set(s.name.clone()),
        description: Set(s.description.clone()),
        visibility: Set(s.visibility.code().to_owned()),
        created_at: Set(s.created_at),
    }
}

#[async_trait]
impl SpaceRepo for Store {
    async fn by_ids(&self, ids: &[SpaceId]) -> DomainResult<Vec<Space>> {
        spaces::Entity::find()
            .filter(
                self.sql()
                    .one_of(spaces::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::space)
            .collect()
    }

    async fn by_slugs(&self, keys: &[(CommunityId, String)]) -> DomainResult<Vec<Space>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        spaces::Entity::find()
            .filter(self.sql().one_of(
                spaces::Column::CommunityId.into_expr(),
                keys.iter().map(|(c, _)| c.uuid()),
            ))
            .filter(self.sql().one_of(
                spaces::Column::Slug.into_expr(),
                keys.iter().map(|(_, s)| s.clone()),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .filter(|r| {
                keys.iter()
                    .any(|(c, s)| c.uuid() == r.community_id && *s == r.slug)
            })
            .map(convert::space)
            .collect()
    }

    async fn create(&self, space: &Space) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        spaces::Entity::insert(row(space))
            .exec_without_returning(&txn)
            .await
            .map_err(unique_or(SLUG_TAKEN))?;
        crate::search::index::put_space(&txn, space).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn update(&self, space: &Space) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        spaces::Entity::update(row(space))
            .exec(&txn)
            .await
            .map_err(unique_or(SLUG_TAKEN))?;
        crate::search::index::put_space(&txn, space).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn add_member(&self, space: SpaceId, person: PersonId) -> DomainResult<()> {
        space_members::Entity::insert(space_members::ActiveModel {
            id: Set(Uuid::now_v7()),
            space_id: Set(space.uuid()),
            person_id: Set(person.uuid()),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([
                space_members::Column::SpaceId,
                space_members::Column::PersonId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn remove_member(&self, space: SpaceId, person: PersonId) -> DomainResult<bool> {
        let deleted = space_members::Entity::delete_many()
            .filter(space_members::Column::SpaceId.eq(space.uuid()))
            .filter(space_members::Column::PersonId.eq(person.uuid()))
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        Ok(deleted.rows_affected > 0)
    }
}
