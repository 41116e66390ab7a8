use chrono::Utc;
use tracing::instrument;

use super::Services;
use crate::{
    access::AccessSet,
    error::{DomainError, DomainResult},
    ids::{ClusterId, NetworkId, TopicId},
    model::{Expertise, ExpertiseLevel, Profile, Topic},
    policy::{chain, proof::Visible, write},
    values::{Description, Name, TextList},
};

/// Most aliases of one topic.
pub const MAX_ALIASES: usize = 10;
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

    async fn topic(&self, access: &AccessSet, id: TopicId) -> DomainResult<Visible<Topic>> {
        chain::topic(&self.repos, access, id)
            .await?
            .ok_or(DomainError::NotFound("topic"))
    }
}
