use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::DomainResult,
    ids::AuditEntryId,
    model::AuditEntry,
    policy::{
        audit,
        chain::Lookup,
        proof::{Administering, Managing},
    },
    repo::{AuditFilter, AuditScope},
};

/// Rows read per step of a scan for visible entries.
const SCAN_BATCH: u64 = 100;
/// Steps of one page's scan: a page reads at most this many batches.
const SCAN_STEPS: usize = 5;

/// A page of an audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditPage {
    /// The entries the reader may see, newest first.
    pub entries: Vec<AuditEntry>,
    /// Whether older entries may follow.
    pub has_next_page: bool,
    /// Where the next page starts (the last entry read, shown or not).
    pub end: Option<AuditEntryId>,
}

impl Services {
    /// Appends a write to the audit log (after its commit).
    #[instrument(skip_all)]
    pub async fn record_write(&self, entry: &AuditEntry) -> DomainResult<()> {
        self.repos.audit.record(entry).await
    }

    /// A page of a community's log, for its managers.
    pub async fn community_audit_log(
        &self,
        lookup: &dyn Lookup,
        access: &AccessSet,
        managing: &Managing,
        filter: &AuditFilter,
        after: Option<AuditEntryId>,
        first: usize,
    ) -> DomainResult<AuditPage> {
        let scope = AuditScope::Community(managing.community().id);
        self.audit_page(lookup, access, scope, filter, after, first)
            .await
    }

    /// A page of an organization's log, for its admins.
    pub async fn organization_audit_log(
        &self,
        lookup: &dyn Lookup,
        access: &AccessSet,
        administering: &Administering,
        filter: &AuditFilter,
        after: Option<AuditEntryId>,
        first: usize,
    ) -> DomainResult<AuditPage> {
        let scope = AuditScope::Organization(administering.id());
        self.audit_page(lookup, access, scope, filter, after, first)
            .await
    }

    /// Reads the scope's entries newest first, keeping those the reader may see, until the
    /// page is full, the log ends, or the scan's budget is spent (then the page may be short
    /// and `has_next_page` is true: the next page goes on from where this one stopped).
    #[instrument(skip_all)]
    async fn audit_page(
        &self,
        lookup: &dyn Lookup,
        access: &AccessSet,
        scope: AuditScope,
        filter: &AuditFilter,
        after: Option<AuditEntryId>,
        first: usize,
    ) -> DomainResult<AuditPage> {
        let mut page = AuditPage {
            end: after,
            ..AuditPage::default()
        };
        for _ in 0..SCAN_STEPS {
            let rows = self
                .repos
                .audit
                .page(scope, filter, page.end, SCAN_BATCH)
                .await?;
            let exhausted = (rows.len() as u64) < SCAN_BATCH;
            audit::prefetch(lookup, &rows).await?;
            for row in rows {
                if audit::visible(lookup, access, &row).await? {
                    if page.entries.len() == first {
                        page.has_next_page = true;
                        return Ok(page);
                    }
                    page.end = Some(row.id);
                    page.entries.push(row);
                } else {
                    page.end = Some(row.id);
                }
            }
            if exhausted {
                return Ok(page);
            }
        }
        page.has_next_page = true;
        Ok(page)
    }
}
