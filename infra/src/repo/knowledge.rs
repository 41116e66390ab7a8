use std::collections::HashMap;

use async_trait::async_trait;
use chrono::DateTime;
use chrono::Utc;
use copnet_domain::{
    DomainError, DomainResult,
    ids::{CommunityId, NetworkId, PersonId, TopicId},
    model::{AssetStatus, Expertise, ExpertiseLevel, Profile, SpaceVisibility, Tagged, Topic},
    policy::filter::CommunityFilter,
    repo::{ExpertNarrowing, KnowledgeRepo},
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::{Cond, Expr, ExprTrait, Func, LikeExpr, OnConflict},
};
use uuid::Uuid;

use super::{Store, convert, convert::code};
use crate::{
    entity::{expertise, interests, profiles, topic_links, topic_names, topics},
    error::{bad_code, db_err, unique_or},
    listing::{community_visible, join, select_from},
};

fn list(raw: &str, column: &'static str) -> DomainResult<Vec<String>> {
    serde_json::from_str(raw).map_err(|_| bad_code(column, raw))
}

fn json(items: &[String]) -> DomainResult<String> {
    serde_json::to_string(items).map_err(DomainError::internal)
}

fn topic(m: topics::Model) -> DomainResult<Topic> {
    Ok(Topic {
        id: m.id.into(),
        network_id: m.network_id.into(),
        aliases: list(&m.aliases, "topics.aliases")?,
        name: m.name,
        created_at: m.created_at,
    })
}

#[async_trait]
impl KnowledgeRepo for Store {
    async fn topics_by_ids(&self, ids: &[TopicId]) -> DomainResult<Vec<Topic>> {
        topics::Entity::find()
            .filter(
                self.sql()
                    .one_of(topics::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(topic)
            .collect()
    }

    async fn create_topic(&self, t: &Topic) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        topics::Entity::insert(topics::ActiveModel {
            id: Set(t.id.uuid()),
            network_id: Set(t.network_id.uuid()),
            name: Set(t.name.clone()),
            aliases: Set(json(&t.aliases)?),
            created_at: Set(t.created_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        let mut keys: Vec<String> = std::iter::once(&t.name)
            .chain(&t.aliases)
            .map(|n| n.to_lowercase())
            .collect();
        keys.sort();
        keys.dedup();
        topic_names::Entity::insert_many(keys.into_iter().map(|key| topic_names::ActiveModel {
            id: Set(Uuid::now_v7()),
            topic_id: Set(t.id.uuid()),
            network_id: Set(t.network_id.uuid()),
            name_key: Set(key),
        }))
        .exec_without_returning(&txn)
        .await
        .map_err(unique_or(
            "a topic of this network already has this name or alias",
        ))?;
        txn.commit().await.map_err(db_err)
    }

    async fn expertise_of(
        &self,
        people: &[PersonId],
    ) -> DomainResult<HashMap<PersonId, Vec<Expertise>>> {
        let mut out: HashMap<PersonId, Vec<Expertise>> = HashMap::new();
        if people.is_empty() {
            return Ok(out);
        }
        for m in expertise::Entity::find()
            .filter(self.sql().one_of(
                expertise::Column::PersonId.into_expr(),
                convert::uuids(people),
            ))
            .order_by_asc(expertise::Column::Id)
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            out.entry(m.person_id.into()).or_default().push(Expertise {
                person_id: m.person_id.into(),
                topic_id: m.topic_id.into(),
                level: code!(ExpertiseLevel, "expertise.level", m.level)?,
                note: m.note,
                updated_at: m.updated_at,
            });
        }
        for list in out.values_mut() {
            list.sort_by_key(|e| std::cmp::Reverse(e.level));
        }
        Ok(out)
    }

    async fn set_expertise(&self, e: &Expertise) -> DomainResult<()> {
        expertise::Entity::insert(expertise::ActiveModel {
            id: Set(Uuid::now_v7()),
            person_id: Set(e.person_id.uuid()),
            topic_id: Set(e.topic_id.uuid()),
            level: Set(e.level.code().to_owned()),
            note: Set(e.note.clone()),
            updated_at: Set(e.updated_at),
        })
        .on_conflict(
            OnConflict::columns([expertise::Column::PersonId, expertise::Column::TopicId])
                .update_columns([
                    expertise::Column::Level,
                    expertise::Column::Note,
                    expertise::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn remove_expertise(&self, person: PersonId, topic: TopicId) -> DomainResult<bool> {
        let deleted = expertise::Entity::delete_many()
            .filter(expertise::Column::PersonId.eq(person.uuid()))
            .filter(expertise::Column::TopicId.eq(topic.uuid()))
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        Ok(deleted.rows_affected > 0)
    }

    async fn interests_of(
        &self,
        people: &[PersonId],
    ) -> DomainResult<HashMap<PersonId, Vec<TopicId>>> {
        let mut out: HashMap<PersonId, Vec<TopicId>> = HashMap::new();
        if people.is_empty() {
            return Ok(out);
        }
        for m in interests::Entity::find()
            .filter(self.sql().one_of(
                interests::Column::PersonId.into_expr(),
                convert::uuids(people),
            ))
            .order_by_asc(interests::Column::Id)
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            out.entry(m.person_id.into())
                .or_default()
                .push(m.topic_id.into());
        }
        Ok(out)
    }

    async fn set_interest(&self, person: PersonId, topic: TopicId) -> DomainResult<()> {
        interests::Entity::insert(interests::ActiveModel {
            id: Set(Uuid::now_v7()),
            person_id: Set(person.uuid()),
            topic_id: Set(topic.uuid()),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([interests::Column::PersonId, interests::Column::TopicId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn remove_interest(&self, person: PersonId, topic: TopicId) -> DomainResult<bool> {
        let deleted = interests::Entity::delete_many()
            .filter(interests::Column::PersonId.eq(person.uuid()))
            .filter(interests::Column::TopicId.eq(topic.uuid()))
            .exec(&self.db)
            .await
            .map_err(db_err)?;
        Ok(deleted.rows_affected > 0)
    }

    async fn profiles(&self, people: &[PersonId]) -> DomainResult<HashMap<PersonId, Profile>> {
        let mut out = HashMap::new();
        if people.is_empty() {
            return Ok(out);
        }
        for m in profiles::Entity::find()
            .filter(self.sql().one_of(
                profiles::Column::PersonId.into_expr(),
                convert::uuids(people),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            out.insert(
                m.person_id.into(),
                Profile {
                    languages: list(&m.languages, "profiles.languages")?,
                    region_cluster_id: m.region_cluster_id.map(Into::into),
                    bio: m.bio,
                },
            );
        }
        Ok(out)
    }

    async fn set_profile(&self, person: PersonId, p: &Profile) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        profiles::Entity::insert(profiles::ActiveModel {
            id: Set(Uuid::now_v7()),
            person_id: Set(person.uuid()),
            languages: Set(json(&p.languages)?),
            region_cluster_id: Set(p.region_cluster_id.map(|c| c.uuid())),
            bio: Set(p.bio.clone()),
            updated_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(profiles::Column::PersonId)
                .update_columns([
                    profiles::Column::Languages,
                    profiles::Column::RegionClusterId,
                    profiles::Column::Bio,
                    profiles::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        crate::search::index::put_person(&txn, person.uuid()).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn set_topics(&self, target: Tagged, ids: &[TopicId]) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        topic_links::Entity::delete_many()
            .filter(topic_links::Column::TargetId.eq(target.uuid()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if !ids.is_empty() {
            topic_links::Entity::insert_many(ids.iter().enumerate().map(|(i, t)| {
                topic_links::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    topic_id: Set(t.uuid()),
                    target_id: Set(target.uuid()),
                    target_kind: Set(target.kind().to_owned()),
                    position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
                }
            }))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)
    }

    async fn topics_of(&self, targets: &[Tagged]) -> DomainResult<HashMap<Tagged, Vec<TopicId>>> {
        let mut out: HashMap<Tagged, Vec<TopicId>> =
            targets.iter().map(|t| (*t, Vec::new())).collect();
        if targets.is_empty() {
            return Ok(out);
        }
        let ids: Vec<Uuid> = targets.iter().map(|t| t.uuid()).collect();
        for row in topic_links::Entity::find()
            .filter(
                self.sql()
                    .one_of(topic_links::Column::TargetId.into_expr(), ids),
            )
            .order_by_asc(topic_links::Column::Position)
            .all(&self.db)
            .await
            .map_err(db_err)?
        {
            if let Some(target) = targets.iter().find(|t| t.uuid() == row.target_id)
                && let Some(list) = out.get_mut(target)
            {
                list.push(row.topic_id.into());
            }
        }
        Ok(out)
    }

    async fn experts_on(
        &self,
        topic: TopicId,
        narrowing: &ExpertNarrowing,
    ) -> DomainResult<Vec<(PersonId, ExpertiseLevel)>> {
        let mut select = select_from("expertise", "e");
        select
            .column(("e", "person_id"))
            .column(("e", "level"))
            .and_where(Expr::col(("e", "topic_id")).eq(topic.uuid()));
        if narrowing.cluster.is_some() || narrowing.language.is_some() {
            join(
                &mut select,
                "profiles",
                "pr",
                ("pr", "person_id"),
                ("e", "person_id"),
            );
        }
        if let Some(cluster) = narrowing.cluster {
            select.and_where(Expr::col(("pr", "region_cluster_id")).eq(cluster.uuid()));
        }
        if let Some(language) = &narrowing.language {
            // Languages are stored as a JSON list of two-letter codes.
            select.and_where(
                Expr::col(("pr", "languages")).like(LikeExpr::new(format!("%\"{language}\"%"))),
            );
        }
        if let Some(org) = narrowing.organization {
            let mut affiliated = select_from("affiliations", "af");
            affiliated
                .expr(Expr::val(1))
                .and_where(Expr::col(("af", "person_id")).equals(("e", "person_id")))
                .and_where(Expr::col(("af", "organization_id")).eq(org.uuid()));
            select.and_where(Expr::exists(affiliated));
        }
        let mut out = Vec::new();
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let person: Uuid = row.try_get("", "person_id").map_err(db_err)?;
            let level: String = row.try_get("", "level").map_err(db_err)?;
            out.push((
                person.into(),
                code!(ExpertiseLevel, "expertise.level", level)?,
            ));
        }
        Ok(out)
    }

    async fn recent_posts(
        &self,
        network: NetworkId,
        people: &[PersonId],
        since: DateTime<Utc>,
        visible: &CommunityFilter,
    ) -> DomainResult<HashMap<PersonId, u64>> {
        let mut out = HashMap::new();
        if people.is_empty() {
            return Ok(out);
        }
        let d = self.sql();
        let mut select = select_from("posts", "p");
        join(&mut select, "threads", "t", ("t", "id"), ("p", "thread_id"));
        join(&mut select, "spaces", "s", ("s", "id"), ("t", "space_id"));
        join(
            &mut select,
            "communities",
            "c",
            ("c", "id"),
            ("s", "community_id"),
        );
        join(
            &mut select,
            "networks",
            "n",
            ("n", "id"),
            ("c", "network_id"),
        );
        let readable = Cond::any()
            .add(Expr::col(("s", "visibility")).eq(SpaceVisibility::Public.code()))
            .add(
                Cond::all()
                    .add(Expr::col(("s", "visibility")).eq(SpaceVisibility::Members.code()))
                    .add(d.one_of(
                        Expr::col(("s", "community_id")),
                        convert::uuids(&visible.member_communities),
                    )),
            );
        select
            .expr_as(Expr::col(("p", "author_id")), "person_id")
            .expr_as(Func::count(Expr::col(("p", "id"))), "n")
            .and_where(Expr::col(("c", "network_id")).eq(network.uuid()))
            .and_where(d.one_of(Expr::col(("p", "author_id")), convert::uuids(people)))
            .and_where(Expr::col(("p", "created_at")).gte(since))
            .and_where(Expr::col(("p", "deleted")).eq(false))
            .and_where(Expr::col(("p", "hidden")).eq(false))
            .cond_where(community_visible(d, "c", "n", visible))
            .cond_where(readable)
            .group_by_col(("p", "author_id"));
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let person: Uuid = row.try_get("", "person_id").map_err(db_err)?;
            let n: i64 = row.try_get("", "n").map_err(db_err)?;
            out.insert(person.into(), u64::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }

    async fn community_topics(
        &self,
        communities: &[CommunityId],
    ) -> DomainResult<HashMap<CommunityId, Vec<TopicId>>> {
        let mut out: HashMap<CommunityId, Vec<TopicId>> =
            communities.iter().map(|c| (*c, Vec::new())).collect();
        if communities.is_empty() {
            return Ok(out);
        }
        let d = self.sql();
        let ids = convert::uuids(communities);
        let public = SpaceVisibility::Public.code();
        let mut threads = select_from("topic_links", "tl");
        join(
            &mut threads,
            "threads",
            "t",
            ("t", "id"),
            ("tl", "target_id"),
        );
        join(&mut threads, "spaces", "s", ("s", "id"), ("t", "space_id"));
        threads
            .expr_as(Expr::col(("s", "community_id")), "community_id")
            .and_where(Expr::col(("s", "visibility")).eq(public))
            .and_where(d.one_of(Expr::col(("s", "community_id")), ids.iter().copied()));
        let mut assets = select_from("topic_links", "tl");
        join(&mut assets, "assets", "a", ("a", "id"), ("tl", "target_id"));
        join(&mut assets, "spaces", "s", ("s", "id"), ("a", "space_id"));
        assets
            .expr_as(Expr::col(("a", "community_id")), "community_id")
            .and_where(Expr::col(("s", "visibility")).eq(public))
            .and_where(Expr::col(("a", "status")).eq(AssetStatus::Published.code()))
            .and_where(d.one_of(Expr::col(("a", "community_id")), ids.iter().copied()));
        let mut events = select_from("topic_links", "tl");
        join(&mut events, "events", "e", ("e", "id"), ("tl", "target_id"));
        events.join_as(
            sea_orm::sea_query::JoinType::LeftJoin,
            "spaces",
            "s",
            Expr::col(("s", "id")).equals(("e", "space_id")),
        );
        events
            .expr_as(Expr::col(("e", "community_id")), "community_id")
            .and_where(d.one_of(Expr::col(("e", "community_id")), ids.iter().copied()))
            .cond_where(
                Cond::any()
                    .add(Expr::col(("e", "space_id")).is_null())
                    .add(Expr::col(("s", "visibility")).eq(public)),
            );
        for mut select in [threads, assets, events] {
            select
                .column(("tl", "topic_id"))
                .order_by(("tl", "position"), sea_orm::Order::Asc);
            for row in self.db.query_all(&select).await.map_err(db_err)? {
                let c: Uuid = row.try_get("", "community_id").map_err(db_err)?;
                let t: Uuid = row.try_get("", "topic_id").map_err(db_err)?;
                if let Some(list) = out.get_mut(&CommunityId::from(c))
                    && !list.contains(&TopicId::from(t))
                {
                    list.push(t.into());
                }
            }
        }
        Ok(out)
    }

    async fn interested_in(&self, topics: &[TopicId]) -> DomainResult<Vec<(PersonId, TopicId)>> {
        if topics.is_empty() {
            return Ok(Vec::new());
        }
        Ok(interests::Entity::find()
            .filter(self.sql().one_of(
                interests::Column::TopicId.into_expr(),
                convert::uuids(topics),
            ))
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|m| (m.person_id.into(), m.topic_id.into()))
            .collect())
    }

    async fn recent_authors(
        &self,
        communities: &[CommunityId],
        since: DateTime<Utc>,
    ) -> DomainResult<Vec<PersonId>> {
        if communities.is_empty() {
            return Ok(Vec::new());
        }
        let d = self.sql();
        let mut select = select_from("posts", "p");
        join(&mut select, "threads", "t", ("t", "id"), ("p", "thread_id"));
        join(&mut select, "spaces", "s", ("s", "id"), ("t", "space_id"));
        select
            .expr_as(Expr::col(("p", "author_id")), "person_id")
            .expr_as(Func::max(Expr::col(("p", "created_at"))), "last_post")
            .and_where(d.one_of(
                Expr::col(("s", "community_id")),
                convert::uuids(communities),
            ))
            .and_where(Expr::col(("s", "visibility")).is_in([
                SpaceVisibility::Public.code(),
                SpaceVisibility::Members.code(),
            ]))
            .and_where(Expr::col(("p", "created_at")).gte(since))
            .and_where(Expr::col(("p", "deleted")).eq(false))
            .group_by_col(("p", "author_id"))
            .order_by(
                sea_orm::sea_query::Alias::new("last_post"),
                sea_orm::Order::Desc,
            )
            .limit(200);
        let mut out = Vec::new();
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let p: Uuid = row.try_get("", "person_id").map_err(db_err)?;
            out.push(p.into());
        }
        Ok(out)
    }
}
