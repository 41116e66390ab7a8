use async_graphql::{Context, SimpleObject};
use copnet_domain::{model, service};

use super::{Community, Person, Topic, topic};
use crate::{error::ApiResult, graphql::enums::ReasonKind};

/// One reason for a suggestion.
#[derive(SimpleObject)]
pub struct SuggestionReason {
    /// Which reason.
    pub kind: ReasonKind,
    /// The topics it names (for `SHARED_TOPIC` and `EXPERT_IN_YOUR_INTEREST`), among those
    /// the viewer sees.
    pub topics: Vec<Topic>,
}

/// A community suggested to the viewer.
#[derive(SimpleObject)]
pub struct CommunitySuggestion {
    /// The community: visible, and the viewer may join it or ask to.
    pub community: Community,
    /// Why, in a stable order.
    pub reasons: Vec<SuggestionReason>,
    /// The sum of the reasons' weights (see `ReasonKind`); higher first.
    pub score: u32,
}

/// A person suggested to the viewer.
#[derive(SimpleObject)]
pub struct PersonSuggestion {
    /// The person, visible to the viewer.
    pub person: Person,
    /// Why, in a stable order.
    pub reasons: Vec<SuggestionReason>,
    /// The sum of the reasons' weights (see `ReasonKind`); higher first.
    pub score: u32,
}

/// Communities and people suggested to the viewer in a network, best first (ties by ID), at
/// most 10 of each; empty for anonymous callers.
#[derive(SimpleObject)]
pub struct Suggestions {
    /// Communities to join.
    pub communities: Vec<CommunitySuggestion>,
    /// People to meet.
    pub people: Vec<PersonSuggestion>,
}

async fn reasons(
    ctx: &Context<'_>,
    reasons: Vec<model::Reason>,
) -> ApiResult<Vec<SuggestionReason>> {
    let mut out = Vec::with_capacity(reasons.len());
    for r in reasons {
        out.push(SuggestionReason {
            kind: r.kind.into(),
            topics: topic::visible(ctx, &r.topics).await?,
        });
    }
    Ok(out)
}

/// The GraphQL view of the domain's suggestions.
pub async fn shown(ctx: &Context<'_>, s: service::Suggestions) -> ApiResult<Suggestions> {
    let mut communities = Vec::with_capacity(s.communities.len());
    for c in s.communities {
        communities.push(CommunitySuggestion {
            community: Community(c.community),
            reasons: reasons(ctx, c.reasons).await?,
            score: c.score,
        });
    }
    let mut people = Vec::with_capacity(s.people.len());
    for p in s.people {
        people.push(PersonSuggestion {
            person: Person(p.person),
            reasons: reasons(ctx, p.reasons).await?,
            score: p.score,
        });
    }
    Ok(Suggestions {
        communities,
        people,
    })
}
