use async_trait::async_trait;
use copnet_domain::{
    DomainError, DomainResult,
    ids::{AffiliationId, OrganizationId, PersonId},
    model::{Affiliation, OrgRole, Organization},
    repo::{LAST_ORG_ADMIN, OrganizationRepo},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

use super::{Store, convert, lock_row};
use crate::{
    entity::{affiliations, organizations},
    error::{db_err, unique_or},
};

const SLUG_TAKEN: &str = "an organization with this slug already exists";

fn affiliation_row(a: &Affiliation) -> affiliations::ActiveModel {
    affiliations::ActiveModel {
        id: Set(a.id.uuid()),
        person_id: Set(a.person_id.uuid()),
        organization_id: Set(a.organization_id.uuid()),
        role: Set(a.role.code().to_owned()),
        created_at: Set(a.created_at),
    }
}

/// Number of admins of `org` other than `person`.
async fn other_admins(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    person: PersonId,
) -> DomainResult<u64> {
    affiliations::Entity::find()
        .filter(affiliations::Column::OrganizationId.eq(org.uuid()))
        .filter(affiliations::Column::Role.eq(OrgRole::Admin.code()))
        .filter(affiliations::Column::PersonId.ne(person.uuid()))
        .count(db)
        .await
        .map_err(db_err)
}

async fn find_affiliation(
    db: &impl ConnectionTrait,
    org: OrganizationId,
    person: PersonId,
) -> DomainResult<Option<affiliations::Model>> {
    affiliations::Entity::find()
        .filter(affiliations::Column::OrganizationId.eq(org.uuid()))
        .filter(affiliations::Column::PersonId.eq(person.uuid()))
        .one(db)
        .await
        .map_err(db_err)
}

#[async_trait]
impl OrganizationRepo for Store {
    async fn by_ids(&self, ids: &[OrganizationId]) -> DomainResult<Vec<Organization>> {
        let rows = organizations::Entity::find()
            .filter(
                self.sql()
                    .one_of(organizations::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(convert::organization).collect())
    }

    async fn by_slugs(&self, slugs: &[String]) -> DomainResult<Vec<Organization>> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let rows = organizations::Entity::find()
            .filter(self.sql().one_of(
                organizations::Column::Slug.into_expr(),
                slugs.iter().cloned(),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(convert::organization).collect())
    }

    async fn create(&self, org: &Organization, admin: &Affiliation) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        organizations::Entity::insert(organizations::ActiveModel {
            id: Set(org.id.uuid()),
            slug: Set(org.slug.clone()),
            name: Set(org.name.clone()),
            created_at: Set(org.created_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(unique_or(SLUG_TAKEN))?;
        affiliations::Entity::insert(affiliation_row(admin))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    async fn affiliations_by_ids(&self, ids: &[AffiliationId]) -> DomainResult<Vec<Affiliation>> {
        affiliations::Entity::find()
            .filter(
                self.sql()
                    .one_of(affiliations::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::affiliation)
            .collect()
    }

    async fn affiliations_of(&self, people: &[PersonId]) -> DomainResult<Vec<Affiliation>> {
        affiliations::Entity::find()
            .filter(self.sql().one_of(
                affiliations::Column::PersonId.into_expr(),
                convert::uuids(people),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::affiliation)
            .collect()
    }

    async fn put_affiliation(&self, affiliation: &Affiliation) -> DomainResult<Affiliation> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let org = affiliation.organization_id;
        let person = affiliation.person_id;
        lock_row(&txn, "organizations", org.uuid()).await?;
        let stored = match find_affiliation(&txn, org, person).await? {
            None => {
                affiliations::Entity::insert(affiliation_row(affiliation))
                    .exec_without_returning(&txn)
                    .await
                    .map_err(unique_or("this person is already affiliated"))?;
                affiliation.clone()
            }
            Some(existing) => {
                let current = convert::affiliation(existing.clone())?;
                if current.role == OrgRole::Admin
                    && affiliation.role != OrgRole::Admin
                    && other_admins(&txn, org, person).await? == 0
                {
                    return Err(DomainError::conflict(LAST_ORG_ADMIN));
                }
                let mut row: affiliations::ActiveModel = existing.into();
                row.role = Set(affiliation.role.code().to_owned());
                row.update(&txn).await.map_err(db_err)?;
                Affiliation {
                    role: affiliation.role,
                    ..current
                }
            }
        };
        txn.commit().await.map_err(db_err)?;
        Ok(stored)
    }

    async fn remove_affiliation(
        &self,
        org: OrganizationId,
        person: PersonId,
    ) -> DomainResult<bool> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "organizations", org.uuid()).await?;
        let Some(existing) = find_affiliation(&txn, org, person).await? else {
            return Ok(false);
        };
        if existing.role == OrgRole::Admin.code() && other_admins(&txn, org, person).await? == 0 {
            return Err(DomainError::conflict(LAST_ORG_ADMIN));
        }
        affiliations::Entity::delete_by_id(existing.id)
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(true)
    }
}
