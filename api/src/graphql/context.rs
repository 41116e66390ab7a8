//! What every resolver of one request shares: the caller, its access set (loaded at most once,
//! and again after a write), the loaders (fresh after each write) and the services.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex},
};

use async_graphql::{Context, dataloader::Loader};
use copnet_domain::{AccessSet, Actor, DomainError, service::Services};

use super::loaders::{Fetcher, Loaders, loaders};
use crate::error::{ApiError, ApiResult};

/// Per-request state, stored in the request's data.
pub struct RequestContext {
    actor: Actor,
    services: Services,
    access: tokio::sync::Mutex<Option<Arc<AccessSet>>>,
    loaders: Mutex<Arc<Loaders>>,
}

impl RequestContext {
    /// The context of a request by `actor`.
    pub fn new(actor: Actor, services: Services) -> Self {
        let loaders = loaders(services.repos().clone(), actor.person_id());
        Self {
            actor,
            services,
            access: tokio::sync::Mutex::new(None),
            loaders: Mutex::new(Arc::new(loaders)),
        }
    }

    /// The caller.
    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// The write services.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The caller's access set, loaded on first use.
    pub async fn access(&self) -> ApiResult<Arc<AccessSet>> {
        let mut slot = self.access.lock().await;
        if let Some(access) = slot.as_ref() {
            return Ok(Arc::clone(access));
        }
        let access = Arc::new(match self.actor {
            Actor::Anonymous => AccessSet::anonymous(),
            Actor::Person { id, platform_admin } => {
                self.services
                    .repos()
                    .access
                    .load(id, platform_admin)
                    .await?
            }
            Actor::ServiceAccount { id } => {
                let repos = self.services.repos();
                let account = repos
                    .service_accounts
                    .by_ids(&[id])
                    .await?
                    .into_iter()
                    .next();
                match account {
                    Some(account) => repos.access.load_service_account(&account).await?,
                    None => AccessSet::anonymous(),
                }
            }
        });
        *slot = Some(Arc::clone(&access));
        Ok(access)
    }

    /// The request's loaders.
    pub fn loaders(&self) -> Arc<Loaders> {
        let guard = self.loaders.lock().unwrap_or_else(|p| p.into_inner());
        Arc::clone(&guard)
    }

    /// Loads one row by key through the loaders.
    pub async fn load<K>(&self, key: K) -> ApiResult<Option<<Fetcher as Loader<K>>::Value>>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Fetcher: Loader<K, Error = Arc<DomainError>>,
    {
        Ok(self.loaders().load_one(key).await?)
    }

    /// Forgets what a write may have changed: the access set and every cached row.
    pub async fn after_write(&self) {
        *self.access.lock().await = None;
        let fresh = Arc::new(loaders(
            self.services.repos().clone(),
            self.actor.person_id(),
        ));
        *self.loaders.lock().unwrap_or_else(|p| p.into_inner()) = fresh;
    }
}

/// The request context of a resolver (shared, so that subscription streams can hold it).
pub fn request<'a>(ctx: &Context<'a>) -> ApiResult<&'a Arc<RequestContext>> {
    ctx.data::<Arc<RequestContext>>()
        .map_err(|e| ApiError::internal(&e.message))
}

/// The caller's access set.
pub async fn access(ctx: &Context<'_>) -> ApiResult<Arc<AccessSet>> {
    request(ctx)?.access().await
}

/// Loads one row by key.
pub async fn load<K>(ctx: &Context<'_>, key: K) -> ApiResult<Option<<Fetcher as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Fetcher: Loader<K, Error = Arc<DomainError>>,
{
    request(ctx)?.load(key).await
}

/// Loads rows by keys.
pub async fn load_many<K>(
    ctx: &Context<'_>,
    keys: impl IntoIterator<Item = K>,
) -> ApiResult<HashMap<K, <Fetcher as Loader<K>>::Value>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Fetcher: Loader<K, Error = Arc<DomainError>>,
{
    Ok(request(ctx)?.loaders().load_many(keys).await?)
}

/// Runs a write service, then forgets cached rows and access.
pub async fn write<T, F>(ctx: &Context<'_>, run: F) -> ApiResult<T>
where
    F: AsyncFnOnce(&Services, &AccessSet) -> Result<T, DomainError>,
{
    let rc = request(ctx)?;
    let access = rc.access().await?;
    let result = run(rc.services(), &access).await;
    rc.after_write().await;
    Ok(result?)
}
