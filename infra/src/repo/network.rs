use async_trait::async_trait;
use chrono::Utc;
use copnet_domain::{
    DomainResult,
    ids::{ClusterId, NetworkId, PersonId},
    model::{Cluster, Network},
    repo::NetworkRepo,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::{Store, convert};
use crate::{
    entity::{cluster_coordinators, clusters, network_stewards, networks},
    error::{db_err, unique_or},
};

fn steward_row(network: NetworkId, person: PersonId) -> network_stewards::ActiveModel {
    network_stewards::ActiveModel {
        id: Set(Uuid::now_v7()),
        network_id: Set(network.uuid()),
        person_id: Set(person.uuid()),
        created_at: Set(Utc::now()),
    }
}

#[async_trait]
impl NetworkRepo for Store {
    async fn by_ids(&self, ids: &[NetworkId]) -> DomainResult<Vec<Network>> {
        networks::Entity::find()
            .filter(
                self.sql()
                    .one_of(networks::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::network)
            .collect()
    }

    async fn by_slugs(&self, slugs: &[String]) -> DomainResult<Vec<Network>> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        networks::Entity::find()
            .filter(
                self.sql()
                    .one_of(networks::Column::Slug.into_expr(), slugs.iter().cloned()),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::network)
            .collect()
    }

    async fn create(&self, network: &Network, steward: PersonId) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        networks::Entity::insert(networks::ActiveModel {
            id: Set(network.id.uuid()),
            slug: Set(network.slug.clone()),
            name: Set(network.name.clone()),
            description: Set(network.description.clone()),
            visibility: Set(network.visibility.code().to_owned()),
            host_organization_id: Set(network.host_organization_id.uuid()),
            created_at: Set(network.created_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(unique_or("a network with this slug already exists"))?;
        network_stewards::Entity::insert(steward_row(network.id, steward))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    async fn add_steward(&self, network: NetworkId, person: PersonId) -> DomainResult<()> {
        network_stewards::Entity::insert(steward_row(network, person))
            .exec_without_returning(&self.db)
            .await
            .map_err(unique_or("this person is already a steward of the network"))?;
        Ok(())
    }

    async fn clusters_by_ids(&self, ids: &[ClusterId]) -> DomainResult<Vec<Cluster>> {
        let rows = clusters::Entity::find()
            .filter(
                self.sql()
                    .one_of(clusters::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(convert::cluster).collect())
    }

    async fn clusters_by_slugs(&self, keys: &[(NetworkId, String)]) -> DomainResult<Vec<Cluster>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        Ok(clusters::Entity::find()
            .filter(self.sql().one_of(
                clusters::Column::NetworkId.into_expr(),
                keys.iter().map(|(n, _)| n.uuid()),
            ))
            .filter(self.sql().one_of(
                clusters::Column::Slug.into_expr(),
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
            .map(convert::cluster)
            .collect())
    }

    async fn create_cluster(&self, cluster: &Cluster) -> DomainResult<()> {
        clusters::Entity::insert(clusters::ActiveModel {
            id: Set(cluster.id.uuid()),
            network_id: Set(cluster.network_id.uuid()),
            slug: Set(cluster.slug.clone()),
            name: Set(cluster.name.clone()),
            created_at: Set(cluster.created_at),
        })
        .exec_without_returning(&self.db)
        .await
        .map_err(unique_or(
            "a cluster with this slug already exists in the network",
        ))?;
        Ok(())
    }

    async fn add_coordinator(&self, cluster: ClusterId, person: PersonId) -> DomainResult<()> {
        cluster_coordinators::Entity::insert(cluster_coordinators::ActiveModel {
            id: Set(Uuid::now_v7()),
            cluster_id: Set(cluster.uuid()),
            person_id: Set(person.uuid()),
            created_at: Set(Utc::now()),
        })
        .exec_without_returning(&self.db)
        .await
        .map_err(unique_or("this person already coordinates the cluster"))?;
        Ok(())
    }
}
