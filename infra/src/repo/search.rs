//! The search repository: two statements, the page and the counts, both carrying the
//! caller's rights.

use async_trait::async_trait;
use copnet_domain::{
    error::{DomainError, DomainResult},
    repo::SearchRepo,
    search::{SearchHit, SearchKind, SearchRequest, SearchResults, SearchScope},
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::Store;
use crate::{
    error::{bad_code, db_err},
    search::{
        analyze::{Language, Parsed},
        query, snippet,
    },
};

#[async_trait]
impl SearchRepo for Store {
    async fn search(
        &self,
        scope: &SearchScope,
        request: &SearchRequest,
    ) -> DomainResult<SearchResults> {
        let parsed = Parsed::new(&request.query)
            .ok_or_else(|| DomainError::invalid("query", "must hold a word"))?;
        let d = self.sql();
        let mut counts = Vec::new();
        for row in self
            .db
            .query_all(&query::counts(d, scope, request, &parsed))
            .await
            .map_err(db_err)?
        {
            let code: String = row.try_get("", "kind").map_err(db_err)?;
            let n: i64 = row.try_get("", "n").map_err(db_err)?;
            let kind = SearchKind::from_code(&code).ok_or_else(|| bad_code("kind", &code))?;
            counts.push((kind, u64::try_from(n).unwrap_or_default()));
        }
        counts.sort();
        let total: u64 = counts.iter().map(|(_, n)| n).sum();
        let mut hits = Vec::new();
        if total > u64::from(request.offset) {
            for row in self
                .db
                .query_all(&query::hits(d, scope, request, &parsed))
                .await
                .map_err(db_err)?
            {
                let code: String = row.try_get("", "kind").map_err(db_err)?;
                let id: Uuid = row.try_get("", "item_id").map_err(db_err)?;
                let language: String = row.try_get("", "language").map_err(db_err)?;
                let title: String = row.try_get("", "title").map_err(db_err)?;
                let body: String = row.try_get("", "body").map_err(db_err)?;
                let rank: f64 = match row.try_get::<f64>("", "rank") {
                    Ok(r) => r,
                    Err(_) => f64::from(row.try_get::<f32>("", "rank").map_err(db_err)?),
                };
                hits.push(SearchHit {
                    kind: SearchKind::from_code(&code).ok_or_else(|| bad_code("kind", &code))?,
                    id,
                    rank,
                    snippet: snippet::snippet(
                        &parsed,
                        Language::from_code(&language),
                        &title,
                        &body,
                    ),
                });
            }
        }
        Ok(SearchResults { hits, counts })
    }
}
