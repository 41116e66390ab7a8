//! A deterministic, realistic network for benchmarks (`copnet seed-bench --scale N`), written
//! with multi-row inserts straight into the tables (the services would take hours).
//!
//! Scale 1: 300 organizations, 5,000 people (each affiliated with one), one public network
//! `bench` with 5 clusters and 50 communities (one in ten `NETWORK`, one in 25 `PRIVATE`, the
//! rest `PUBLIC`) of 300 members each (15,000 memberships), 10 spaces per community (7
//! `PUBLIC`, 2 `MEMBERS`, 1 `PRIVATE`), 20 threads per space, 10 to 30 posts per thread
//! (50 in the first thread of each community's first space; about 200,000 in all), reactions
//! on one post in three, a mention (and its notification) in one
//! post in ten. Each post names one of 200 practice terms (so a term is in about one post in
//! 200) and its field visit's number (one post each). Scale N multiplies organizations,
//! people and communities by N. Every id, name and time derives from the scale, so two runs
//! give the same rows; people are `bench-<i>` (sign in with a token for that subject).
//!
//! The derived tables are written as the services' writes keep them: the search index holds
//! every community, space, thread and post, and the participation tallies
//! (`activity_days`, `circle_states`) count every post, reply and reaction, each as if made
//! on one of the 120 days before the day of seeding (picked from its number), so that
//! `Community.health` and `Membership.circle` read as many rows as in a network in service;
//! the rows' own times stay in January 2026.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use copnet_domain::{
    model::{CircleInputs, CircleRules, CircleState, day_of, inner_until},
    search::SearchKind,
};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::{
    db::Database,
    entity::{
        activity_days, affiliations, circle_states, clusters, communities, community_clusters,
        membership_roles, memberships, mentions, network_stewards, networks, notifications,
        organizations, people, posts, reactions, space_members, spaces, threads,
    },
    error::InfraError,
    search::{analyze::plain_text, index},
};

/// Rows per insert statement (PostgreSQL takes at most 65,535 parameters).
const CHUNK: usize = 1_000;
/// Members per community.
const MEMBERS: usize = 300;
/// Spaces per community, and how many of them are `PUBLIC` and `MEMBERS`.
const SPACES: usize = 10;
const PUBLIC_SPACES: usize = 7;
const MEMBERS_SPACES: usize = 2;
/// Threads per space.
const THREADS: usize = 20;
const EMOJI: [&str; 4] = ["THUMBS_UP", "HEART", "LIGHTBULB", "CELEBRATE"];
/// Days before the seeding day over which the tallies spread the activity.
const ACTIVITY_DAYS: usize = 120;
/// The practice terms the posts name: 20 subjects in 10 variants each (200 terms).
const SUBJECTS: [&str; 20] = [
    "irrigation",
    "composting",
    "agroforestry",
    "microfinance",
    "vaccination",
    "sanitation",
    "mangroves",
    "beekeeping",
    "telemedicine",
    "literacy",
    "watershed",
    "solar",
    "fisheries",
    "cooperatives",
    "seedbanks",
    "drought",
    "nutrition",
    "mapping",
    "mentoring",
    "recycling",
];

/// The practice term of post number `n` (`irrigation3`, ...).
pub fn term_of(n: usize) -> String {
    format!("{}{}", SUBJECTS[pick(n, 7, SUBJECTS.len())], pick(n, 8, 10))
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct SeedReport {
    /// Organizations.
    pub organizations: usize,
    /// People.
    pub people: usize,
    /// Communities.
    pub communities: usize,
    /// Memberships.
    pub memberships: usize,
    /// Spaces.
    pub spaces: usize,
    /// Threads.
    pub threads: usize,
    /// Posts.
    pub posts: usize,
}

/// Time-ordered ids and times from a counter: each new id is later than the last.
struct Clock {
    base: DateTime<Utc>,
    n: u64,
}

impl Clock {
    fn next(&mut self) -> (Uuid, DateTime<Utc>) {
        self.n += 1;
        let at = self.base + Duration::milliseconds(i64::try_from(self.n).unwrap_or(i64::MAX));
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        let mut random = [0u8; 10];
        random[2..].copy_from_slice(&self.n.to_be_bytes());
        let id = uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid();
        (id, at)
    }
}

/// Buffers rows of one table and writes them in chunks.
struct Batch<A: sea_orm::ActiveModelTrait> {
    rows: Vec<A>,
}

impl<A> Batch<A>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    fn new() -> Self {
        Self { rows: Vec::new() }
    }

    fn push(&mut self, row: A) {
        self.rows.push(row);
    }

    fn full(&self) -> bool {
        self.rows.len() >= CHUNK
    }

    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), InfraError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        <A::Entity as EntityTrait>::insert_many(rows)
            .exec_without_returning(db)
            .await?;
        Ok(())
    }
}

/// A deterministic pick in `0..n` for the `i`-th choice of kind `salt`.
fn pick(i: usize, salt: usize, n: usize) -> usize {
    let mixed = (i as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add((salt as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9));
    usize::try_from((mixed ^ (mixed >> 31)) % (n as u64)).unwrap_or(0)
}

/// Seeds an empty database at `scale`, with `communities` communities when given (a smaller
/// run, for smoke tests); refuses a database that has organizations.
pub async fn seed_bench(
    database: &Database,
    scale: usize,
    communities: Option<usize>,
) -> Result<SeedReport, InfraError> {
    let db = database.conn();
    if organizations::Entity::find().count(db).await? > 0 {
        return Err(InfraError::Config(
            "seed-bench needs an empty database (it has organizations)".into(),
        ));
    }
    let scale = scale.max(1);
    let mut clock = Clock {
        base: Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default(),
        n: 0,
    };
    let report = SeedReport {
        organizations: 300 * scale,
        people: 5_000 * scale,
        communities: communities.unwrap_or(50 * scale),
        ..SeedReport::default()
    };

    let mut orgs = Vec::with_capacity(report.organizations);
    let mut batch = Batch::new();
    for i in 0..report.organizations {
        let (id, at) = clock.next();
        orgs.push(id);
        batch.push(organizations::ActiveModel {
            id: Set(id),
            slug: Set(format!("org-{i}")),
            name: Set(format!("Organization {i}")),
            created_at: Set(at),
        });
        if batch.full() {
            batch.flush(db).await?;
        }
    }
    batch.flush(db).await?;

    let mut persons = Vec::with_capacity(report.people);
    let mut batch = Batch::new();
    let mut ties = Batch::new();
    for i in 0..report.people {
        let (id, at) = clock.next();
        persons.push(id);
        batch.push(people::ActiveModel {
            id: Set(id),
            subject: Set(format!("bench-{i}")),
            display_name: Set(format!("Bench Person {i}")),
            email: Set(Some(format!("bench-{i}@example.org"))),
            created_at: Set(at),
        });
        let (tie, at) = clock.next();
        let role = if i < orgs.len() {
            "ORG_ADMIN"
        } else {
            "ORG_MEMBER"
        };
        ties.push(affiliations::ActiveModel {
            id: Set(tie),
            person_id: Set(id),
            organization_id: Set(orgs[i % orgs.len()]),
            role: Set(role.into()),
            created_at: Set(at),
        });
        if batch.full() {
            batch.flush(db).await?;
            ties.flush(db).await?;
        }
    }
    batch.flush(db).await?;
    ties.flush(db).await?;

    let (network, at) = clock.next();
    networks::Entity::insert(networks::ActiveModel {
        id: Set(network),
        slug: Set("bench".into()),
        name: Set("Bench Learning Network".into()),
        description: Set("A generated network for benchmarks.".into()),
        visibility: Set("PUBLIC".into()),
        host_organization_id: Set(orgs[0]),
        created_at: Set(at),
    })
    .exec_without_returning(db)
    .await?;
    let (steward, at) = clock.next();
    network_stewards::Entity::insert(network_stewards::ActiveModel {
        id: Set(steward),
        network_id: Set(network),
        person_id: Set(persons[0]),
        created_at: Set(at),
    })
    .exec_without_returning(db)
    .await?;
    let mut regions = Vec::new();
    for k in 0..5 {
        let (id, at) = clock.next();
        regions.push(id);
        clusters::Entity::insert(clusters::ActiveModel {
            id: Set(id),
            network_id: Set(network),
            slug: Set(format!("region-{k}")),
            name: Set(format!("Region {k}")),
            created_at: Set(at),
        })
        .exec_without_returning(db)
        .await?;
    }

    let place = Place {
        network,
        regions: &regions,
        orgs: &orgs,
        persons: &persons,
    };
    let mut seeder = Seeder {
        db,
        clock,
        rows: Rows::new(),
        report,
        network,
        now: Utc::now(),
        tallies: BTreeMap::new(),
    };
    for c in 0..seeder.report.communities {
        seeder.community(c, &place).await?;
    }
    seeder.rows.flush(db).await?;
    // Planner statistics and a vacuumed database now, as a database in service has them,
    // rather than whenever autovacuum gets to the new tables (until then every search also
    // reads the full-text index's pending list of two million new entries).
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }
    Ok(seeder.report)
}

/// The buffered rows of the tables under a community.
struct Rows {
    communities: Batch<communities::ActiveModel>,
    clusters: Batch<community_clusters::ActiveModel>,
    memberships: Batch<memberships::ActiveModel>,
    roles: Batch<membership_roles::ActiveModel>,
    spaces: Batch<spaces::ActiveModel>,
    space_members: Batch<space_members::ActiveModel>,
    threads: Batch<threads::ActiveModel>,
    posts: Batch<posts::ActiveModel>,
    reactions: Batch<reactions::ActiveModel>,
    mentions: Batch<mentions::ActiveModel>,
    notifications: Batch<notifications::ActiveModel>,
    activity: Batch<activity_days::ActiveModel>,
    states: Batch<circle_states::ActiveModel>,
    documents: Vec<index::Doc>,
}

impl Rows {
    fn new() -> Self {
        Self {
            communities: Batch::new(),
            clusters: Batch::new(),
            memberships: Batch::new(),
            roles: Batch::new(),
            spaces: Batch::new(),
            space_members: Batch::new(),
            threads: Batch::new(),
            posts: Batch::new(),
            reactions: Batch::new(),
            mentions: Batch::new(),
            notifications: Batch::new(),
            activity: Batch::new(),
            states: Batch::new(),
            documents: Vec::new(),
        }
    }

    /// Whether any table has a chunk's worth of rows.
    fn full(&self) -> bool {
        self.communities.full()
            || self.clusters.full()
            || self.memberships.full()
            || self.roles.full()
            || self.spaces.full()
            || self.space_members.full()
            || self.threads.full()
            || self.posts.full()
            || self.reactions.full()
            || self.mentions.full()
            || self.notifications.full()
            || self.activity.full()
            || self.states.full()
            || self.documents.len() >= CHUNK
    }

    /// Writes everything once a table has a chunk's worth.
    async fn maybe_flush(&mut self, db: &impl ConnectionTrait) -> Result<(), InfraError> {
        if self.full() {
            self.flush(db).await?;
        }
        Ok(())
    }

    /// Writes what is buffered, parents before children (every parent was pushed before its
    /// children).
    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), InfraError> {
        self.communities.flush(db).await?;
        self.clusters.flush(db).await?;
        self.memberships.flush(db).await?;
        self.roles.flush(db).await?;
        self.spaces.flush(db).await?;
        self.space_members.flush(db).await?;
        self.threads.flush(db).await?;
        self.posts.flush(db).await?;
        self.reactions.flush(db).await?;
        self.mentions.flush(db).await?;
        self.notifications.flush(db).await?;
        self.activity.flush(db).await?;
        self.states.flush(db).await?;
        Ok(index::insert(db, std::mem::take(&mut self.documents)).await?)
    }
}

/// What the communities are seeded into.
struct Place<'a> {
    network: Uuid,
    regions: &'a [Uuid],
    orgs: &'a [Uuid],
    persons: &'a [Uuid],
}

/// The state of a seeding run.
struct Seeder<'a, C> {
    db: &'a C,
    clock: Clock,
    rows: Rows,
    report: SeedReport,
    /// The network.
    network: Uuid,
    /// When the seeding runs: the tallies' days end on its day.
    now: DateTime<Utc>,
    /// The current community's tallies: (person, day) to posts, replies, reactions.
    tallies: BTreeMap<(Uuid, i32), [i32; 3]>,
}

impl<C: ConnectionTrait> Seeder<'_, C> {
    async fn community(&mut self, c: usize, place: &Place<'_>) -> Result<(), InfraError> {
        let Place {
            network,
            regions,
            orgs,
            persons,
        } = *place;
        let (community, at) = self.clock.next();
        let visibility = match c {
            c if c % 25 == 24 => "PRIVATE",
            c if c % 10 == 9 => "NETWORK",
            _ => "PUBLIC",
        };
        let policy = ["OPEN", "APPROVAL", "INVITE_ONLY"][c % 3];
        self.rows.communities.push(communities::ActiveModel {
            id: Set(community),
            network_id: Set(network),
            slug: Set(format!("community-{c}")),
            name: Set(format!("Community of Practice {c}")),
            description: Set(format!(
                "Practitioners of topic {c} sharing what works across organizations."
            )),
            visibility: Set(visibility.into()),
            join_policy: Set(policy.into()),
            stage: Set("ACTIVE".into()),
            host_organization_id: Set(Some(orgs[c % orgs.len()])),
            created_at: Set(at),
            updated_at: Set(at),
        });
        self.rows.documents.push(
            index::Doc::new(
                SearchKind::Community,
                community,
                &format!("Community of Practice {c}"),
                &format!("Practitioners of topic {c} sharing what works across organizations."),
            )
            .network(network)
            .community(community),
        );
        let (tie, at) = self.clock.next();
        self.rows.clusters.push(community_clusters::ActiveModel {
            id: Set(tie),
            community_id: Set(community),
            cluster_id: Set(regions[c % regions.len()]),
            created_at: Set(at),
        });
        self.rows.flush(self.db).await?;

        // Members: 300 distinct people (17 is prime to the people count's factors).
        let members: Vec<Uuid> = (0..MEMBERS)
            .map(|k| persons[(c * 37 + k * 17) % persons.len()])
            .collect();
        let mut joined = Vec::with_capacity(MEMBERS);
        for (k, person) in members.iter().enumerate() {
            let (membership, at) = self.clock.next();
            joined.push((membership, *person, at, k < 10));
            self.rows.memberships.push(memberships::ActiveModel {
                id: Set(membership),
                community_id: Set(community),
                person_id: Set(*person),
                status: Set("ACTIVE".into()),
                joined_at: Set(at),
                ended_at: Set(None),
            });
            let role = match k {
                0 => "MANAGER",
                1 | 2 => "MODERATOR",
                3..=9 => "CORE",
                _ => "MEMBER",
            };
            let (id, at) = self.clock.next();
            self.rows.roles.push(membership_roles::ActiveModel {
                id: Set(id),
                membership_id: Set(membership),
                role: Set(role.into()),
                created_at: Set(at),
            });
        }
        self.report.memberships += members.len();

        for s in 0..SPACES {
            let (space, at) = self.clock.next();
            let visibility = if s < PUBLIC_SPACES {
                "PUBLIC"
            } else if s < PUBLIC_SPACES + MEMBERS_SPACES {
                "MEMBERS"
            } else {
                "PRIVATE"
            };
            self.rows.spaces.push(spaces::ActiveModel {
                id: Set(space),
                community_id: Set(community),
                slug: Set(format!("space-{s}")),
                name: Set(format!("Space {s}")),
                description: Set(format!("Conversations of space {s}.")),
                visibility: Set(visibility.into()),
                created_at: Set(at),
            });
            self.rows.documents.push(
                index::Doc::new(
                    SearchKind::Space,
                    space,
                    &format!("Space {s}"),
                    &format!("Conversations of space {s}."),
                )
                .network(network)
                .community(community)
                .space(Some(space)),
            );
            self.report.spaces += 1;
            if visibility == "PRIVATE" {
                for person in &members[..5] {
                    let (id, at) = self.clock.next();
                    self.rows.space_members.push(space_members::ActiveModel {
                        id: Set(id),
                        space_id: Set(space),
                        person_id: Set(*person),
                        created_at: Set(at),
                    });
                }
            }
            for t in 0..THREADS {
                self.thread(community, space, &members, (c, s, t)).await?;
            }
        }
        self.circles(community, &joined).await
    }

    /// The community's day rows from its tallies, and each member's circle decided from
    /// them as the services decide it.
    async fn circles(
        &mut self,
        community: Uuid,
        joined: &[(Uuid, Uuid, DateTime<Utc>, bool)],
    ) -> Result<(), InfraError> {
        let mut days: BTreeMap<Uuid, Vec<(i32, u32)>> = BTreeMap::new();
        for ((person, day), [posts, replies, reactions]) in std::mem::take(&mut self.tallies) {
            let (id, _) = self.clock.next();
            self.rows.activity.push(activity_days::ActiveModel {
                id: Set(id),
                community_id: Set(community),
                person_id: Set(person),
                day: Set(day),
                posts: Set(posts),
                replies: Set(replies),
                reactions: Set(reactions),
                rsvps: Set(0),
                assets: Set(0),
            });
            let contributions = u32::try_from(posts + replies).unwrap_or(0);
            days.entry(person).or_default().push((day, contributions));
            self.rows.maybe_flush(self.db).await?;
        }
        let rules = CircleRules::default();
        for &(membership, person, joined_at, core) in joined {
            let inputs = CircleInputs {
                core,
                inner_until: days
                    .get(&person)
                    .and_then(|d| inner_until(d, self.now, &rules)),
                joined_at,
            };
            let state = CircleState::initial(inputs, &rules, self.now);
            let (id, _) = self.clock.next();
            self.rows.states.push(circle_states::ActiveModel {
                id: Set(id),
                membership_id: Set(membership),
                community_id: Set(community),
                circle: Set(state.circle.code().to_owned()),
                since: Set(state.since),
                core: Set(core),
                inner_until: Set(inputs.inner_until),
                joined_at: Set(joined_at),
            });
        }
        self.rows.maybe_flush(self.db).await
    }

    /// Counts one contribution (0 post, 1 reply, 2 reaction) of a person on post `n`'s day.
    fn tally(&mut self, person: Uuid, n: usize, what: usize) {
        let back = i32::try_from(pick(n, 9, ACTIVITY_DAYS)).unwrap_or(0);
        let day = day_of(self.now) - back;
        self.tallies.entry((person, day)).or_default()[what] += 1;
    }

    async fn thread(
        &mut self,
        community: Uuid,
        space: Uuid,
        members: &[Uuid],
        (c, s, t): (usize, usize, usize),
    ) -> Result<(), InfraError> {
        let index = (c * SPACES + s) * THREADS + t;
        // The first thread of each community's first space is long (the thread-page workload).
        let count = if s == 0 && t == 0 {
            50
        } else {
            10 + pick(index, 1, 21)
        };
        let (thread, started) = self.clock.next();
        let starter = members[pick(index, 2, members.len())];
        let mut post_rows = Vec::with_capacity(count);
        for k in 0..count {
            let (post, at) = self.clock.next();
            let author = if k == 0 {
                starter
            } else {
                members[pick(index * 31 + k, 3, members.len())]
            };
            post_rows.push((post, at, author, k));
        }
        let (last, last_at, _, _) = post_rows[count - 1];
        let title = format!("Thread {t} of space {s} in community {c}");
        self.rows.documents.push(
            index::Doc::new(SearchKind::Thread, thread, &title, "")
                .network(self.network)
                .community(community)
                .space(Some(space)),
        );
        self.rows.threads.push(threads::ActiveModel {
            id: Set(thread),
            space_id: Set(space),
            author_id: Set(starter),
            title: Set(title),
            pinned: Set(t == 0),
            locked: Set(false),
            created_at: Set(started),
            last_activity_at: Set(last_at),
            last_post_id: Set(last),
            post_count: Set(i32::try_from(count).unwrap_or(i32::MAX)),
        });
        for (post, at, author, k) in post_rows {
            let n = self.report.posts;
            let term = term_of(n);
            let body = format!(
                "Post {k} of thread {t} on {term}: what we learned in **field visit {n}**, and what \
             we would do differently. See the [toolkit](https://example.org/toolkit/{n}) for the \
             template we used."
            );
            let html = format!(
                "<p>Post {k} of thread {t} on {term}: what we learned in <strong>field visit \
             {n}</strong>, and what we would do differently. See the <a \
             href=\"https://example.org/toolkit/{n}\" rel=\"noopener noreferrer\">toolkit</a> for \
             the template we used.</p>\n"
            );
            self.rows.documents.push(
                index::Doc::new(SearchKind::Post, post, "", &plain_text(&body))
                    .network(self.network)
                    .community(community)
                    .space(Some(space)),
            );
            self.tally(author, n, usize::from(k > 0));
            self.rows.posts.push(posts::ActiveModel {
                id: Set(post),
                thread_id: Set(thread),
                author_id: Set(author),
                body: Set(body),
                body_html: Set(html),
                reply_to: Set(None),
                hidden: Set(false),
                deleted: Set(false),
                created_at: Set(at),
                edited_at: Set(None),
            });
            self.report.posts += 1;
            if n.is_multiple_of(3) {
                for r in 0..1 + pick(n, 4, 3) {
                    self.tally(members[pick(n * 7 + r, 5, members.len())], n, 2);
                    let (id, at) = self.clock.next();
                    self.rows.reactions.push(reactions::ActiveModel {
                        id: Set(id),
                        post_id: Set(post),
                        person_id: Set(members[pick(n * 7 + r, 5, members.len())]),
                        emoji: Set(EMOJI[(n + r) % EMOJI.len()].into()),
                        created_at: Set(at),
                    });
                }
            }
            if n.is_multiple_of(10) {
                let mentioned = members[pick(n, 6, members.len())];
                let (id, at) = self.clock.next();
                self.rows.mentions.push(mentions::ActiveModel {
                    id: Set(id),
                    post_id: Set(post),
                    person_id: Set(mentioned),
                    created_at: Set(at),
                });
                let (id, at) = self.clock.next();
                self.rows.notifications.push(notifications::ActiveModel {
                    id: Set(id),
                    person_id: Set(mentioned),
                    kind: Set("MENTION".into()),
                    actor_id: Set(Some(author)),
                    community_id: Set(Some(community)),
                    thread_id: Set(Some(thread)),
                    post_id: Set(Some(post)),
                    invitation_id: Set(None),
                    join_request_id: Set(None),
                    created_at: Set(at),
                    read_at: Set(None),
                });
            }
        }
        self.report.threads += 1;
        self.rows.maybe_flush(self.db).await
    }
}
