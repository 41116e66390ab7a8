use std::cmp::Reverse;

use chrono::{Duration, Utc};
use tracing::instrument;

use super::{HostInput, Services};
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{ClusterId, NetworkId, PersonId, SpaceId, TopicId},
    model::{Expertise, ExpertiseLevel, Network, Person, Profile, Tagged, Topic},
    policy::{
        assets, chain,
        filter::CommunityFilter,
        proof::Visible,
        write::{self, EventPlace},
    },
    repo::ExpertNarrowing,
    values::{Description, Name, TextList},
};

/// Most aliases of one topic.
pub const MAX_ALIASES: usize = 10;
/// The window over which experts' activity is counted.
pub const ACTIVITY_WINDOW_DAYS: i64 = 90;

/// One person listed as an expert.
#[derive(Debug, Clone)]
pub struct Expert {
    /// Who (visible to the caller).
    pub person: Visible<Person>,
    /// Their level on the topic.
    pub level: ExpertiseLevel,
    /// Their posts in the last 90 days that the caller could read, in the network.
    pub recent_posts: u64,
}

impl Expert {
    /// Where it sits in the list.
    pub fn cursor(&self) -> ExpertCursor {
        ExpertCursor {
            level: self.level,
            recent_posts: self.recent_posts,
            person: self.person.id,
        }
    }
}

/// A position in a list of experts: most expert first, then most active, then by person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpertCursor {
    /// The level there.
    pub level: ExpertiseLevel,
    /// The activity there.
    pub recent_posts: u64,
    /// The person there.
    pub person: PersonId,
}

impl ExpertCursor {
    fn key(self) -> (Reverse<ExpertiseLevel>, Reverse<u64>, PersonId) {
        (Reverse(self.level), Reverse(self.recent_posts), self.person)
    }
}

/// A page of experts.
#[derive(Debug, Clone)]
pub struct ExpertPage {
    /// The experts of the page, in order.
    pub experts: Vec<Expert>,
    /// More follow.
    pub has_next_page: bool,
    /// How many the whole list holds.
    pub total: u64,
}

/// Most topics on a thread, asset or event.
pub const MAX_TOPICS: usize = 10;
/// Most languages on a profile.
pub const MAX_LANGUAGES: usize = 10;

/// Language codes of a profile: ISO 639-1 (two lowercase letters), at most 10, duplicates
/// dropped, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages(Vec<String>);

impl Languages {
    /// Validates the input field `field`.
    pub fn parse(field: &'static str, raw: &[String]) -> DomainResult<Self> {
        let mut out: Vec<String> = Vec::new();
        for code in raw {
            let code = code.trim().to_lowercase();
            if code.len() != 2 || !code.chars().all(|c| c.is_ascii_lowercase()) {
                return Err(DomainError::invalid(
                    field,
                    format!("{code:?} is not an ISO 639-1 language code (two letters)"),
                ));
            }
            if !out.contains(&code) {
                out.push(code);
            }
        }
        if out.len() > MAX_LANGUAGES {
            return Err(DomainError::invalid(
                field,
                format!("at most {MAX_LANGUAGES} languages"),
            ));
        }
        Ok(Self(out))
    }

    /// Takes the codes out.
    pub fn into_inner(self) -> Vec<String> {
        self.0
    }
}

impl Services {
    /// A `STEWARD` adds a topic to the network's vocabulary (names and aliases unique in the
    /// network, case-insensitively).
    #[instrument(skip_all)]
    pub async fn create_topic(
        &self,
        access: &AccessSet,
        network: NetworkId,
        name: Name,
        aliases: TextList,
    ) -> DomainResult<Visible<Topic>> {
        access.require_person()?;
        let network = self.network(access, network).await?;
        write::can_administer_network(access, &network, "add topics")?;
        let name = name.into_inner();
        let mut kept: Vec<String> = Vec::new();
        for alias in aliases.into_inner() {
            let key = alias.to_lowercase();
            if key != name.to_lowercase() && !kept.iter().any(|a| a.to_lowercase() == key) {
                kept.push(alias);
            }
        }
        let aliases = kept;
        if aliases.len() > MAX_ALIASES {
            return Err(DomainError::invalid(
                "aliases",
                format!("at most {MAX_ALIASES} aliases"),
            ));
        }
        let topic = Topic {
            id: TopicId::generate(),
            network_id: network.id,
            name,
            aliases,
            created_at: Utc::now(),
        };
        self.repos.knowledge.create_topic(&topic).await?;
        self.topic(access, topic.id).await
    }

    /// The caller declares (or changes) their expertise on a topic they can see.
    #[instrument(skip_all)]
    pub async fn set_expertise(
        &self,
        access: &AccessSet,
        topic: TopicId,
        level: ExpertiseLevel,
        note: Description,
    ) -> DomainResult<Expertise> {
        let person = access.require_person()?;
        let topic = self.topic(access, topic).await?;
        let expertise = Expertise {
            person_id: person,
            topic_id: topic.id,
            level,
            note: note.into_inner(),
            updated_at: Utc::now(),
        };
        self.repos.knowledge.set_expertise(&expertise).await?;
        Ok(expertise)
    }

    /// The caller withdraws their expertise on a topic (`NOT_FOUND` when they declared none).
    #[instrument(skip_all)]
    pub async fn remove_expertise(&self, access: &AccessSet, topic: TopicId) -> DomainResult<()> {
        let person = access.require_person()?;
        let topic = self.topic(access, topic).await?;
        if self
            .repos
            .knowledge
            .remove_expertise(person, topic.id)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("expertise"))
        }
    }

    /// The caller declares an interest in a topic they can see.
    #[instrument(skip_all)]
    pub async fn set_interest(
        &self,
        access: &AccessSet,
        topic: TopicId,
    ) -> DomainResult<Visible<Topic>> {
        let person = access.require_person()?;
        let topic = self.topic(access, topic).await?;
        self.repos.knowledge.set_interest(person, topic.id).await?;
        Ok(topic)
    }

    /// The caller withdraws an interest (`NOT_FOUND` when they declared none).
    #[instrument(skip_all)]
    pub async fn remove_interest(&self, access: &AccessSet, topic: TopicId) -> DomainResult<()> {
        let person = access.require_person()?;
        let topic = self.topic(access, topic).await?;
        if self
            .repos
            .knowledge
            .remove_interest(person, topic.id)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("interest"))
        }
    }

    /// The caller sets their profile: languages, regional cluster (one they can see), bio.
    #[instrument(skip_all)]
    pub async fn set_profile(
        &self,
        access: &AccessSet,
        languages: Languages,
        region_cluster: Option<ClusterId>,
        bio: Description,
    ) -> DomainResult<Profile> {
        let person = access.require_person()?;
        if let Some(cluster) = region_cluster {
            self.cluster(access, cluster)
                .await
                .map_err(|e| e.not_found_as("regional cluster"))?;
        }
        let profile = Profile {
            languages: languages.0,
            region_cluster_id: region_cluster,
            bio: bio.into_inner(),
        };
        self.repos.knowledge.set_profile(person, &profile).await?;
        Ok(profile)
    }

    /// Validates topics for something of `network`: at most 10, each a topic of that
    /// network the caller sees (`BAD_USER_INPUT` on `topicIds` otherwise); duplicates dropped.
    pub async fn check_topics(
        &self,
        access: &AccessSet,
        network: NetworkId,
        ids: &[TopicId],
    ) -> DomainResult<Vec<TopicId>> {
        let mut out: Vec<TopicId> = Vec::new();
        for id in ids {
            if !out.contains(id) {
                out.push(*id);
            }
        }
        if out.len() > MAX_TOPICS {
            return Err(DomainError::invalid(
                "topicIds",
                format!("at most {MAX_TOPICS} topics"),
            ));
        }
        for id in &out {
            match chain::topic(&self.repos, access, *id).await? {
                Some(t) if t.network_id == network => {}
                _ => {
                    return Err(DomainError::invalid(
                        "topicIds",
                        "every topic must be one of the network's",
                    ));
                }
            }
        }
        Ok(out)
    }

    /// [`check_topics`](Self::check_topics) for something new in a space the caller reads.
    pub async fn check_topics_in_space(
        &self,
        access: &AccessSet,
        space: SpaceId,
        ids: &[TopicId],
    ) -> DomainResult<Vec<TopicId>> {
        let space = self.readable_space(access, space).await?;
        self.check_topics(access, space.community().network_id, ids)
            .await
    }

    /// [`check_topics`](Self::check_topics) for a new event at this host.
    pub async fn check_topics_at(
        &self,
        access: &AccessSet,
        host: &HostInput,
        ids: &[TopicId],
    ) -> DomainResult<Vec<TopicId>> {
        let network = match host {
            HostInput::Community(id) => self.community(access, *id).await?.network_id,
            HostInput::Space(id, _) => self.space(access, *id).await?.community().network_id,
            HostInput::Cluster(id) => self.cluster(access, *id).await?.network_id,
        };
        self.check_topics(access, network, ids).await
    }

    /// Replaces the topics of a thread (its author or a moderator), an asset (who may revise
    /// it) or an event (who manages it).
    #[instrument(skip_all)]
    pub async fn set_topics(
        &self,
        access: &AccessSet,
        target: Tagged,
        ids: &[TopicId],
    ) -> DomainResult<()> {
        let me = access.require_person()?;
        let network = match target {
            Tagged::Thread(id) => {
                let thread = self.thread(access, id).await?;
                let community = thread.community();
                if thread.author_id == me {
                    write::can_write(access, community)?;
                } else {
                    write::can_moderate(access, community)?;
                }
                community.network_id
            }
            Tagged::Asset(id) => {
                let asset = chain::asset(&self.repos, access, id)
                    .await?
                    .ok_or(DomainError::NotFound("asset"))?;
                assets::can_revise_asset(access, &asset)?;
                asset.community().network_id
            }
            Tagged::Event(id) => {
                let event = self.event(access, id).await?;
                let place = EventPlace::of(&event);
                write::can_manage_events(access, place)?;
                match place {
                    EventPlace::Community(c) => c.network_id,
                    EventPlace::Cluster(k) => k.network_id,
                }
            }
        };
        let checked = self.check_topics(access, network, ids).await?;
        self.repos.knowledge.set_topics(target, &checked).await
    }

    /// The people the caller sees with expertise on a topic of a visible network, most
    /// expert first, then most active (posts in the last 90 days in the network that the
    /// caller could read), then by person; `first` after `after`.
    pub async fn experts(
        &self,
        access: &AccessSet,
        network: &Visible<Network>,
        topic: TopicId,
        narrowing: &ExpertNarrowing,
        after: Option<ExpertCursor>,
        first: usize,
    ) -> DomainResult<ExpertPage> {
        let topic = self.topic(access, topic).await?;
        if topic.network_id != network.id {
            return Err(DomainError::NotFound("topic"));
        }
        let declared = self.repos.knowledge.experts_on(topic.id, narrowing).await?;
        let ids: Vec<PersonId> = declared.iter().map(|(p, _)| *p).collect();
        let people = chain::people(&self.repos, access, &ids).await?;
        let shown: Vec<PersonId> = people.iter().map(|p| p.id).collect();
        let since = Utc::now() - Duration::days(ACTIVITY_WINDOW_DAYS);
        let posts = self
            .repos
            .knowledge
            .recent_posts(
                network.id,
                &shown,
                since,
                &CommunityFilter::for_access(access),
            )
            .await?;
        let mut experts: Vec<Expert> = people
            .into_iter()
            .filter_map(|person| {
                let level = declared.iter().find(|(p, _)| *p == person.id)?.1;
                let recent_posts = posts.get(&person.id).copied().unwrap_or(0);
                Some(Expert {
                    person,
                    level,
                    recent_posts,
                })
            })
            .collect();
        experts.sort_by_key(|e| e.cursor().key());
        let total = u64::try_from(experts.len()).unwrap_or(u64::MAX);
        let mut rest: Vec<Expert> = experts
            .into_iter()
            .filter(|e| after.is_none_or(|a| e.cursor().key() > a.key()))
            .collect();
        let has_next_page = rest.len() > first;
        rest.truncate(first);
        Ok(ExpertPage {
            experts: rest,
            has_next_page,
            total,
        })
    }

    async fn topic(&self, access: &AccessSet, id: TopicId) -> DomainResult<Visible<Topic>> {
        chain::topic(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("topic"))
    }
}
