//! Full-text search over what the caller may read.

use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::DomainResult,
    search::{SearchRequest, SearchResults, SearchScope},
};

impl Services {
    /// Searches communities, spaces, threads, posts, assets, events and people. A network or
    /// community to search within must be visible to the caller (else `NOT_FOUND`); every
    /// hit and count is filtered by the caller's rights in the statement.
    #[instrument(skip_all)]
    pub async fn search(
        &self,
        access: &AccessSet,
        request: &SearchRequest,
    ) -> DomainResult<SearchResults> {
        if let Some(id) = request.network {
            self.network(access, id).await?;
        }
        if let Some(id) = request.community {
            self.community(access, id).await?;
        }
        self.repos
            .search
            .search(&SearchScope::for_access(access), request)
            .await
    }
}
