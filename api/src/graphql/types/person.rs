use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::PersonId,
    listing::Scoped,
    model,
    policy::{
        chain,
        proof::{self, Listed, Myself, Visible},
        read,
    },
};
use uuid::Uuid;

use super::{
    AffiliationConnection, InvitationConnection, JoinRequestConnection, MembershipConnection,
    page_args,
};
use crate::{
    error::{ApiError, ApiResult, Code},
    graphql::{
        connection::{Admit, ConnectionData, Under, connection, cost, rows},
        context::{RequestContext, access, caller, load},
        enums::{InvitationStatus, JoinRequestStatus},
        ids::{Kind, encode},
        loaders::OrganizationsOf,
    },
};

/// The `Person` object; see its GraphQL description.
#[derive(Clone)]
pub struct Person(pub Visible<model::Person>);
connection!(
    /// A page of people.
    PersonConnection, PersonEdge, Person
);

impl Person {
    /// The person, if the caller may see them (rule 8).
    pub async fn visible(ctx: &Context<'_>, id: PersonId) -> ApiResult<Option<Person>> {
        Ok({
            let (rc, a) = caller(ctx).await?;
            chain::person(rc, &a, id).await?
        }
        .map(Person))
    }

    async fn myself(&self, ctx: &Context<'_>, what: &str) -> ApiResult<Myself> {
        proof::myself(&*access(ctx).await?, self.0.id).ok_or_else(|| {
            ApiError::new(
                Code::Forbidden,
                format!("only the person may list their {what}"),
            )
        })
    }
}

impl Admit for Person {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let place = match under {
            Under::Network(n) => Some(Listed::StewardOf(n)),
            Under::Cluster(k) => Some(Listed::CoordinatorOf(k)),
            Under::Space(s) => Some(Listed::MemberOf(s.community())),
            _ => None,
        };
        if let Some(place) = place {
            return Ok(rows::<PersonId, model::Person>(rc, ids)
                .await?
                .into_iter()
                .map(|p| p.map(|p| Self(proof::see_listed_person(place, p))))
                .collect());
        }
        let keys: Vec<PersonId> = ids.iter().map(|u| PersonId::from(*u)).collect();
        let visible = chain::people(rc, access, &keys).await?;
        Ok(keys
            .iter()
            .map(|k| visible.iter().find(|p| p.id == *k).cloned().map(Self))
            .collect())
    }
}

/// Someone taking part in the network, provisioned on first sign-in. People are private by
/// default: a profile is visible to the person, to whoever can see a community they are an
/// active member of, to whoever can see a network they steward or a cluster they coordinate,
/// and to the `ORG_ADMIN`s of their organizations (who manage them). E-mail addresses are
/// visible to the person and their organizations' admins only.
#[Object]
impl Person {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Person, self.0.id)
    }

    /// Name shown to others (from the identity provider's `name` claim).
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    /// E-mail address: only for the person and admins of their organizations; null otherwise.
    async fn email(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        let Some(email) = self.0.email.as_deref() else {
            return Ok(None);
        };
        let access = access(ctx).await?;
        if access.person == Some(self.0.id) {
            return Ok(Some(email));
        }
        if access.organizations.is_empty() {
            return Ok(None);
        }
        let orgs = load(ctx, OrganizationsOf(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(read::can_see_email(&access, self.0.id, &orgs).then_some(email))
    }

    /// Whether this is the caller.
    async fn is_viewer(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(access(ctx).await?.person == Some(self.0.id))
    }

    /// When the person first signed in.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Their declared expertise, most expert first, on topics of networks the caller sees
    /// (`setExpertise`).
    async fn expertise(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::Expertise>> {
        super::topic::expertise_of(ctx, &self.0).await
    }

    /// The topics they want to learn about, among those the caller sees (`setInterest`).
    async fn interests(&self, ctx: &Context<'_>) -> ApiResult<Vec<super::Topic>> {
        super::topic::interests_of(ctx, &self.0).await
    }

    /// The languages they work in (ISO 639-1 codes), in their order of preference.
    async fn languages(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        Ok(super::topic::profile_of(ctx, &self.0).await?.languages)
    }

    /// A short bio, in their words.
    async fn bio(&self, ctx: &Context<'_>) -> ApiResult<String> {
        Ok(super::topic::profile_of(ctx, &self.0).await?.bio)
    }

    /// The regional cluster they belong to; null when none or not visible to the caller.
    async fn region_cluster(&self, ctx: &Context<'_>) -> ApiResult<Option<super::RegionalCluster>> {
        super::topic::region_of(ctx, &self.0).await
    }

    /// The organizations this person is affiliated with.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn affiliations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<AffiliationConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::person_affiliations(&self.0);
        let under = Under::Person(self.0.clone());
        Ok(AffiliationConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Active memberships, in communities the caller may see.
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    async fn memberships(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<MembershipConnection> {
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::person_memberships(&*access(ctx).await?, &self.0);
        let under = Under::Person(self.0.clone());
        Ok(MembershipConnection(
            ConnectionData::fetch(ctx, scoped, under, &args).await?,
        ))
    }

    /// Invitations addressed to this person. Only the person may list them (`FORBIDDEN`
    /// for anyone else).
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
        let me = self.myself(ctx, "invitations").await?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::person_invitations(me, status.map(Into::into));
        Ok(InvitationConnection(
            ConnectionData::fetch(ctx, scoped, Under::Myself(me), &args).await?,
        ))
    }

    /// This person's requests to join communities. Only the person may list them
    /// (`FORBIDDEN` for anyone else).
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
        let me = self.myself(ctx, "join requests").await?;
        let args = page_args!(first, after, last, before);
        let scoped = Scoped::person_join_requests(me, status.map(Into::into));
        Ok(JoinRequestConnection(
            ConnectionData::fetch(ctx, scoped, Under::Myself(me), &args).await?,
        ))
    }
}
