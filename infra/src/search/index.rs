//! Writing the index: every repository write that creates, changes or removes a searchable
//! thing calls [`put`] or [`remove`] in its own transaction, so the index never disagrees
//! with what committed.

use copnet_domain::{
    error::{DomainError, DomainResult},
    model::{Asset, Community, Convening, EventHost, Space},
    search::SearchKind,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::analyze::{MAX_ANALYSED_CHARS, cut, detect, plain_text, terms};
use crate::{
    entity::{clusters, communities, people, profiles, spaces},
    error::db_err,
};

/// A searchable thing's document.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// What it is.
    pub kind: SearchKind,
    /// Its id.
    pub id: Uuid,
    /// Its network, where it has one.
    pub network: Option<Uuid>,
    /// Its community, where it has one.
    pub community: Option<Uuid>,
    /// Its space, where it has one.
    pub space: Option<Uuid>,
    /// Its cluster (cluster events).
    pub cluster: Option<Uuid>,
    /// Its title or name.
    pub title: String,
    /// Its text (plain, not Markdown).
    pub body: String,
}

impl Doc {
    /// A document without a place yet.
    pub fn new(kind: SearchKind, id: Uuid, title: &str, body: &str) -> Self {
        Self {
            kind,
            id,
            network: None,
            community: None,
            space: None,
            cluster: None,
            title: cut(title, MAX_ANALYSED_CHARS).to_owned(),
            body: cut(body, MAX_ANALYSED_CHARS).to_owned(),
        }
    }

    /// In a network.
    pub fn network(mut self, id: Uuid) -> Self {
        self.network = Some(id);
        self
    }

    /// In a community.
    pub fn community(mut self, id: Uuid) -> Self {
        self.community = Some(id);
        self
    }

    /// In a space.
    pub fn space(mut self, id: Option<Uuid>) -> Self {
        self.space = id;
        self
    }

    /// In a cluster.
    pub fn cluster(mut self, id: Option<Uuid>) -> Self {
        self.cluster = id;
        self
    }
}

/// Writes (or rewrites) a document.
pub(crate) async fn put(conn: &impl ConnectionTrait, doc: Doc) -> DomainResult<()> {
    remove(conn, doc.kind, doc.id).await?;
    insert(conn, vec![doc]).await
}

/// Writes documents that the index does not hold yet, in one statement (bulk loads: at most
/// 1,000 documents, under every backend's limit of bound values).
pub(crate) async fn insert(conn: &impl ConnectionTrait, docs: Vec<Doc>) -> DomainResult<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert()
        .into_table("search_documents")
        .columns([
            "kind",
            "item_id",
            "network_id",
            "community_id",
            "space_id",
            "cluster_id",
            "language",
            "title_terms",
            "body_terms",
            "title",
            "body",
        ])
        .to_owned();
    for doc in docs {
        let language = detect(&format!("{} {}", doc.title, doc.body));
        insert
            .values([
                doc.kind.code().into(),
                doc.id.into(),
                doc.network.into(),
                doc.community.into(),
                doc.space.into(),
                doc.cluster.into(),
                language.code().into(),
                terms(language, &doc.title).into(),
                terms(language, &doc.body).into(),
                doc.title.into(),
                doc.body.into(),
            ])
            .map_err(DomainError::internal)?;
    }
    conn.execute(&insert).await.map_err(db_err)?;
    Ok(())
}

/// Removes a document (nothing when there is none).
pub(crate) async fn remove(
    conn: &impl ConnectionTrait,
    kind: SearchKind,
    id: Uuid,
) -> DomainResult<()> {
    let delete = Query::delete()
        .from_table("search_documents")
        .and_where(Expr::col("kind").eq(kind.code()))
        .and_where(Expr::col("item_id").eq(id))
        .take();
    conn.execute(&delete).await.map_err(db_err)?;
    Ok(())
}

/// The community and network of a space.
async fn place_of_space(
    conn: &impl ConnectionTrait,
    space: Uuid,
) -> DomainResult<Option<(Uuid, Uuid)>> {
    let Some(s) = spaces::Entity::find_by_id(space)
        .one(conn)
        .await
        .map_err(db_err)?
    else {
        return Ok(None);
    };
    Ok(network_of_community(conn, s.community_id)
        .await?
        .map(|n| (s.community_id, n)))
}

async fn network_of_community(
    conn: &impl ConnectionTrait,
    community: Uuid,
) -> DomainResult<Option<Uuid>> {
    Ok(communities::Entity::find_by_id(community)
        .one(conn)
        .await
        .map_err(db_err)?
        .map(|c| c.network_id))
}

/// Indexes a thing held by a space (thread, post, asset): its community and network are
/// looked up. Nothing when the space is gone.
pub(crate) async fn put_in_space(
    conn: &impl ConnectionTrait,
    kind: SearchKind,
    id: Uuid,
    space: Uuid,
    title: &str,
    body: &str,
) -> DomainResult<()> {
    if let Some((community, network)) = place_of_space(conn, space).await? {
        let doc = Doc::new(kind, id, title, body)
            .network(network)
            .community(community)
            .space(Some(space));
        put(conn, doc).await?;
    }
    Ok(())
}

/// Indexes a community (its own community, so narrowing to it finds it).
pub(crate) async fn put_community(conn: &impl ConnectionTrait, c: &Community) -> DomainResult<()> {
    let doc = Doc::new(SearchKind::Community, c.id.uuid(), &c.name, &c.description)
        .network(c.network_id.uuid())
        .community(c.id.uuid());
    put(conn, doc).await
}

/// Indexes a space.
pub(crate) async fn put_space(conn: &impl ConnectionTrait, s: &Space) -> DomainResult<()> {
    if let Some(network) = network_of_community(conn, s.community_id.uuid()).await? {
        let doc = Doc::new(SearchKind::Space, s.id.uuid(), &s.name, &s.description)
            .network(network)
            .community(s.community_id.uuid())
            .space(Some(s.id.uuid()));
        put(conn, doc).await?;
    }
    Ok(())
}

/// Indexes an asset: its title, summary, tags and body.
pub(crate) async fn put_asset(conn: &impl ConnectionTrait, a: &Asset) -> DomainResult<()> {
    let c = &a.content;
    let body = format!("{} {} {}", c.summary, c.tags.join(" "), plain_text(&c.body));
    put_in_space(
        conn,
        SearchKind::Asset,
        a.id.uuid(),
        a.space_id.uuid(),
        &c.title,
        &body,
    )
    .await
}

/// Indexes an event, of a community (and space) or of a cluster.
pub(crate) async fn put_event(conn: &impl ConnectionTrait, e: &Convening) -> DomainResult<()> {
    let doc = Doc::new(SearchKind::Event, e.id.uuid(), &e.title, &e.description);
    let doc = match e.host {
        EventHost::Community { community, space } => {
            let Some(network) = network_of_community(conn, community.uuid()).await? else {
                return Ok(());
            };
            doc.network(network)
                .community(community.uuid())
                .space(space.map(|s| s.uuid()))
        }
        EventHost::Cluster(cluster) => {
            let Some(row) = clusters::Entity::find_by_id(cluster.uuid())
                .one(conn)
                .await
                .map_err(db_err)?
            else {
                return Ok(());
            };
            doc.network(row.network_id).cluster(Some(cluster.uuid()))
        }
    };
    put(conn, doc).await
}

/// Indexes a person: their display name and bio, as stored.
pub(crate) async fn put_person(conn: &impl ConnectionTrait, person: Uuid) -> DomainResult<()> {
    let Some(p) = people::Entity::find_by_id(person)
        .one(conn)
        .await
        .map_err(db_err)?
    else {
        return Ok(());
    };
    let bio = profiles::Entity::find()
        .filter(profiles::Column::PersonId.eq(person))
        .one(conn)
        .await
        .map_err(db_err)?
        .map(|p| p.bio)
        .unwrap_or_default();
    put(
        conn,
        Doc::new(SearchKind::Person, person, &p.display_name, &bio),
    )
    .await
}
