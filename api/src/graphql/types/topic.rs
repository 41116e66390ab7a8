use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use copnet_domain::{
    AccessSet,
    ids::TopicId,
    model,
    policy::{
        chain,
        proof::{self, Visible},
    },
};
use uuid::Uuid;

use super::{LearningNetwork, RegionalCluster};
use crate::{
    error::ApiResult,
    graphql::{
        connection::{Admit, Under, connection, rows},
        context::{RequestContext, caller, load},
        enums::ExpertiseLevel,
        ids::{Kind, encode},
        loaders::{ExpertiseOf, InterestsOf, ProfileOf, TopicsOf},
    },
};

/// The `Topic` object; see its GraphQL description.
#[derive(Clone)]
pub struct Topic(pub Visible<model::Topic>);
connection!(
    /// A page of topics.
    TopicConnection, TopicEdge, Topic
);

impl Admit for Topic {
    async fn admit(
        rc: &RequestContext,
        access: &AccessSet,
        under: &Under,
        ids: &[Uuid],
    ) -> ApiResult<Vec<Option<Self>>> {
        let mut out = Vec::with_capacity(ids.len());
        for row in rows::<TopicId, model::Topic>(rc, ids).await? {
            let seen = match (row, under) {
                (Some(t), Under::Network(n)) => proof::see_topic(n, t),
                (Some(t), _) => chain::topic_row(rc, access, t).await?,
                (None, _) => None,
            };
            out.push(seen.map(Self));
        }
        Ok(out)
    }
}

/// A topic of a network's shared vocabulary: what its threads, assets and events are about,
/// and what people know and want to learn. Visible wherever its network is.
#[Object]
impl Topic {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Topic, self.0.id)
    }

    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Other names people use for it (searched by `LearningNetwork.topics`).
    async fn aliases(&self) -> &[String] {
        &self.0.aliases
    }

    /// The network whose vocabulary it is in.
    async fn network(&self) -> LearningNetwork {
        LearningNetwork(self.0.within().clone())
    }

    /// When it was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A person's declared expertise on a topic.
#[derive(SimpleObject)]
pub struct Expertise {
    /// The topic.
    pub topic: Topic,
    /// How well they know it.
    pub level: ExpertiseLevel,
    /// In their words.
    pub note: String,
    /// When declared or last changed.
    pub updated_at: DateTime<Utc>,
}

/// The topics a thread, asset or event carries, among those the caller can see.
pub async fn topics_of(ctx: &Context<'_>, target: model::Tagged) -> ApiResult<Vec<Topic>> {
    let ids = load(ctx, TopicsOf(target)).await?.unwrap_or_default();
    visible_topics(ctx, &ids).await
}

/// The topics among `ids` the caller can see, in order.
pub async fn visible(ctx: &Context<'_>, ids: &[TopicId]) -> ApiResult<Vec<Topic>> {
    visible_topics(ctx, ids).await
}

/// The topics among `ids` the caller can see, in order.
async fn visible_topics(ctx: &Context<'_>, ids: &[TopicId]) -> ApiResult<Vec<Topic>> {
    let (rc, a) = caller(ctx).await?;
    let rows = chain::Lookup::topics(rc, ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(t) = chain::topic_row(rc, &a, row).await? {
            out.push(Topic(t));
        }
    }
    Ok(out)
}

/// A visible person's expertise on topics the caller can see, most expert first.
pub async fn expertise_of(ctx: &Context<'_>, person: &model::Person) -> ApiResult<Vec<Expertise>> {
    let declared = load(ctx, ExpertiseOf(person.id)).await?.unwrap_or_default();
    let ids: Vec<TopicId> = declared.iter().map(|e| e.topic_id).collect();
    let topics = visible_topics(ctx, &ids).await?;
    Ok(declared
        .into_iter()
        .filter_map(|e| {
            let topic = topics.iter().find(|t| t.0.id == e.topic_id)?.clone();
            Some(Expertise {
                topic,
                level: e.level.into(),
                note: e.note,
                updated_at: e.updated_at,
            })
        })
        .collect())
}

/// A visible person's interests among topics the caller can see.
pub async fn interests_of(ctx: &Context<'_>, person: &model::Person) -> ApiResult<Vec<Topic>> {
    let ids = load(ctx, InterestsOf(person.id)).await?.unwrap_or_default();
    visible_topics(ctx, &ids).await
}

/// A visible person's profile.
pub async fn profile_of(ctx: &Context<'_>, person: &model::Person) -> ApiResult<model::Profile> {
    Ok(load(ctx, ProfileOf(person.id)).await?.unwrap_or_default())
}

/// A visible person's regional cluster, if the caller sees it.
pub async fn region_of(
    ctx: &Context<'_>,
    person: &model::Person,
) -> ApiResult<Option<RegionalCluster>> {
    let Some(id) = profile_of(ctx, person).await?.region_cluster_id else {
        return Ok(None);
    };
    let (rc, a) = caller(ctx).await?;
    Ok(chain::cluster(rc, &a, id).await?.map(RegionalCluster))
}

/// The topic with this id, if its network is visible.
pub async fn find(
    rc: &RequestContext,
    access: &AccessSet,
    id: TopicId,
) -> ApiResult<Option<Topic>> {
    Ok(chain::topic(rc, access, id).await?.map(Topic))
}

/// One person with expertise on a topic, as `LearningNetwork.experts` lists them.
#[derive(SimpleObject)]
pub struct ExpertEdge {
    /// Opaque position of this item, for `after`.
    pub cursor: String,
    /// The person.
    pub node: super::Person,
    /// Their level on the topic.
    pub level: ExpertiseLevel,
    /// Their posts in the network over the last 90 days that the caller could read (in
    /// `PUBLIC` spaces, and `MEMBERS` spaces of the caller's communities): the activity the
    /// list is ordered by after the level.
    pub recent_posts: u64,
}

/// A page of experts: most expert first, then most active, then by person.
#[derive(SimpleObject)]
pub struct ExpertConnection {
    /// The items of this page, each with its cursor, level and activity.
    pub edges: Vec<ExpertEdge>,
    /// The people of this page.
    pub nodes: Vec<super::Person>,
    /// Where this page sits in the list.
    pub page_info: crate::graphql::connection::PageInfo,
    /// How many people the whole list holds; only people the caller may see are counted.
    pub total_count: u64,
}

/// Encodes a position in a list of experts.
pub fn expert_cursor(c: copnet_domain::service::ExpertCursor) -> String {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    URL_SAFE_NO_PAD.encode(format!(
        "{}:{}:{}",
        c.level.code(),
        c.recent_posts,
        c.person
    ))
}

/// Reads a position in a list of experts.
pub fn decode_expert_cursor(raw: &str) -> ApiResult<copnet_domain::service::ExpertCursor> {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let bad = || crate::error::ApiError::bad_input("after", "not a valid cursor");
    let text = URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(bad)?;
    let mut parts = text.splitn(3, ':');
    let (Some(level), Some(posts), Some(person)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    Ok(copnet_domain::service::ExpertCursor {
        level: model::ExpertiseLevel::from_code(level).ok_or_else(bad)?,
        recent_posts: posts.parse().map_err(|_| bad())?,
        person: Uuid::parse_str(person).map_err(|_| bad())?.into(),
    })
}
