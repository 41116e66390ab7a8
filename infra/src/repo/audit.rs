use async_trait::async_trait;
use copnet_domain::{
    DomainError, DomainResult,
    ids::AuditEntryId,
    model::{AuditActor, AuditEntry, AuditPlace, AuditTarget, MAX_REQUEST_ID},
    repo::{AuditActorId, AuditFilter, AuditRepo, AuditScope},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::Store;
use crate::{
    entity::{affiliations, audit_entries as entries, communities, networks, service_accounts},
    error::db_err,
};

fn entry(m: entries::Model) -> DomainResult<AuditEntry> {
    let actor = match (m.actor_person_id, m.actor_service_account_id) {
        (Some(person), None) => AuditActor::Person {
            id: person.into(),
            platform_admin: m.as_platform_admin,
        },
        (None, Some(account)) => AuditActor::ServiceAccount(account.into()),
        _ => {
            return Err(DomainError::internal(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("audit entry {} has no single actor", m.id),
            )));
        }
    };
    Ok(AuditEntry {
        id: m.id.into(),
        at: m.at,
        request_id: m.request_id,
        actor,
        action: m.action,
        target: m
            .target_kind
            .zip(m.target_id)
            .map(|(kind, id)| AuditTarget { kind, id }),
        place: AuditPlace {
            network: m.network_id.map(Into::into),
            cluster: m.cluster_id.map(Into::into),
            community: m.community_id.map(Into::into),
            space: m.space_id.map(Into::into),
            organization: m.organization_id.map(Into::into),
        },
    })
}

/// Entries of what the organization's actors wrote, what was written in what it hosts, and
/// what was written to it.
fn of_organization(org: Uuid) -> Condition {
    let people = Query::select()
        .column(affiliations::Column::PersonId)
        .from(affiliations::Entity)
        .and_where(Expr::col(affiliations::Column::OrganizationId).eq(org))
        .take();
    let accounts = Query::select()
        .column(service_accounts::Column::Id)
        .from(service_accounts::Entity)
        .and_where(Expr::col(service_accounts::Column::OrganizationId).eq(org))
        .take();
    let hosted_communities = Query::select()
        .column(communities::Column::Id)
        .from(communities::Entity)
        .and_where(Expr::col(communities::Column::HostOrganizationId).eq(org))
        .take();
    let hosted_networks = Query::select()
        .column(networks::Column::Id)
        .from(networks::Entity)
        .and_where(Expr::col(networks::Column::HostOrganizationId).eq(org))
        .take();
    Condition::any()
        .add(entries::Column::OrganizationId.eq(org))
        .add(entries::Column::ActorPersonId.in_subquery(people))
        .add(entries::Column::ActorServiceAccountId.in_subquery(accounts))
        .add(entries::Column::CommunityId.in_subquery(hosted_communities))
        .add(entries::Column::NetworkId.in_subquery(hosted_networks))
}

#[async_trait]
impl AuditRepo for Store {
    async fn record(&self, e: &AuditEntry) -> DomainResult<()> {
        let (person, account, platform_admin) = match e.actor {
            AuditActor::Person { id, platform_admin } => (Some(id.uuid()), None, platform_admin),
            AuditActor::ServiceAccount(id) => (None, Some(id.uuid()), false),
        };
        let request_id: String = e.request_id.chars().take(MAX_REQUEST_ID).collect();
        entries::Entity::insert(entries::ActiveModel {
            id: Set(e.id.uuid()),
            at: Set(e.at),
            request_id: Set(request_id),
            actor_person_id: Set(person),
            actor_service_account_id: Set(account),
            as_platform_admin: Set(platform_admin),
            action: Set(e.action.clone()),
            target_kind: Set(e.target.as_ref().map(|t| t.kind.clone())),
            target_id: Set(e.target.as_ref().map(|t| t.id)),
            network_id: Set(e.place.network.map(|id| id.uuid())),
            cluster_id: Set(e.place.cluster.map(|id| id.uuid())),
            community_id: Set(e.place.community.map(|id| id.uuid())),
            space_id: Set(e.place.space.map(|id| id.uuid())),
            organization_id: Set(e.place.organization.map(|id| id.uuid())),
        })
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn page(
        &self,
        scope: AuditScope,
        filter: &AuditFilter,
        before: Option<AuditEntryId>,
        limit: u64,
    ) -> DomainResult<Vec<AuditEntry>> {
        let mut query = entries::Entity::find().filter(match scope {
            AuditScope::Community(id) => {
                Condition::all().add(entries::Column::CommunityId.eq(id.uuid()))
            }
            AuditScope::Organization(id) => of_organization(id.uuid()),
        });
        query = match filter.actor {
            Some(AuditActorId::Person(id)) => {
                query.filter(entries::Column::ActorPersonId.eq(id.uuid()))
            }
            Some(AuditActorId::ServiceAccount(id)) => {
                query.filter(entries::Column::ActorServiceAccountId.eq(id.uuid()))
            }
            None => query,
        };
        if let Some(action) = &filter.action {
            query = query.filter(entries::Column::Action.eq(action.as_str()));
        }
        if let Some(from) = filter.from {
            query = query.filter(entries::Column::At.gte(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(entries::Column::At.lt(to));
        }
        if let Some(before) = before {
            query = query.filter(entries::Column::Id.lt(before.uuid()));
        }
        query
            .order_by_desc(entries::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(entry)
            .collect()
    }
}
