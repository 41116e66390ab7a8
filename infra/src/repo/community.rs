use std::collections::HashMap;

use async_trait::async_trait;
use copnet_domain::{
    DomainResult,
    ids::{ClusterId, CommunityId, NetworkId, OrganizationId},
    model::{Community, Membership},
    repo::CommunityRepo,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use uuid::Uuid;

use super::{Store, convert, membership::insert_membership};
use crate::{
    entity::{communities, community_allowed_organizations as allowed, community_clusters},
    error::{db_err, unique_or},
};

const SLUG_TAKEN: &str = "a community with this slug already exists in the network";

fn row(c: &Community) -> communities::ActiveModel {
    communities::ActiveModel {
        id: Set(c.id.uuid()),
        network_id: Set(c.network_id.uuid()),
        slug: Set(c.slug.clone()),
        name: Set(c.name.clone()),
        description: Set(c.description.clone()),
        visibility: Set(c.visibility.code().to_owned()),
        join_policy: Set(c.join_policy.code().to_owned()),
        stage: Set(c.stage.code().to_owned()),
        host_organization_id: Set(c.host_organization_id.map(OrganizationId::uuid)),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
    }
}

async fn with_allow_lists(
    db: &impl ConnectionTrait,
    rows: Vec<communities::Model>,
) -> DomainResult<Vec<Community>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut lists: HashMap<Uuid, Vec<OrganizationId>> = HashMap::new();
    if !ids.is_empty() {
        for entry in allowed::Entity::find()
            .filter(
                crate::sql::Dialect(db.get_database_backend())
                    .one_of(allowed::Column::CommunityId.into_expr(), ids),
            )
            .order_by_asc(allowed::Column::Id)
            .all(db)
            .await
            .map_err(db_err)?
        {
            lists
                .entry(entry.community_id)
                .or_default()
                .push(entry.organization_id.into());
        }
    }
    rows.into_iter()
        .map(|r| {
            let list = lists.remove(&r.id).unwrap_or_default();
            convert::community(r, list)
        })
        .collect()
}

async fn replace_allow_list(db: &impl ConnectionTrait, c: &Community) -> DomainResult<()> {
    allowed::Entity::delete_many()
        .filter(allowed::Column::CommunityId.eq(c.id.uuid()))
        .exec(db)
        .await
        .map_err(db_err)?;
    if c.allowed_organization_ids.is_empty() {
        return Ok(());
    }
    let rows = c
        .allowed_organization_ids
        .iter()
        .map(|org| allowed::ActiveModel {
            id: Set(Uuid::now_v7()),
            community_id: Set(c.id.uuid()),
            organization_id: Set(org.uuid()),
            created_at: Set(c.updated_at),
        });
    allowed::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

async fn replace_clusters(
    db: &impl ConnectionTrait,
    c: &Community,
    clusters: &[ClusterId],
) -> DomainResult<()> {
    community_clusters::Entity::delete_many()
        .filter(community_clusters::Column::CommunityId.eq(c.id.uuid()))
        .exec(db)
        .await
        .map_err(db_err)?;
    if clusters.is_empty() {
        return Ok(());
    }
    let rows = clusters
        .iter()
        .map(|cluster| community_clusters::ActiveModel {
            id: Set(Uuid::now_v7()),
            community_id: Set(c.id.uuid()),
            cluster_id: Set(cluster.uuid()),
            created_at: Set(c.updated_at),
        });
    community_clusters::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl CommunityRepo for Store {
    async fn by_ids(&self, ids: &[CommunityId]) -> DomainResult<Vec<Community>> {
        let rows = communities::Entity::find()
            .filter(
                self.sql()
                    .one_of(communities::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        with_allow_lists(&self.db, rows).await
    }

    async fn by_slugs(&self, keys: &[(NetworkId, String)]) -> DomainResult<Vec<Community>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        // Both columns narrowed with IN (a superset), then the exact pairs kept.
        let rows: Vec<communities::Model> = communities::Entity::find()
            .filter(self.sql().one_of(
                communities::Column::NetworkId.into_expr(),
                keys.iter().map(|(n, _)| n.uuid()),
            ))
            .filter(self.sql().one_of(
                communities::Column::Slug.into_expr(),
                keys.iter().map(|(_, s)| s.clone()),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .filter(|r| {
                keys.iter()
                    .any(|(n, s)| n.uuid() == r.network_id && *s == r.slug)
            })
            .collect();
        with_allow_lists(&self.db, rows).await
    }

    async fn create(
        &self,
        community: &Community,
        clusters: &[ClusterId],
        creator: &Membership,
    ) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        communities::Entity::insert(row(community))
            .exec_without_returning(&txn)
            .await
            .map_err(unique_or(SLUG_TAKEN))?;
        replace_clusters(&txn, community, clusters).await?;
        replace_allow_list(&txn, community).await?;
        insert_membership(&txn, creator).await?;
        crate::search::index::put_community(&txn, community).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn update(
        &self,
        community: &Community,
        clusters: Option<&[ClusterId]>,
    ) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        communities::Entity::update(row(community))
            .exec(&txn)
            .await
            .map_err(unique_or(SLUG_TAKEN))?;
        if let Some(clusters) = clusters {
            replace_clusters(&txn, community, clusters).await?;
        }
        replace_allow_list(&txn, community).await?;
        crate::search::index::put_community(&txn, community).await?;
        txn.commit().await.map_err(db_err)
    }
}
