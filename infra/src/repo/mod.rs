//! The repositories: one [`Store`] over a connection pool implements every repository trait
//! of the domain, one file per trait. Rows become domain values in [`convert`].

mod access;
mod asset;
mod audit;
mod charter;
mod community;
mod convert;
mod discussion;
mod event;
mod indicator;
mod knowledge;
pub(crate) use convert::uuids;
mod listing;
mod membership;
mod network;
mod onboarding;
mod organization;
mod participation;
mod persisted;
mod person;
mod replay;
mod search;
mod service_account;
mod space;
mod stakeholder;

use std::sync::Arc;

use copnet_domain::repo::Repos;
use sea_orm::DatabaseConnection;

use crate::db::Database;

/// The SQL store.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
}

impl Store {
    /// A store over the database's pool.
    pub fn new(database: &Database) -> Self {
        Self {
            db: database.conn().clone(),
        }
    }

    /// The database the statements are built for.
    pub(crate) fn sql(&self) -> crate::sql::Dialect {
        crate::sql::Dialect(sea_orm::ConnectionTrait::get_database_backend(&self.db))
    }

    /// Every repository of the domain, backed by this store.
    pub fn repos(self) -> Repos {
        let store = Arc::new(self);
        Repos {
            organizations: store.clone(),
            people: store.clone(),
            networks: store.clone(),
            communities: store.clone(),
            memberships: store.clone(),
            spaces: store.clone(),
            service_accounts: store.clone(),
            audit: store.clone(),
            persisted: store.clone(),
            discussions: store.clone(),
            replay: store.clone(),
            access: store.clone(),
            charters: store.clone(),
            events: store.clone(),
            stakeholders: store.clone(),
            assets: store.clone(),
            onboarding: store.clone(),
            knowledge: store.clone(),
            participation: store.clone(),
            indicators: store.clone(),
            search: store.clone(),
            listings: store,
            cache: Arc::new(copnet_domain::cache::NoCache::default()),
        }
    }
}

/// Locks one row until the transaction ends, so that invariant checks that read then write
/// ("keep at least one manager") cannot interleave. PostgreSQL takes a row lock; SQLite
/// needs none, as its single connection already serializes writers.
async fn lock_row(
    txn: &impl sea_orm::ConnectionTrait,
    table: &'static str,
    id: uuid::Uuid,
) -> copnet_domain::DomainResult<()> {
    use sea_orm::sea_query::{Expr, ExprTrait, LockType, Query};
    if txn.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    let stmt = Query::select()
        .column("id")
        .from(table)
        .and_where(Expr::col("id").eq(id))
        .lock(LockType::Update)
        .take();
    txn.query_one(&stmt).await.map_err(crate::error::db_err)?;
    Ok(())
}
