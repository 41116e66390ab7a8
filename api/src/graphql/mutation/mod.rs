//! The mutation root. Every mutation takes one `input` and returns a payload naming the
//! changed object. Who may do what is stated on each; hidden targets are `NOT_FOUND`, bad
//! input is `BAD_USER_INPUT` and changes nothing.

mod assets;
mod calendar;
mod charter;
mod community;
mod discussion;
mod events;
mod indicators;
mod knowledge;
mod membership;
mod network;
mod onboarding;
mod organization;
mod participation;
mod service_account;
mod shown;
mod space;
mod stakeholders;

use async_graphql::{ID, MergedObject};
use copnet_domain::values::{Description, Message, Name, Slug};

use crate::{
    error::ApiResult,
    graphql::ids::{Kind, decode_as},
};

/// Writes. Every mutation takes one `input` and returns a payload naming the changed object,
/// or null with an error carrying `extensions.code`.
#[derive(MergedObject, Default)]
pub struct Mutation(
    organization::OrganizationMutations,
    network::NetworkMutations,
    community::CommunityMutations,
    membership::MembershipMutations,
    space::SpaceMutations,
    service_account::ServiceAccountMutations,
    discussion::DiscussionMutations,
    charter::CharterMutations,
    events::EventMutations,
    calendar::CalendarMutations,
    stakeholders::StakeholderMutations,
    assets::AssetMutations,
    onboarding::OnboardingMutations,
    knowledge::KnowledgeMutations,
    participation::ParticipationMutations,
    indicators::IndicatorMutations,
);

/// Reads an input ID of one type.
fn id<T: From<uuid::Uuid>>(field: &'static str, kind: Kind, id: &ID) -> ApiResult<T> {
    decode_as(field, kind, id)
}

/// Reads `topicIds`.
fn topic_ids(raw: Option<&[ID]>) -> ApiResult<Option<Vec<copnet_domain::ids::TopicId>>> {
    raw.map(|ids| ids.iter().map(|t| id("topicIds", Kind::Topic, t)).collect())
        .transpose()
}

fn slug(raw: &str) -> ApiResult<Slug> {
    Ok(Slug::parse("slug", raw)?)
}

fn name(raw: &str) -> ApiResult<Name> {
    Ok(Name::parse("name", raw)?)
}

fn description(raw: Option<&str>) -> ApiResult<Description> {
    Ok(Description::parse("description", raw.unwrap_or_default())?)
}

fn message(raw: Option<&str>) -> ApiResult<Message> {
    Ok(Message::parse("message", raw.unwrap_or_default())?)
}
