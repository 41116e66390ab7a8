//! Replaying committed posts to a subscriber that resumes after a cursor, or that may have
//! missed events while its replica was cut off from the others. The caller brings the proof
//! that it reads the thread or space; every replayed post is admitted by the same steps.

use std::sync::Arc;

use uuid::Uuid;

use super::Services;
use crate::{
    error::DomainResult,
    ids::PostId,
    model::{Post, Space, Thread},
    policy::proof::{self, Readable},
    repo::PostScope,
};

/// A replayed post with its thread as it now is.
pub type Replayed = (Readable<Thread>, Readable<Post>);

impl Services {
    /// Up to `limit` posts of a readable thread committed after `after`, oldest first.
    pub async fn replay_thread(
        &self,
        thread: &Readable<Thread>,
        after: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<Replayed>> {
        let rows = self
            .repos
            .replay
            .posts_after(PostScope::Thread(thread.id), after, limit)
            .await?;
        Ok(admit(thread.space(), rows))
    }

    /// Up to `limit` posts of the threads of a readable space committed after `after`,
    /// oldest first.
    pub async fn replay_space(
        &self,
        space: &Readable<Space>,
        after: Option<Uuid>,
        limit: u64,
    ) -> DomainResult<Vec<Replayed>> {
        let rows = self
            .repos
            .replay
            .posts_after(PostScope::Space(space.id), after, limit)
            .await?;
        Ok(admit(space, rows))
    }

    /// The newest post of a readable space.
    pub async fn newest_in_space(&self, space: &Readable<Space>) -> DomainResult<Option<PostId>> {
        self.repos
            .replay
            .newest_post(PostScope::Space(space.id))
            .await
    }
}

fn admit(space: &Readable<Space>, rows: Vec<(Thread, Post)>) -> Vec<Replayed> {
    rows.into_iter()
        .filter_map(|(thread, post)| {
            let thread = proof::read_thread(space, Arc::new(thread))?;
            let post = proof::read_post(&thread, Arc::new(post))?;
            Some((thread, post))
        })
        .collect()
}
