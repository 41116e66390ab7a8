use async_trait::async_trait;
use chrono::Utc;
use copnet_domain::{
    DomainResult,
    ids::{NetworkId, PersonId},
    model::{MembershipStatus, Person},
    policy::filter::PersonFilter,
    repo::PersonRepo,
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait, JoinType, OnConflict, Query},
};
use uuid::Uuid;

use super::{Store, convert};
use crate::{
    entity::{network_stewards, people},
    error::db_err,
    listing::person_visible_among,
};

#[async_trait]
impl PersonRepo for Store {
    async fn by_ids(&self, ids: &[PersonId]) -> DomainResult<Vec<Person>> {
        let rows = people::Entity::find()
            .filter(
                self.sql()
                    .one_of(people::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(convert::person).collect())
    }

    async fn provision(
        &self,
        subject: &str,
        name: &str,
        email: Option<&str>,
    ) -> DomainResult<Person> {
        let find = || {
            people::Entity::find()
                .filter(people::Column::Subject.eq(subject))
                .one(&self.db)
        };
        if let Some(row) = find().await.map_err(db_err)? {
            if row.display_name == name && row.email.as_deref() == email {
                return Ok(convert::person(row));
            }
            let txn = self.db.begin().await.map_err(db_err)?;
            let mut changed: people::ActiveModel = row.into();
            changed.display_name = Set(name.to_owned());
            changed.email = Set(email.map(str::to_owned));
            let person = changed.update(&txn).await.map_err(db_err)?;
            crate::search::index::put_person(&txn, person.id).await?;
            txn.commit().await.map_err(db_err)?;
            return Ok(convert::person(person));
        }
        // Two first requests of the same subject may race: the loser's insert does nothing.
        people::Entity::insert(people::ActiveModel {
            id: Set(Uuid::now_v7()),
            subject: Set(subject.to_owned()),
            display_name: Set(name.to_owned()),
            email: Set(email.map(str::to_owned)),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(people::Column::Subject)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        let person = find()
            .await
            .map_err(db_err)?
            .ok_or(copnet_domain::DomainError::NotFound("person"))?;
        crate::search::index::put_person(&self.db, person.id).await?;
        Ok(convert::person(person))
    }

    async fn visible_subset(
        &self,
        ids: &[PersonId],
        filter: &PersonFilter,
    ) -> DomainResult<Vec<PersonId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = convert::uuids(ids);
        let select = Query::select()
            .column(("p", "id"))
            .from_as("people", "p")
            .and_where(
                self.sql()
                    .one_of(Expr::col(("p", "id")), ids.iter().copied()),
            )
            .cond_where(person_visible_among(self.sql(), "p", filter, &ids))
            .take();
        let rows = self.db.query_all(&select).await.map_err(db_err)?;
        rows.iter()
            .map(|r| {
                r.try_get::<Uuid>("", "id")
                    .map(PersonId::from)
                    .map_err(db_err)
            })
            .collect()
    }

    async fn is_network_member(&self, person: PersonId, network: NetworkId) -> DomainResult<bool> {
        let steward = network_stewards::Entity::find()
            .filter(network_stewards::Column::PersonId.eq(person.uuid()))
            .filter(network_stewards::Column::NetworkId.eq(network.uuid()))
            .one(&self.db)
            .await
            .map_err(db_err)?;
        if steward.is_some() {
            return Ok(true);
        }
        let member = Query::select()
            .expr(Expr::val(1))
            .from_as("memberships", "m")
            .join_as(
                JoinType::InnerJoin,
                "communities",
                "c",
                Expr::col(("c", "id")).equals(("m", "community_id")),
            )
            .and_where(Expr::col(("m", "person_id")).eq(person.uuid()))
            .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()))
            .and_where(Expr::col(("c", "network_id")).eq(network.uuid()))
            .limit(1)
            .take();
        Ok(self.db.query_one(&member).await.map_err(db_err)?.is_some())
    }
}
