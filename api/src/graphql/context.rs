//! What every resolver of one request shares: the caller, its access set (loaded at most once,
//! and again after a write), the loaders (fresh after each write) and the services.
//!
//! The request context is the API's [`Lookup`]: the policy's chain reads rows through the
//! loaders, so concurrent resolvers share batches and every decision is the policy's.

use std::{
    hash::Hash,
    sync::{Arc, Mutex},
};

use async_graphql::{Context, dataloader::Loader};
use async_trait::async_trait;
use copnet_domain::{
    AccessSet, Actor, DomainError, DomainResult,
    ids::{
        AssetId, ClusterId, CommunityId, EventId, NetworkId, PersonId, PostId, SpaceId, ThreadId,
        TopicId,
    },
    model::{Asset, Cluster, Community, Convening, Network, Person, Post, Space, Thread, Topic},
    policy::{chain::Lookup, filter::PersonFilter},
    repo::Repos,
    service::Services,
};

use super::{
    audit::{self, Audited},
    batches::Batches,
    loaders::{Fetcher, Loaders, VisiblePerson, loaders},
    rate::{Budget, Drawn},
};
use crate::error::{ApiError, ApiResult};

/// Per-request state, stored in the request's data.
pub struct RequestContext {
    actor: Actor,
    /// The request's id (`x-request-id`), as the audit log records it.
    request_id: Arc<str>,
    /// The rate-limit bucket it draws on, when its kind of caller is limited.
    budget: Option<Budget>,
    /// Its draw.
    drawn: Drawn,
    services: Services,
    repos: Repos,
    /// The access set once loaded (read without waiting: every field asks for it).
    access: Mutex<Option<Arc<AccessSet>>>,
    /// Held while the access set loads, so that it loads once.
    loading_access: tokio::sync::Mutex<()>,
    loaders: Mutex<Arc<Loaders>>,
    batches: Batches,
}

impl RequestContext {
    /// The context of a request by `actor`; `repos` feed its loaders only.
    pub fn new(
        actor: Actor,
        request_id: Arc<str>,
        budget: Option<Budget>,
        services: Services,
        repos: Repos,
    ) -> Self {
        let batches = Batches::default();
        let loaders = loaders(repos.clone(), actor.person_id(), batches.clone());
        Self {
            actor,
            request_id,
            budget,
            drawn: Drawn::default(),
            services,
            repos,
            access: Mutex::new(None),
            loading_access: tokio::sync::Mutex::new(()),
            loaders: Mutex::new(Arc::new(loaders)),
            batches,
        }
    }

    /// The queue of the loaders' batches: the transport drives the request's future (or
    /// stream) with it.
    pub fn batches(&self) -> &Batches {
        &self.batches
    }

    /// The caller.
    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// Its rate-limit bucket.
    pub fn budget(&self) -> Option<&Budget> {
        self.budget.as_ref()
    }

    /// Its rate-limit draw.
    pub fn drawn(&self) -> &Drawn {
        &self.drawn
    }

    /// The request's id.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The write services.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The caller's access set, loaded on first use.
    pub async fn access(&self) -> ApiResult<Arc<AccessSet>> {
        if let Some(access) = self.loaded_access() {
            return Ok(access);
        }
        let _loading = self.loading_access.lock().await;
        if let Some(access) = self.loaded_access() {
            return Ok(access);
        }
        let access = Arc::new(self.services.access_of(self.actor).await?);
        *self.access.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&access));
        Ok(access)
    }

    fn loaded_access(&self) -> Option<Arc<AccessSet>> {
        self.access
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(Arc::clone)
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
        let _loading = self.loading_access.lock().await;
        *self.access.lock().unwrap_or_else(|p| p.into_inner()) = None;
        let fresh = Arc::new(loaders(
            self.repos.clone(),
            self.actor.person_id(),
            self.batches.clone(),
        ));
        *self.loaders.lock().unwrap_or_else(|p| p.into_inner()) = fresh;
    }

    async fn rows<K>(&self, ids: &[K]) -> DomainResult<Vec<<Fetcher as Loader<K>>::Value>>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        Fetcher: Loader<K, Error = Arc<DomainError>>,
    {
        let found = self
            .loaders()
            .load_many(ids.iter().cloned())
            .await
            .map_err(unshare)?;
        Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
    }
}

/// A loader's shared error, owned again.
fn unshare(err: Arc<DomainError>) -> DomainError {
    Arc::try_unwrap(err).unwrap_or_else(|shared| match &*shared {
        DomainError::Unavailable(detail) => DomainError::Unavailable(detail.clone()),
        _ => DomainError::Internal(Box::new(shared)),
    })
}

#[async_trait]
impl Lookup for RequestContext {
    async fn networks(&self, ids: &[NetworkId]) -> DomainResult<Vec<Arc<Network>>> {
        self.rows(ids).await
    }

    async fn clusters(&self, ids: &[ClusterId]) -> DomainResult<Vec<Arc<Cluster>>> {
        self.rows(ids).await
    }

    async fn communities(&self, ids: &[CommunityId]) -> DomainResult<Vec<Arc<Community>>> {
        self.rows(ids).await
    }

    async fn spaces(&self, ids: &[SpaceId]) -> DomainResult<Vec<Arc<Space>>> {
        self.rows(ids).await
    }

    async fn threads(&self, ids: &[ThreadId]) -> DomainResult<Vec<Arc<Thread>>> {
        self.rows(ids).await
    }

    async fn posts(&self, ids: &[PostId]) -> DomainResult<Vec<Arc<Post>>> {
        self.rows(ids).await
    }

    async fn events(&self, ids: &[EventId]) -> DomainResult<Vec<Arc<Convening>>> {
        self.rows(ids).await
    }

    async fn assets(&self, ids: &[AssetId]) -> DomainResult<Vec<Arc<Asset>>> {
        self.rows(ids).await
    }

    async fn topics(&self, ids: &[TopicId]) -> DomainResult<Vec<Arc<Topic>>> {
        self.rows(ids).await
    }

    async fn people(&self, ids: &[PersonId]) -> DomainResult<Vec<Arc<Person>>> {
        self.rows(ids).await
    }

    async fn visible_people(
        &self,
        ids: &[PersonId],
        filter: &PersonFilter,
    ) -> DomainResult<Vec<PersonId>> {
        let keys: Vec<VisiblePerson> = ids
            .iter()
            .map(|id| VisiblePerson {
                person: *id,
                filter: filter.clone(),
            })
            .collect();
        let found = self
            .loaders()
            .load_many(keys.iter().cloned())
            .await
            .map_err(unshare)?;
        Ok(keys
            .iter()
            .filter(|k| found.get(k).copied().unwrap_or(false))
            .map(|k| k.person)
            .collect())
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

/// The request context and the caller's access set, for asking the policy's chain, as in
/// `let (rc, a) = caller(ctx).await?; chain::space(rc, &a, id).await?`.
pub async fn caller<'a>(ctx: &Context<'a>) -> ApiResult<(&'a RequestContext, Arc<AccessSet>)> {
    let rc = request(ctx)?;
    Ok((rc, rc.access().await?))
}

/// Runs a write service, then forgets cached rows and access, and records the write in the
/// audit log under the mutation's name.
pub async fn write<T, F>(ctx: &Context<'_>, run: F) -> ApiResult<T>
where
    T: Audited,
    F: AsyncFnOnce(&Services, &AccessSet) -> Result<T, DomainError>,
{
    audited_write(ctx, run, Audited::written).await
}

/// [`write`] for a service whose result does not say what it changed: `written` does.
pub async fn write_at<T, F>(ctx: &Context<'_>, written: audit::Written, run: F) -> ApiResult<T>
where
    F: AsyncFnOnce(&Services, &AccessSet) -> Result<T, DomainError>,
{
    audited_write(ctx, run, move |_| written).await
}

async fn audited_write<T, F, W>(ctx: &Context<'_>, run: F, written: W) -> ApiResult<T>
where
    F: AsyncFnOnce(&Services, &AccessSet) -> Result<T, DomainError>,
    W: FnOnce(&T) -> audit::Written,
{
    let rc = request(ctx)?;
    let access = rc.access().await?;
    let result = run(rc.services(), &access).await;
    rc.after_write().await;
    let value = result?;
    audit::record(rc, ctx.field().name(), written(&value)).await;
    Ok(value)
}
