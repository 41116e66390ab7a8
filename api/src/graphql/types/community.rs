use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::CommunityId,
    listing::Scoped,
    model::{self, MembershipStatus},
    policy::{
        chain,
        proof::{self, Managing, Visible},
        write,
    },
    values::Slug,
};
use uuid::Uuid;

use super::{
    Charter, CharterConnection, EventOccurrenceConnection, FeedbackConnection, FeedbackSummary,
    InvitationConnection, JoinRequestConnection, LearningNetwork, Membership, MembershipConnection,
    Organization, OrganizationConnection, RegionalClusterConnection, Space, SpaceConnection,
    StageChangeConnection, StakeholderConnection,
    audit::{AuditEntryConnection, AuditLogFilter, audit_page_args},
    event, page_args,
};
use crate::{
    error::{ApiError, ApiResult, Code},
    graphql::{
        connection::{Admit, ConnectionData, Under, connection, cost, rows},
        context::{RequestContext, access, load, request},
        enums::{
            CommunityRole, CommunityStage, InvitationStatus, JoinPolicy, JoinRequestStatus,
            Visibility,
        },
        ids::{Kind, encode},
        loaders::{CountKey, LatestCharter, SpaceSlug, StepsOf, SummaryOf, ViewerMembership},
    },
};

/// The `Community` object; see its GraphQL description.
#[derive(Clone)]
pub struct Community(pub Visible<model::Community>);
connection!(
    /// A page of communities.
    CommunityConnection, CommunityEdge, Community
);

impl Admit for Community {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let network = match under {
            Under::Network(n) => Some(n),
            Under::Cluster(k) => Some(k.network()),
            _ => None,
        };
        let mut out = Vec::with_capacity(ids.len());
        for row in rows::<CommunityId, model::Community>(rc, ids).await? {
            let seen = match (row, network) {
                (Some(c), Some(n)) => proof::see_community(access, n, c),
                (Some(c), None) => chain::community_row(rc, access, c).await?,
                (None, _) => None,
            };
            out.push(seen.map(Self));
        }
        Ok(out)
    }
}

/// What the caller may do with a community; each answers whether the mutation named would
/// succeed, decided by the same policy function.
#[derive(SimpleObject)]
pub struct ViewerCan {
    /// `joinCommunity` would succeed (`OPEN`, allowed organization, not yet a member, not
    /// archived).
    pub join: bool,
    /// `requestToJoin` would succeed (`APPROVAL`, allowed organization, no pending request).
    pub request_to_join: bool,
    /// The caller is a member and the community accepts writes.
    pub post: bool,
    /// `updateCommunity` would succeed: the caller is a `MANAGER` and the community accepts
    /// writes.
    pub manage: bool,
}

impl Community {
    fn managing(&self, access: &AccessSet, what: &str) -> ApiResult<Managing> {
        proof::managing(access, &self.0).ok_or_else(|| {
            ApiError::new(
                Code::Forbidden,
                format!("only a MANAGER of this community may list its {what}"),
            )
        })
    }
}

/// A Community of Practice. It belongs to one network and is visible only where the network
/// is: `PUBLIC` to all who see the network, `NETWORK` to network members, `PRIVATE` to its
/// members. Only members write in it; only a `MANAGER` changes its settings, roles, spaces and
/// join decisions. `ARCHIVED` communities stay readable and accept no writes.
#[Object]
impl Community {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Community, self.0.id)
    }

    /// Handle, unique in its network.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Free text about the community.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Who may see it.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }

    /// How people join.
    async fn join_policy(&self) -> JoinPolicy {
        self.0.join_policy.into()
    }

    /// Lifecycle stage.
    async fn stage(&self) -> CommunityStage {
        self.0.stage.into()
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When its settings last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The network it belongs to.
    async fn network(&self) -> LearningNetwork {
        LearningNetwork(self.0.network().clone())
    }

    /// The hosting organization, if any.
    async fn host_organization(&self, ctx: &Context<'_>) -> ApiResult<Option<Organization>> {
        match self.0.host_organization_id {
            Some(id) => Ok(load(ctx, id).await?.map(Organization)),
            None => Ok(None),
        }
    }

    /// The regional clusters it is in.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn clusters(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<RegionalClusterConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_clusters(&self.0);
        let under = Under::Community(self.0.clone());
        Ok(RegionalClusterConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// The organization allow-list: when not empty, only people affiliated with one of these
    /// may join.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn allowed_organizations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<OrganizationConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_allowed_organizations(&self.0);
        Ok(OrganizationConnection(
            ConnectionData::fetch(ctx, scoped, Under::Organization, &args).await?,
        ))
    }

    /// Its spaces that the caller may see: `PUBLIC` ones, and for members all of them
    /// (a `PRIVATE` space's content stays with its readers: see `Space.viewerCanRead`).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn spaces(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<SpaceConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_spaces(&*access(ctx).await?, &self.0);
        let under = Under::Community(self.0.clone());
        Ok(SpaceConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// The space with this slug; `NOT_FOUND` when there is none or the caller may not see it.
    async fn space(&self, ctx: &Context<'_>, slug: String) -> ApiResult<Option<Space>> {
        let slug = Slug::parse("slug", &slug)?.into_inner();
        let found = load(ctx, SpaceSlug(self.0.id, slug)).await?;
        let access = access(ctx).await?;
        found
            .and_then(|s| proof::see_space(&access, &self.0, s))
            .map(|s| Some(Space(s)))
            .ok_or_else(|| ApiError::not_found("space"))
    }

    /// Active members, optionally only those holding a role.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only members holding this role.")] role: Option<CommunityRole>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MembershipConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_members(&self.0, role.map(Into::into));
        let under = Under::Community(self.0.clone());
        Ok(MembershipConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Number of active members.
    async fn member_count(&self, ctx: &Context<'_>) -> ApiResult<u64> {
        let key = CountKey(Scoped::community_members(&self.0, None));
        Ok(load(ctx, key).await?.unwrap_or(0))
    }

    /// The caller's active membership; null when not a member.
    async fn viewer_membership(&self, ctx: &Context<'_>) -> ApiResult<Option<Membership>> {
        if !access(ctx).await?.is_member(self.0.id) {
            return Ok(None);
        }
        Ok(load(ctx, ViewerMembership(self.0.id))
            .await?
            .filter(|m| m.status == MembershipStatus::Active)
            .map(|m| Membership::new(m, Some(self.0.clone()))))
    }

    /// What the caller may do here.
    async fn viewer_can(&self, ctx: &Context<'_>) -> ApiResult<ViewerCan> {
        let abilities = write::community_abilities(&*access(ctx).await?, &self.0);
        Ok(ViewerCan {
            join: abilities.join,
            request_to_join: abilities.request_to_join,
            post: abilities.post,
            manage: abilities.manage,
        })
    }

    /// How the community is doing now: figures over all its spaces, shown to whoever may see
    /// the community (rule 7: computed at a level the caller sees; no item is named).
    async fn health(&self, ctx: &Context<'_>) -> ApiResult<super::health::Health> {
        super::health::of_community(ctx, &self.0).await
    }

    /// Its success indicators, oldest first (at most 50), for whoever sees the community.
    async fn indicators(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::indicator::Indicator>> {
        super::indicator::of(ctx, model::IndicatorScope::Community(self.0.id)).await
    }

    /// How many current members are in each participation circle now. For its members
    /// only; null for others.
    async fn circles(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<super::participation::CircleCounts>> {
        super::participation::counts_of(ctx, &self.0).await
    }

    /// Its circle settings (set with `setCircleSettings`): the window and thresholds that
    /// decide `Membership.circle`.
    async fn circle_settings(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<super::participation::CircleSettings> {
        super::participation::settings_of(ctx, &self.0).await
    }

    /// Its onboarding journey, in order (set with `setOnboardingSteps`). For those who read
    /// it as members; null for others.
    async fn onboarding_steps(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<Vec<super::onboarding::OnboardingStep>>> {
        if !access(ctx).await?.reads_community(self.0.id) {
            return Ok(None);
        }
        let steps = load(ctx, StepsOf(self.0.id)).await?.unwrap_or_default();
        Ok(Some(steps.iter().map(Into::into).collect()))
    }

    /// Active members who joined more than `olderThanDays` days ago and have not finished
    /// the onboarding journey, oldest membership first: who to reach out to. Managers only
    /// (`FORBIDDEN` for others); empty when the community has no journey.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn onboarding_stuck(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only members who joined more than this many days ago, 0..3650 (default 14)."
        )]
        older_than_days: Option<i32>,
        #[graphql(desc = "Page size reading forward, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
        #[graphql(desc = "Page size reading backward, 1..100.")] last: Option<i32>,
        #[graphql(desc = "Cursor to read before.")] before: Option<String>,
    ) -> ApiResult<MembershipConnection> {
        let managing = self.managing(&*access(ctx).await?, "members stuck in onboarding")?;
        let days = older_than_days.unwrap_or(14);
        if !(0..=3650).contains(&days) {
            return Err(ApiError::bad_input("olderThanDays", "must be 0 to 3650"));
        }
        let steps = load(ctx, StepsOf(self.0.id)).await?.unwrap_or_default();
        let now = Utc::now();
        let joined_before = now - chrono::Duration::days(i64::from(days));
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_onboarding_stuck(&managing, &steps, joined_before, now);
        let under = Under::Community(self.0.clone());
        Ok(MembershipConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Requests to join. Managers only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn join_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only requests in this status.")] status: Option<JoinRequestStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<JoinRequestConnection> {
        let managing = self.managing(&*access(ctx).await?, "join requests")?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_join_requests(&managing, status.map(Into::into));
        Ok(JoinRequestConnection(
            ConnectionData::fetch(ctx, scoped, Under::Managing(managing), &args).await?,
        ))
    }

    /// Its audit log, newest first: every write made in the community, its spaces and their
    /// content. Managers only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, None, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(desc = "Narrows the log.")] filter: Option<AuditLogFilter>,
    ) -> ApiResult<AuditEntryConnection> {
        let access = access(ctx).await?;
        let managing = self.managing(&access, "audit log")?;
        let (first, after) = audit_page_args(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().into_filter()?;
        let rc = request(ctx)?;
        let page = rc
            .services()
            .community_audit_log(&**rc, &access, &managing, &filter, after, first)
            .await?;
        Ok(AuditEntryConnection(page, after.is_some()))
    }

    /// Invitations sent. Managers only (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only invitations in this status.")] status: Option<InvitationStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<InvitationConnection> {
        let managing = self.managing(&*access(ctx).await?, "invitations")?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_invitations(&managing, status.map(Into::into));
        Ok(InvitationConnection(
            ConnectionData::fetch(ctx, scoped, Under::Managing(managing), &args).await?,
        ))
    }

    /// The latest revision of the charter; null until a manager writes one.
    async fn charter(&self, ctx: &Context<'_>) -> ApiResult<Option<Charter>> {
        Ok(load(ctx, LatestCharter(self.0.id)).await?.map(Charter))
    }

    /// Every revision of the charter, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn charter_revisions(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<CharterConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_charter_revisions(&self.0);
        let under = Under::Community(self.0.clone());
        Ok(CharterConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Each change of its lifecycle stage, with who and when, newest first.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn stage_history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<StageChangeConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_stage_history(&self.0);
        let under = Under::Community(self.0.clone());
        Ok(StageChangeConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Occurrences overlapping `[from, to)` of the community's own events and of the events
    /// of the spaces the caller reads, in start order.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Window start (default: now).")] from: Option<DateTime<Utc>>,
        #[graphql(desc = "Window end, exclusive (default: 90 days after `from`; at most 366).")]
        to: Option<DateTime<Utc>>,
        #[graphql(desc = "Page size, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
    ) -> ApiResult<EventOccurrenceConnection> {
        let (from, to) = event::window(from, to)?;
        let events = event::of_community(ctx, &self.0, from, to).await?;
        event::occurrence_page(&events, from, to, first, after.as_deref())
    }

    /// Its knowledge assets in the spaces the caller reads, newest first: `PUBLISHED` and
    /// `RETIRED` ones, and the drafts and reviews the caller follows.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn assets(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrowing by kind, tag and status.")] filter: Option<
            super::asset::AssetFilterInput,
        >,
        #[graphql(desc = "Page size reading forward, 1..100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor to read after.")] after: Option<String>,
        #[graphql(desc = "Page size reading backward, 1..100.")] last: Option<i32>,
        #[graphql(desc = "Cursor to read before.")] before: Option<String>,
    ) -> ApiResult<super::AssetConnection> {
        let filter = filter.unwrap_or_default().into_domain()?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_assets(&*access(ctx).await?, &self.0, filter);
        let under = Under::Community(self.0.clone());
        Ok(super::AssetConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Its stakeholders. For those who read it as members (`FORBIDDEN` for others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn stakeholders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<StakeholderConnection> {
        let scoped =
            Scoped::community_stakeholders(&*access(ctx).await?, &self.0).ok_or_else(|| {
                ApiError::new(
                    Code::Forbidden,
                    "only members of this community may list its stakeholders",
                )
            })?;
        let args = page_args!(first, after, last, before);
        let under = Under::Community(self.0.clone());
        Ok(StakeholderConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Members' ratings of the community, counted; null for non-members.
    async fn feedback_summary(&self, ctx: &Context<'_>) -> ApiResult<Option<FeedbackSummary>> {
        if !access(ctx).await?.reads_community(self.0.id) {
            return Ok(None);
        }
        let target = model::FeedbackTarget::Community(self.0.id);
        Ok(Some(
            load(ctx, SummaryOf(target))
                .await?
                .unwrap_or_default()
                .into(),
        ))
    }

    /// Members' ratings with their comments, newest first. Managers only (`FORBIDDEN` for
    /// others).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn feedback(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<FeedbackConnection> {
        let managing = self.managing(&*access(ctx).await?, "feedback")?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::community_feedback(&managing);
        Ok(FeedbackConnection(
            ConnectionData::fetch(ctx, scoped, Under::Managing(managing), &args).await?,
        ))
    }
}
