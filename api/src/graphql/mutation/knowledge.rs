use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use copnet_domain::{
    ids::{ClusterId, NetworkId, TopicId},
    model::Tagged,
    policy::chain,
    service::Languages,
    values::{Description, Name, TextList},
};

use super::id;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        audit::{Seed, Written},
        context::{caller, write, write_at},
        enums::ExpertiseLevel,
        ids::{Kind, decode},
        types::{Expertise, Person, Topic},
    },
};

/// Input of `createTopic`.
#[derive(InputObject)]
pub struct CreateTopicInput {
    /// The network whose vocabulary it joins.
    pub network_id: ID,
    /// 1..120 characters, unique in the network (case-insensitive).
    pub name: String,
    /// Up to 10 other names people use for it, each unique in the network.
    pub aliases: Option<Vec<String>>,
}

/// Input of `setExpertise`.
#[derive(InputObject)]
pub struct SetExpertiseInput {
    /// The topic.
    pub topic_id: ID,
    /// How well the caller knows it.
    pub level: ExpertiseLevel,
    /// In the caller's words, up to 4000 characters.
    pub note: Option<String>,
}

/// Input naming a topic (`removeExpertise`, `setInterest`, `removeInterest`).
#[derive(InputObject)]
pub struct TopicInput {
    /// The topic.
    pub topic_id: ID,
}

/// Input of `setProfile`: every field is replaced.
#[derive(InputObject)]
pub struct SetProfileInput {
    /// Up to 10 ISO 639-1 language codes (`en`, `es`, `fr`, `pt`…), in order of preference.
    pub languages: Vec<String>,
    /// The regional cluster the caller belongs to (one they can see); null for none.
    pub region_cluster_id: Option<ID>,
    /// A short bio, up to 4000 characters.
    pub bio: Option<String>,
}

/// Input of `setTopics`.
#[derive(InputObject)]
pub struct SetTopicsInput {
    /// A thread, an asset or an event.
    pub target_id: ID,
    /// Up to 10 topics of its network, replacing the old (empty clears them).
    pub topic_ids: Vec<ID>,
}

/// Result of `setTopics`.
#[derive(SimpleObject)]
pub struct SetTopicsPayload {
    /// The topics it now carries.
    pub topics: Vec<Topic>,
}

/// Result of topic mutations.
#[derive(SimpleObject)]
pub struct TopicPayload {
    /// The topic.
    pub topic: Topic,
}

/// Result of `setExpertise`.
#[derive(SimpleObject)]
pub struct ExpertisePayload {
    /// The expertise as stored.
    pub expertise: Expertise,
}

/// Result of `setProfile`.
#[derive(SimpleObject)]
pub struct ProfilePayload {
    /// The caller, with their profile.
    pub person: Option<Person>,
}

async fn topic(ctx: &Context<'_>, id: TopicId) -> ApiResult<Topic> {
    let (rc, a) = caller(ctx).await?;
    chain::topic(rc, &a, id)
        .await?
        .map(Topic)
        .ok_or_else(|| ApiError::not_found("Topic"))
}

#[derive(Default)]
pub struct KnowledgeMutations;

#[Object]
impl KnowledgeMutations {
    /// Adds a topic to a network's shared vocabulary. `STEWARD`s of the network (and platform
    /// admins); a name or alias already used in the network is `CONFLICT`.
    async fn create_topic(
        &self,
        ctx: &Context<'_>,
        input: CreateTopicInput,
    ) -> ApiResult<Option<TopicPayload>> {
        let network: NetworkId = id("networkId", Kind::Network, &input.network_id)?;
        let name = Name::parse("name", &input.name)?;
        let aliases = input.aliases.unwrap_or_default();
        for alias in &aliases {
            Name::parse("aliases", alias)?;
        }
        let aliases = TextList::parse("aliases", &aliases)?;
        let created = write(ctx, async |s, a| {
            s.create_topic(a, network, name, aliases).await
        })
        .await?;
        Ok(Some(TopicPayload {
            topic: Topic(created),
        }))
    }

    /// Declares (or changes) the caller's expertise on a topic of a network they see.
    async fn set_expertise(
        &self,
        ctx: &Context<'_>,
        input: SetExpertiseInput,
    ) -> ApiResult<Option<ExpertisePayload>> {
        let topic_id: TopicId = id("topicId", Kind::Topic, &input.topic_id)?;
        let note = Description::parse("note", input.note.as_deref().unwrap_or_default())?;
        let level = input.level.into();
        let e = write(ctx, async |s, a| {
            s.set_expertise(a, topic_id, level, note).await
        })
        .await?;
        Ok(Some(ExpertisePayload {
            expertise: Expertise {
                topic: topic(ctx, topic_id).await?,
                level: e.level.into(),
                note: e.note,
                updated_at: e.updated_at,
            },
        }))
    }

    /// Withdraws the caller's expertise on a topic (`NOT_FOUND` when none was declared).
    async fn remove_expertise(
        &self,
        ctx: &Context<'_>,
        input: TopicInput,
    ) -> ApiResult<Option<TopicPayload>> {
        let topic_id: TopicId = id("topicId", Kind::Topic, &input.topic_id)?;
        let written = Written::of(Kind::Topic, topic_id, Seed::Nowhere);
        write_at(ctx, written, async |s, a| {
            s.remove_expertise(a, topic_id).await
        })
        .await?;
        Ok(Some(TopicPayload {
            topic: topic(ctx, topic_id).await?,
        }))
    }

    /// Declares the caller's interest in a topic of a network they see (again: no change).
    async fn set_interest(
        &self,
        ctx: &Context<'_>,
        input: TopicInput,
    ) -> ApiResult<Option<TopicPayload>> {
        let topic_id: TopicId = id("topicId", Kind::Topic, &input.topic_id)?;
        let t = write(ctx, async |s, a| s.set_interest(a, topic_id).await).await?;
        Ok(Some(TopicPayload { topic: Topic(t) }))
    }

    /// Withdraws the caller's interest in a topic (`NOT_FOUND` when none was declared).
    async fn remove_interest(
        &self,
        ctx: &Context<'_>,
        input: TopicInput,
    ) -> ApiResult<Option<TopicPayload>> {
        let topic_id: TopicId = id("topicId", Kind::Topic, &input.topic_id)?;
        let written = Written::of(Kind::Topic, topic_id, Seed::Nowhere);
        write_at(ctx, written, async |s, a| {
            s.remove_interest(a, topic_id).await
        })
        .await?;
        Ok(Some(TopicPayload {
            topic: topic(ctx, topic_id).await?,
        }))
    }

    /// Replaces the topics of a thread (its author or a moderator), an asset (who may revise
    /// it) or an event (who manages it). Topics must be of the thing's network.
    async fn set_topics(
        &self,
        ctx: &Context<'_>,
        input: SetTopicsInput,
    ) -> ApiResult<Option<SetTopicsPayload>> {
        let target = match decode("targetId", &input.target_id)? {
            (Kind::Thread, uuid) => Tagged::Thread(uuid.into()),
            (Kind::Asset, uuid) => Tagged::Asset(uuid.into()),
            (Kind::Event, uuid) => Tagged::Event(uuid.into()),
            _ => {
                return Err(ApiError::bad_input(
                    "targetId",
                    "must be the ID of a Thread, an Asset or an Event",
                ));
            }
        };
        let ids = super::topic_ids(Some(&input.topic_ids))?.unwrap_or_default();
        let seed = match target {
            Tagged::Thread(thread) => Seed::Thread(thread),
            Tagged::Asset(asset) => Seed::Asset(asset),
            Tagged::Event(event) => Seed::Event(event),
        };
        let (kind, uuid) = decode("targetId", &input.target_id)?;
        let written = Written::of(kind, uuid, seed);
        write_at(ctx, written, async |s, a| {
            s.set_topics(a, target, &ids).await
        })
        .await?;
        Ok(Some(SetTopicsPayload {
            topics: crate::graphql::types::topic::topics_of(ctx, target).await?,
        }))
    }

    /// Sets the caller's profile: languages, regional cluster, bio. Signed-in people only.
    async fn set_profile(
        &self,
        ctx: &Context<'_>,
        input: SetProfileInput,
    ) -> ApiResult<Option<ProfilePayload>> {
        let languages = Languages::parse("languages", &input.languages)?;
        let cluster: Option<ClusterId> = input
            .region_cluster_id
            .as_ref()
            .map(|c| id("regionClusterId", Kind::Cluster, c))
            .transpose()?;
        let bio = Description::parse("bio", input.bio.as_deref().unwrap_or_default())?;
        write(ctx, async |s, a| {
            s.set_profile(a, languages, cluster, bio).await
        })
        .await?;
        let (rc, a) = caller(ctx).await?;
        let me = a.require_person()?;
        Ok(Some(ProfilePayload {
            person: chain::person(rc, &a, me).await?.map(Person),
        }))
    }
}
