use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, Utc};

use super::{ACTIVITY_WINDOW_DAYS, Services};
use crate::{
    access::AccessSet,
    error::DomainResult,
    ids::{CommunityId, PersonId, TopicId},
    listing::Listing,
    model::{Community, ExpertiseLevel, Network, Person, Reason, ReasonKind},
    page::PageRequest,
    policy::{chain, filter::CommunityFilter, proof::Visible, write},
    repo::ExpertNarrowing,
};

/// Most suggestions of each kind.
pub const MAX_SUGGESTIONS: usize = 10;
/// Most communities of a network considered.
const MAX_CANDIDATE_COMMUNITIES: usize = 200;

/// A community suggested to the caller.
#[derive(Debug, Clone)]
pub struct CommunitySuggestion {
    /// The community (visible, and the caller may join or ask to join it).
    pub community: Visible<Community>,
    /// Why.
    pub reasons: Vec<Reason>,
    /// The sum of the reasons' scores.
    pub score: u32,
}

/// A person suggested to the caller.
#[derive(Debug, Clone)]
pub struct PersonSuggestion {
    /// The person (visible to the caller).
    pub person: Visible<Person>,
    /// Why.
    pub reasons: Vec<Reason>,
    /// The sum of the reasons' scores.
    pub score: u32,
}

/// Suggestions for the caller in one network.
#[derive(Debug, Clone, Default)]
pub struct Suggestions {
    /// Communities, best first.
    pub communities: Vec<CommunitySuggestion>,
    /// People, best first.
    pub people: Vec<PersonSuggestion>,
}

fn total(reasons: &[Reason]) -> u32 {
    reasons.iter().map(Reason::score).sum()
}

fn topic_reason(kind: ReasonKind, topics: Vec<TopicId>) -> Option<Reason> {
    (!topics.is_empty()).then_some(Reason { kind, topics })
}

impl Services {
    /// Communities the caller sees and may join, and people the caller sees, suggested with
    /// typed reasons and a deterministic score (see [`ReasonKind::weight`]); best first, ties
    /// by id, at most 10 of each. Nothing without a reason is suggested.
    pub async fn suggestions(
        &self,
        access: &AccessSet,
        network: &Visible<Network>,
    ) -> DomainResult<Suggestions> {
        let Some(me) = access.person else {
            return Ok(Suggestions::default());
        };
        let knowledge = &self.repos.knowledge;
        let expertise = knowledge
            .expertise_of(&[me])
            .await?
            .remove(&me)
            .unwrap_or_default();
        let interests = knowledge
            .interests_of(&[me])
            .await?
            .remove(&me)
            .unwrap_or_default();
        let mine: Vec<TopicId> = expertise
            .iter()
            .map(|e| e.topic_id)
            .chain(interests.iter().copied())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let in_network: BTreeSet<TopicId> = knowledge
            .topics_by_ids(&mine)
            .await?
            .into_iter()
            .filter(|t| t.network_id == network.id)
            .map(|t| t.id)
            .collect();
        let interests: Vec<TopicId> = interests
            .into_iter()
            .filter(|t| in_network.contains(t))
            .collect();
        let cluster = knowledge
            .profiles(&[me])
            .await?
            .remove(&me)
            .and_then(|p| p.region_cluster_id);
        let cluster = match cluster {
            Some(id) => chain::cluster(&self.repos, access, id)
                .await?
                .filter(|k| k.network_id == network.id),
            None => None,
        };
        let communities = self
            .suggest_communities(access, network, &in_network, cluster.as_ref())
            .await?;
        let people = self
            .suggest_people(
                access,
                network,
                me,
                &in_network,
                &interests,
                cluster.as_ref(),
            )
            .await?;
        Ok(Suggestions {
            communities,
            people,
        })
    }

    async fn suggest_communities(
        &self,
        access: &AccessSet,
        network: &Visible<Network>,
        mine: &BTreeSet<TopicId>,
        cluster: Option<&Visible<crate::model::Cluster>>,
    ) -> DomainResult<Vec<CommunitySuggestion>> {
        let listing = Listing::NetworkCommunities {
            visible: CommunityFilter::for_access(access),
        };
        let page = PageRequest::new(Some(100), None, None, None)?;
        let mut ids: Vec<CommunityId> = Vec::new();
        let mut next = page;
        loop {
            let mut pages = self
                .repos
                .listings
                .page(&listing, &[network.id.uuid()], &next)
                .await?;
            let Some(found) = pages.remove(&network.id.uuid()) else {
                break;
            };
            ids.extend(found.items.iter().map(|i| CommunityId::from(i.id)));
            let last = found.items.last().map(|i| i.key);
            if !found.has_next_page || ids.len() >= MAX_CANDIDATE_COMMUNITIES {
                break;
            }
            next = PageRequest::new(Some(100), last, None, None)?;
        }
        let in_cluster: BTreeSet<CommunityId> = match cluster {
            Some(k) => {
                let listing = Listing::ClusterCommunities {
                    visible: CommunityFilter::for_access(access),
                };
                let mut pages = self
                    .repos
                    .listings
                    .page(&listing, &[k.id.uuid()], &page)
                    .await?;
                pages
                    .remove(&k.id.uuid())
                    .map(|p| p.items.iter().map(|i| CommunityId::from(i.id)).collect())
                    .unwrap_or_default()
            }
            None => BTreeSet::new(),
        };
        let topics = self.repos.knowledge.community_topics(&ids).await?;
        let rows = self.repos.communities.by_ids(&ids).await?;
        let mut out = Vec::new();
        for row in rows {
            let Some(community) =
                chain::community_row(&self.repos, access, std::sync::Arc::new(row)).await?
            else {
                continue;
            };
            if write::can_join(access, &community).is_err()
                && write::can_request_to_join(access, &community).is_err()
            {
                continue;
            }
            let shared: Vec<TopicId> = topics
                .get(&community.id)
                .map(|t| t.iter().copied().filter(|t| mine.contains(t)).collect())
                .unwrap_or_default();
            let mut reasons: Vec<Reason> = topic_reason(ReasonKind::SharedTopic, shared)
                .into_iter()
                .collect();
            if in_cluster.contains(&community.id) {
                reasons.push(Reason {
                    kind: ReasonKind::SameCluster,
                    topics: Vec::new(),
                });
            }
            if community
                .host_organization_id
                .is_some_and(|o| access.organizations.contains_key(&o))
            {
                reasons.push(Reason {
                    kind: ReasonKind::SameOrganization,
                    topics: Vec::new(),
                });
            }
            if reasons.is_empty() {
                continue;
            }
            let score = total(&reasons);
            out.push(CommunitySuggestion {
                community,
                reasons,
                score,
            });
        }
        out.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.community.id.cmp(&b.community.id))
        });
        out.truncate(MAX_SUGGESTIONS);
        Ok(out)
    }

    async fn suggest_people(
        &self,
        access: &AccessSet,
        network: &Visible<Network>,
        me: PersonId,
        mine: &BTreeSet<TopicId>,
        interests: &[TopicId],
        cluster: Option<&Visible<crate::model::Cluster>>,
    ) -> DomainResult<Vec<PersonSuggestion>> {
        let knowledge = &self.repos.knowledge;
        let mut candidates: BTreeSet<PersonId> = BTreeSet::new();
        for topic in mine {
            for (person, _) in knowledge
                .experts_on(*topic, &ExpertNarrowing::default())
                .await?
            {
                candidates.insert(person);
            }
        }
        let topics: Vec<TopicId> = mine.iter().copied().collect();
        for (person, _) in knowledge.interested_in(&topics).await? {
            candidates.insert(person);
        }
        let my_communities: Vec<CommunityId> = access
            .communities
            .iter()
            .filter(|(_, c)| c.network_id == network.id)
            .map(|(id, _)| *id)
            .collect();
        let since = Utc::now() - Duration::days(ACTIVITY_WINDOW_DAYS);
        let active: BTreeSet<PersonId> = knowledge
            .recent_authors(&my_communities, since)
            .await?
            .into_iter()
            .collect();
        candidates.extend(active.iter().copied());
        candidates.remove(&me);
        let ids: Vec<PersonId> = candidates.into_iter().collect();
        let people = chain::people(&self.repos, access, &ids).await?;
        let shown: Vec<PersonId> = people.iter().map(|p| p.id).collect();
        let expertise = knowledge.expertise_of(&shown).await?;
        let their_interests = knowledge.interests_of(&shown).await?;
        let profiles = knowledge.profiles(&shown).await?;
        let mut orgs: HashMap<PersonId, Vec<crate::ids::OrganizationId>> = HashMap::new();
        for a in self.repos.organizations.affiliations_of(&shown).await? {
            orgs.entry(a.person_id).or_default().push(a.organization_id);
        }
        let mut out = Vec::new();
        for person in people {
            let theirs = expertise.get(&person.id).cloned().unwrap_or_default();
            let expert_in: Vec<TopicId> = interests
                .iter()
                .copied()
                .filter(|t| {
                    theirs
                        .iter()
                        .any(|e| e.topic_id == *t && e.level >= ExpertiseLevel::Practitioner)
                })
                .collect();
            let their_topics: BTreeSet<TopicId> = theirs
                .iter()
                .map(|e| e.topic_id)
                .chain(their_interests.get(&person.id).cloned().unwrap_or_default())
                .collect();
            let shared: Vec<TopicId> = mine
                .iter()
                .copied()
                .filter(|t| their_topics.contains(t) && !expert_in.contains(t))
                .collect();
            let mut reasons: Vec<Reason> = [
                topic_reason(ReasonKind::ExpertInYourInterest, expert_in),
                topic_reason(ReasonKind::SharedTopic, shared),
            ]
            .into_iter()
            .flatten()
            .collect();
            if let Some(k) = cluster
                && profiles
                    .get(&person.id)
                    .is_some_and(|p| p.region_cluster_id == Some(k.id))
            {
                reasons.push(Reason {
                    kind: ReasonKind::SameCluster,
                    topics: Vec::new(),
                });
            }
            if orgs
                .get(&person.id)
                .is_some_and(|o| o.iter().any(|o| access.organizations.contains_key(o)))
            {
                reasons.push(Reason {
                    kind: ReasonKind::SameOrganization,
                    topics: Vec::new(),
                });
            }
            if active.contains(&person.id) {
                reasons.push(Reason {
                    kind: ReasonKind::ActiveInYourCommunity,
                    topics: Vec::new(),
                });
            }
            if reasons.is_empty() {
                continue;
            }
            let score = total(&reasons);
            out.push(PersonSuggestion {
                person,
                reasons,
                score,
            });
        }
        out.sort_by(|a, b| b.score.cmp(&a.score).then(a.person.id.cmp(&b.person.id)));
        out.truncate(MAX_SUGGESTIONS);
        Ok(out)
    }
}
