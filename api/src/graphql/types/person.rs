use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use copnet_domain::{
    listing::Listing,
    model,
    policy::{filter::CommunityFilter, read},
};

use super::{
    AffiliationConnection, InvitationConnection, JoinRequestConnection, MembershipConnection,
    batch, page_args,
};
use crate::{
    error::{ApiError, ApiResult, Code},
    graphql::{
        connection::{ConnectionData, connection, cost},
        context::{access, load},
        enums::{InvitationStatus, JoinRequestStatus},
        ids::{Kind, encode},
        loaders::OrganizationsOf,
    },
};

/// The `Person` object; see its GraphQL description.
#[derive(Clone)]
pub struct Person(pub model::Person);
batch!(Person, copnet_domain::ids::PersonId);
connection!(
    /// A page of people.
    PersonConnection, PersonEdge, Person
);

impl Person {
    /// The person, if the caller may see them (rule 8).
    pub async fn visible(
        ctx: &Context<'_>,
        id: copnet_domain::ids::PersonId,
    ) -> ApiResult<Option<Person>> {
        if !crate::graphql::visible::person(crate::graphql::context::request(ctx)?, id).await? {
            return Ok(None);
        }
        Ok(load(ctx, id).await?.map(Person))
    }

    async fn own_list(&self, ctx: &Context<'_>, what: &str) -> ApiResult<()> {
        if access(ctx).await?.person == Some(self.0.id) {
            Ok(())
        } else {
            Err(ApiError::new(
                Code::Forbidden,
                format!("only the person may list their {what}"),
            ))
        }
    }
}

/// Someone taking part in the network, provisioned on first sign-in. People are private by
/// default: a profile is visible to the person, to whoever can see a community they are an
/// active member of, and to whoever can see a network they steward or a cluster they
/// coordinate. E-mail addresses are visible to the person and their organizations' admins only.
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
        let data = ConnectionData::fetch(ctx, Listing::PersonAffiliations, self.0.id.uuid(), &args)
            .await?;
        Ok(AffiliationConnection(data))
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
        let visible = CommunityFilter::for_access(&*access(ctx).await?);
        let args = page_args!(first, after, last, before);
        let data = ConnectionData::fetch(
            ctx,
            Listing::PersonMemberships { visible },
            self.0.id.uuid(),
            &args,
        )
        .await?;
        Ok(MembershipConnection(data))
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
        self.own_list(ctx, "invitations").await?;
        let listing = Listing::PersonInvitations {
            status: status.map(Into::into),
        };
        let args = page_args!(first, after, last, before);
        Ok(InvitationConnection(
            ConnectionData::fetch(ctx, listing, self.0.id.uuid(), &args).await?,
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
        self.own_list(ctx, "join requests").await?;
        let listing = Listing::PersonJoinRequests {
            status: status.map(Into::into),
        };
        let args = page_args!(first, after, last, before);
        Ok(JoinRequestConnection(
            ConnectionData::fetch(ctx, listing, self.0.id.uuid(), &args).await?,
        ))
    }
}
