use std::collections::HashMap;

use async_trait::async_trait;
use chrono::Utc;
use copnet_domain::{
    DomainError, DomainResult,
    ids::{NotificationId, PersonId, PostId, RevisionId, ThreadId},
    model::{
        Contribution, Emoji, FlagReason, Notification, Post, PostRevision, ReactionCount, Thread,
    },
    repo::DiscussionRepo,
    search::SearchKind,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
    sea_query::{Expr, ExprTrait, Func, OnConflict, Query},
};
use uuid::Uuid;

use super::{Store, convert, convert::code, lock_row, participation};
use crate::{
    entity::{
        flags, mentions, notifications, post_revisions, posts, reactions, read_markers, threads,
    },
    error::{db_err, unique_or},
    search::{analyze::plain_text, index},
};

fn post_row(p: &Post) -> posts::ActiveModel {
    posts::ActiveModel {
        id: Set(p.id.uuid()),
        thread_id: Set(p.thread_id.uuid()),
        author_id: Set(p.author_id.uuid()),
        body: Set(p.body.clone()),
        body_html: Set(p.body_html.clone()),
        reply_to: Set(p.reply_to.map(PostId::uuid)),
        hidden: Set(p.hidden),
        deleted: Set(p.deleted),
        created_at: Set(p.created_at),
        edited_at: Set(p.edited_at),
    }
}

async fn insert_extras(
    db: &impl ConnectionTrait,
    post: &Post,
    mentioned: &[PersonId],
    notes: &[Notification],
) -> DomainResult<()> {
    if !mentioned.is_empty() {
        mentions::Entity::insert_many(mentioned.iter().map(|person| mentions::ActiveModel {
            id: Set(Uuid::now_v7()),
            post_id: Set(post.id.uuid()),
            person_id: Set(person.uuid()),
            created_at: Set(post.created_at),
        }))
        .exec_without_returning(db)
        .await
        .map_err(db_err)?;
    }
    insert_notifications(db, notes).await
}

async fn insert_notifications(
    db: &impl ConnectionTrait,
    notes: &[Notification],
) -> DomainResult<()> {
    if notes.is_empty() {
        return Ok(());
    }
    notifications::Entity::insert_many(notes.iter().map(|n| notifications::ActiveModel {
        id: Set(n.id.uuid()),
        person_id: Set(n.person_id.uuid()),
        kind: Set(n.kind.code().to_owned()),
        actor_id: Set(n.actor_id.map(PersonId::uuid)),
        community_id: Set(n.community_id.map(|c| c.uuid())),
        thread_id: Set(n.thread_id.map(ThreadId::uuid)),
        post_id: Set(n.post_id.map(PostId::uuid)),
        invitation_id: Set(n.invitation_id.map(|i| i.uuid())),
        join_request_id: Set(n.join_request_id.map(|j| j.uuid())),
        created_at: Set(n.created_at),
        read_at: Set(n.read_at),
    }))
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Indexes a post's body as its readers see it (the Markdown's text); a hidden or deleted
/// post is not in the index, so that search never has to look at the posts themselves.
async fn index_post(txn: &impl ConnectionTrait, post: &Post, space: Uuid) -> DomainResult<()> {
    if post.hidden || post.deleted {
        return index::remove(txn, SearchKind::Post, post.id.uuid()).await;
    }
    let text = plain_text(&post.body);
    index::put_in_space(txn, SearchKind::Post, post.id.uuid(), space, "", &text).await
}

async fn load_thread(db: &impl ConnectionTrait, id: ThreadId) -> DomainResult<Thread> {
    threads::Entity::find_by_id(id.uuid())
        .one(db)
        .await
        .map_err(db_err)?
        .map(convert::thread)
        .ok_or(DomainError::NotFound("thread"))
}

#[async_trait]
impl DiscussionRepo for Store {
    async fn threads_by_ids(&self, ids: &[ThreadId]) -> DomainResult<Vec<Thread>> {
        let rows = threads::Entity::find()
            .filter(
                self.sql()
                    .one_of(threads::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(convert::thread).collect())
    }

    async fn posts_by_ids(&self, ids: &[PostId]) -> DomainResult<Vec<Post>> {
        let rows = posts::Entity::find()
            .filter(
                self.sql()
                    .one_of(posts::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        Ok(rows.into_iter().map(convert::post).collect())
    }

    async fn create_thread(
        &self,
        thread: &Thread,
        post: &Post,
        mentioned: &[PersonId],
        notes: &[Notification],
    ) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        threads::Entity::insert(threads::ActiveModel {
            id: Set(thread.id.uuid()),
            space_id: Set(thread.space_id.uuid()),
            author_id: Set(thread.author_id.uuid()),
            title: Set(thread.title.clone()),
            pinned: Set(thread.pinned),
            locked: Set(thread.locked),
            created_at: Set(thread.created_at),
            last_activity_at: Set(thread.last_activity_at),
            last_post_id: Set(thread.last_post_id.uuid()),
            post_count: Set(i32::try_from(thread.post_count).unwrap_or(i32::MAX)),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        posts::Entity::insert(post_row(post))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        insert_extras(&txn, post, mentioned, notes).await?;
        let space = thread.space_id.uuid();
        index::put_in_space(
            &txn,
            SearchKind::Thread,
            thread.id.uuid(),
            space,
            &thread.title,
            "",
        )
        .await?;
        index_post(&txn, post, space).await?;
        if let Some(community) =
            participation::community_of_space(&txn, thread.space_id.uuid()).await?
        {
            participation::tally(
                &txn,
                community,
                post.author_id.uuid(),
                Contribution::Post,
                1,
                post.created_at,
            )
            .await?;
        }
        txn.commit().await.map_err(db_err)
    }

    async fn create_post(
        &self,
        post: &Post,
        mentioned: &[PersonId],
        notes: &[Notification],
    ) -> DomainResult<Thread> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "threads", post.thread_id.uuid()).await?;
        posts::Entity::insert(post_row(post))
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        threads::Entity::update_many()
            .col_expr(threads::Column::LastActivityAt, Expr::val(post.created_at))
            .col_expr(threads::Column::LastPostId, Expr::val(post.id.uuid()))
            .col_expr(
                threads::Column::PostCount,
                Expr::col(threads::Column::PostCount).add(1),
            )
            .filter(threads::Column::Id.eq(post.thread_id.uuid()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        insert_extras(&txn, post, mentioned, notes).await?;
        let thread = load_thread(&txn, post.thread_id).await?;
        index_post(&txn, post, thread.space_id.uuid()).await?;
        if let Some(community) =
            participation::community_of_space(&txn, thread.space_id.uuid()).await?
        {
            participation::tally(
                &txn,
                community,
                post.author_id.uuid(),
                Contribution::Reply,
                1,
                post.created_at,
            )
            .await?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(thread)
    }

    async fn edit_post(&self, post: &Post, previous: &PostRevision) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        post_revisions::Entity::insert(post_revisions::ActiveModel {
            id: Set(previous.id.uuid()),
            post_id: Set(previous.post_id.uuid()),
            body: Set(previous.body.clone()),
            replaced_at: Set(previous.replaced_at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        posts::Entity::update(post_row(post))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        let thread = load_thread(&txn, post.thread_id).await?;
        index_post(&txn, post, thread.space_id.uuid()).await?;
        txn.commit().await.map_err(db_err)
    }

    async fn revisions_by_ids(&self, ids: &[RevisionId]) -> DomainResult<Vec<PostRevision>> {
        let rows = post_revisions::Entity::find()
            .filter(
                self.sql()
                    .one_of(post_revisions::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|r| PostRevision {
                id: r.id.into(),
                post_id: r.post_id.into(),
                body: r.body,
                replaced_at: r.replaced_at,
            })
            .collect())
    }

    async fn delete_post(&self, post: &Post) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        lock_row(&txn, "threads", post.thread_id.uuid()).await?;
        let changed = posts::Entity::update_many()
            .col_expr(posts::Column::Deleted, Expr::val(true))
            .col_expr(posts::Column::Body, Expr::val(""))
            .col_expr(posts::Column::BodyHtml, Expr::val(""))
            .filter(posts::Column::Id.eq(post.id.uuid()))
            .filter(posts::Column::Deleted.eq(false))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if changed.rows_affected > 0 {
            index::remove(&txn, SearchKind::Post, post.id.uuid()).await?;
            threads::Entity::update_many()
                .col_expr(
                    threads::Column::PostCount,
                    Expr::col(threads::Column::PostCount).sub(1),
                )
                .filter(threads::Column::Id.eq(post.thread_id.uuid()))
                .exec(&txn)
                .await
                .map_err(db_err)?;
            // Former bodies go too: a deletion must not leave the text behind.
            post_revisions::Entity::delete_many()
                .filter(post_revisions::Column::PostId.eq(post.id.uuid()))
                .exec(&txn)
                .await
                .map_err(db_err)?;
            // The thread's first post was counted as a thread started, the others as replies.
            let thread = load_thread(&txn, post.thread_id).await?;
            if let Some(community) =
                participation::community_of_space(&txn, thread.space_id.uuid()).await?
            {
                let first = posts::Entity::find()
                    .filter(posts::Column::ThreadId.eq(post.thread_id.uuid()))
                    .order_by_asc(posts::Column::Id)
                    .one(&txn)
                    .await
                    .map_err(db_err)?
                    .is_some_and(|p| p.id == post.id.uuid());
                let what = if first {
                    Contribution::Post
                } else {
                    Contribution::Reply
                };
                participation::tally(
                    &txn,
                    community,
                    post.author_id.uuid(),
                    what,
                    -1,
                    post.created_at,
                )
                .await?;
            }
        }
        txn.commit().await.map_err(db_err)
    }

    async fn set_hidden(&self, post: PostId, hidden: bool) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        posts::Entity::update_many()
            .col_expr(posts::Column::Hidden, Expr::val(hidden))
            .filter(posts::Column::Id.eq(post.uuid()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        // Out of the index while hidden, back in when shown again.
        if let Some(row) = posts::Entity::find_by_id(post.uuid())
            .one(&txn)
            .await
            .map_err(db_err)?
        {
            let shown = convert::post(row);
            let thread = load_thread(&txn, shown.thread_id).await?;
            index_post(&txn, &shown, thread.space_id.uuid()).await?;
        }
        txn.commit().await.map_err(db_err)
    }

    async fn set_thread_flags(
        &self,
        thread: ThreadId,
        locked: Option<bool>,
        pinned: Option<bool>,
    ) -> DomainResult<()> {
        let mut update =
            threads::Entity::update_many().filter(threads::Column::Id.eq(thread.uuid()));
        if let Some(locked) = locked {
            update = update.col_expr(threads::Column::Locked, Expr::val(locked));
        }
        if let Some(pinned) = pinned {
            update = update.col_expr(threads::Column::Pinned, Expr::val(pinned));
        }
        update.exec(&self.db).await.map_err(db_err)?;
        Ok(())
    }

    async fn add_reaction(
        &self,
        post: PostId,
        person: PersonId,
        emoji: Emoji,
    ) -> DomainResult<bool> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let at = Utc::now();
        let inserted = reactions::Entity::insert(reactions::ActiveModel {
            id: Set(Uuid::now_v7()),
            post_id: Set(post.uuid()),
            person_id: Set(person.uuid()),
            emoji: Set(emoji.code().to_owned()),
            created_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([
                reactions::Column::PostId,
                reactions::Column::PersonId,
                reactions::Column::Emoji,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        if inserted > 0
            && let Some(community) = participation::community_of_post(&txn, post.uuid()).await?
        {
            participation::tally(
                &txn,
                community,
                person.uuid(),
                Contribution::Reaction,
                1,
                at,
            )
            .await?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(inserted > 0)
    }

    async fn remove_reaction(
        &self,
        post: PostId,
        person: PersonId,
        emoji: Emoji,
    ) -> DomainResult<bool> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let Some(reaction) = reactions::Entity::find()
            .filter(reactions::Column::PostId.eq(post.uuid()))
            .filter(reactions::Column::PersonId.eq(person.uuid()))
            .filter(reactions::Column::Emoji.eq(emoji.code()))
            .one(&txn)
            .await
            .map_err(db_err)?
        else {
            return Ok(false);
        };
        let deleted = reactions::Entity::delete_by_id(reaction.id)
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if deleted.rows_affected > 0
            && let Some(community) = participation::community_of_post(&txn, post.uuid()).await?
        {
            participation::tally(
                &txn,
                community,
                person.uuid(),
                Contribution::Reaction,
                -1,
                reaction.created_at,
            )
            .await?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(deleted.rows_affected > 0)
    }

    async fn reaction_counts(
        &self,
        posts: &[PostId],
    ) -> DomainResult<HashMap<PostId, Vec<ReactionCount>>> {
        let select = Query::select()
            .column(reactions::Column::PostId)
            .column(reactions::Column::Emoji)
            .expr_as(Func::count(Expr::col(reactions::Column::Id)), "n")
            .from(reactions::Entity)
            .and_where(
                self.sql()
                    .one_of(Expr::col(reactions::Column::PostId), convert::uuids(posts)),
            )
            .group_by_col(reactions::Column::PostId)
            .group_by_col(reactions::Column::Emoji)
            .take();
        let mut out: HashMap<PostId, Vec<ReactionCount>> = HashMap::new();
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let post: Uuid = row.try_get("", "post_id").map_err(db_err)?;
            let emoji: String = row.try_get("", "emoji").map_err(db_err)?;
            let n: i64 = row.try_get("", "n").map_err(db_err)?;
            out.entry(post.into()).or_default().push(ReactionCount {
                emoji: code!(Emoji, "reactions.emoji", emoji)?,
                count: u32::try_from(n).unwrap_or(u32::MAX),
            });
        }
        for counts in out.values_mut() {
            counts.sort_by_key(|c| c.emoji);
        }
        Ok(out)
    }

    async fn reactions_of(
        &self,
        person: PersonId,
        posts: &[PostId],
    ) -> DomainResult<HashMap<PostId, Vec<Emoji>>> {
        let rows: Vec<(Uuid, String)> = reactions::Entity::find()
            .select_only()
            .column(reactions::Column::PostId)
            .column(reactions::Column::Emoji)
            .filter(reactions::Column::PersonId.eq(person.uuid()))
            .filter(
                self.sql()
                    .one_of(reactions::Column::PostId.into_expr(), convert::uuids(posts)),
            )
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(db_err)?;
        let mut out: HashMap<PostId, Vec<Emoji>> = HashMap::new();
        for (post, emoji) in rows {
            out.entry(post.into())
                .or_default()
                .push(code!(Emoji, "reactions.emoji", emoji)?);
        }
        Ok(out)
    }

    async fn mentions(&self, posts: &[PostId]) -> DomainResult<HashMap<PostId, Vec<PersonId>>> {
        let rows: Vec<(Uuid, Uuid)> = mentions::Entity::find()
            .select_only()
            .column(mentions::Column::PostId)
            .column(mentions::Column::PersonId)
            .filter(
                self.sql()
                    .one_of(mentions::Column::PostId.into_expr(), convert::uuids(posts)),
            )
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(db_err)?;
        let mut out: HashMap<PostId, Vec<PersonId>> = HashMap::new();
        for (post, person) in rows {
            out.entry(post.into()).or_default().push(person.into());
        }
        Ok(out)
    }

    async fn flag(
        &self,
        post: PostId,
        person: PersonId,
        reason: FlagReason,
        note: &str,
    ) -> DomainResult<()> {
        flags::Entity::insert(flags::ActiveModel {
            id: Set(Uuid::now_v7()),
            post_id: Set(post.uuid()),
            person_id: Set(person.uuid()),
            reason: Set(reason.code().to_owned()),
            note: Set(note.to_owned()),
            created_at: Set(Utc::now()),
        })
        .exec_without_returning(&self.db)
        .await
        .map_err(unique_or("you have already flagged this post"))?;
        Ok(())
    }

    async fn flag_counts(&self, posts: &[PostId]) -> DomainResult<HashMap<PostId, u32>> {
        let select = Query::select()
            .column(flags::Column::PostId)
            .expr_as(Func::count(Expr::col(flags::Column::Id)), "n")
            .from(flags::Entity)
            .and_where(
                self.sql()
                    .one_of(Expr::col(flags::Column::PostId), convert::uuids(posts)),
            )
            .group_by_col(flags::Column::PostId)
            .take();
        let mut out = HashMap::new();
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let post: Uuid = row.try_get("", "post_id").map_err(db_err)?;
            let n: i64 = row.try_get("", "n").map_err(db_err)?;
            out.insert(post.into(), u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(out)
    }

    async fn mark_read(
        &self,
        person: PersonId,
        thread: ThreadId,
        post: PostId,
    ) -> DomainResult<()> {
        let txn = self.db.begin().await.map_err(db_err)?;
        let existing = read_markers::Entity::find()
            .filter(read_markers::Column::PersonId.eq(person.uuid()))
            .filter(read_markers::Column::ThreadId.eq(thread.uuid()))
            .one(&txn)
            .await
            .map_err(db_err)?;
        match existing {
            Some(marker) if marker.last_read_post_id >= post.uuid() => {}
            Some(marker) => {
                read_markers::Entity::update(read_markers::ActiveModel {
                    id: Set(marker.id),
                    last_read_post_id: Set(post.uuid()),
                    updated_at: Set(Utc::now()),
                    ..Default::default()
                })
                .exec(&txn)
                .await
                .map_err(db_err)?;
            }
            None => {
                read_markers::Entity::insert(read_markers::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    person_id: Set(person.uuid()),
                    thread_id: Set(thread.uuid()),
                    last_read_post_id: Set(post.uuid()),
                    updated_at: Set(Utc::now()),
                })
                .on_conflict(
                    OnConflict::columns([
                        read_markers::Column::PersonId,
                        read_markers::Column::ThreadId,
                    ])
                    .update_columns([
                        read_markers::Column::LastReadPostId,
                        read_markers::Column::UpdatedAt,
                    ])
                    .to_owned(),
                )
                .exec_without_returning(&txn)
                .await
                .map_err(db_err)?;
            }
        }
        txn.commit().await.map_err(db_err)
    }

    async fn unread_counts(
        &self,
        person: PersonId,
        threads: &[ThreadId],
    ) -> DomainResult<HashMap<ThreadId, u32>> {
        // Posts newer than the marker (all posts without one), not deleted, not the person's.
        let select = Query::select()
            .expr_as(Expr::col(("p", "thread_id")), "thread_id")
            .expr_as(Func::count(Expr::col(("p", "id"))), "n")
            .from_as("posts", "p")
            .join_as(
                sea_orm::sea_query::JoinType::LeftJoin,
                "read_markers",
                "m",
                Expr::col(("m", "thread_id"))
                    .equals(("p", "thread_id"))
                    .and(Expr::col(("m", "person_id")).eq(person.uuid())),
            )
            .and_where(
                self.sql()
                    .one_of(Expr::col(("p", "thread_id")), convert::uuids(threads)),
            )
            .and_where(Expr::col(("p", "deleted")).eq(false))
            .and_where(Expr::col(("p", "author_id")).ne(person.uuid()))
            .and_where(
                Expr::col(("m", "last_read_post_id"))
                    .is_null()
                    .or(Expr::col(("p", "id")).gt(Expr::col(("m", "last_read_post_id")))),
            )
            .add_group_by([Expr::col(("p", "thread_id"))])
            .take();
        let mut out = HashMap::new();
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let thread: Uuid = row.try_get("", "thread_id").map_err(db_err)?;
            let n: i64 = row.try_get("", "n").map_err(db_err)?;
            out.insert(thread.into(), u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(out)
    }

    async fn notifications_by_ids(
        &self,
        ids: &[NotificationId],
    ) -> DomainResult<Vec<Notification>> {
        notifications::Entity::find()
            .filter(
                self.sql()
                    .one_of(notifications::Column::Id.into_expr(), convert::uuids(ids)),
            )
            .all(&self.db)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::notification)
            .collect()
    }

    async fn create_notifications(&self, notes: &[Notification]) -> DomainResult<()> {
        insert_notifications(&self.db, notes).await
    }

    async fn mark_notifications_read(
        &self,
        person: PersonId,
        ids: Option<&[NotificationId]>,
    ) -> DomainResult<u64> {
        let mut update = notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::val(Some(Utc::now())))
            .filter(notifications::Column::PersonId.eq(person.uuid()))
            .filter(notifications::Column::ReadAt.is_null());
        if let Some(ids) = ids {
            update = update.filter(
                self.sql()
                    .one_of(notifications::Column::Id.into_expr(), convert::uuids(ids)),
            );
        }
        Ok(update.exec(&self.db).await.map_err(db_err)?.rows_affected)
    }
}
