//! The domain's filter descriptions and listings, translated to SQL. Every list is a [`Spec`]:
//! a `FROM ... WHERE ...` plus three columns (the parent, the ordering key, the node), so one
//! generic pager (`repo::listing`) serves all of them on both databases.

use copnet_domain::{
    listing::{AssetFilter, AssetSeen, Listing, ReadableSpaces},
    model::{
        AssetStatus, CommunityVisibility, MembershipStatus, NetworkVisibility, OnboardingStepKind,
        RsvpResponse, SpaceVisibility,
    },
    policy::filter::{CommunityFilter, NetworkFilter, PersonFilter, SpaceFilter},
};
use sea_orm::sea_query::{
    Cond, Expr, ExprTrait, Func, JoinType, LikeExpr, Query, SelectStatement, UnionType,
};
use uuid::Uuid;

use crate::{repo::uuids, sql::Dialect};

/// A column: (table alias, column).
pub(crate) type Col = (&'static str, &'static str);

/// What a listing selects from, and which columns are parent, key and node.
#[derive(Debug)]
pub(crate) struct Spec {
    /// `FROM`, joins and filters; no columns yet.
    pub from: SelectStatement,
    /// The column holding the parent id; `None` for root listings.
    pub parent: Option<Col>,
    /// The ordering key (a UUIDv7), used as cursor.
    pub key: Col,
    /// The id of the node.
    pub node: Col,
}

pub(crate) fn select_from(table: &'static str, alias: &'static str) -> SelectStatement {
    Query::select().from_as(table, alias).take()
}

pub(crate) fn join(
    select: &mut SelectStatement,
    table: &'static str,
    alias: &'static str,
    on: Col,
    to: Col,
) {
    select.join_as(JoinType::InnerJoin, table, alias, Expr::col(on).equals(to));
}

/// `LOWER(col) LIKE '%term%'` with the term's wildcards escaped.
fn contains(col: Col, term: &str) -> Expr {
    let escaped: String = term
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    Expr::expr(Func::lower(Expr::col(col))).like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}

/// Visible networks (alias `n`).
pub(crate) fn network_visible(d: Dialect, n: &'static str, filter: &NetworkFilter) -> Cond {
    Cond::any()
        .add(Expr::col((n, "visibility")).eq(NetworkVisibility::Public.code()))
        .add(d.one_of(Expr::col((n, "id")), uuids(&filter.member_networks)))
}

/// Visible communities (alias `c`, joined with its network as `n`).
pub(crate) fn community_visible(
    d: Dialect,
    c: &'static str,
    n: &'static str,
    filter: &CommunityFilter,
) -> Cond {
    let public = CommunityVisibility::Public.code();
    Cond::any()
        .add(
            Cond::all()
                .add(Expr::col((c, "visibility")).eq(public))
                .add(Expr::col((n, "visibility")).eq(NetworkVisibility::Public.code())),
        )
        .add(
            Cond::all()
                .add(Expr::col((c, "visibility")).ne(CommunityVisibility::Private.code()))
                .add(d.one_of(Expr::col((c, "network_id")), uuids(&filter.member_networks))),
        )
        .add(d.one_of(Expr::col((c, "id")), uuids(&filter.member_communities)))
}

/// Visible spaces of visible communities (alias `s`).
pub(crate) fn space_visible(d: Dialect, s: &'static str, filter: &SpaceFilter) -> Cond {
    Cond::any()
        .add(Expr::col((s, "visibility")).eq(SpaceVisibility::Public.code()))
        .add(d.one_of(
            Expr::col((s, "community_id")),
            uuids(&filter.member_communities),
        ))
}

/// Visible people (alias `p`): the caller, members of visible communities, stewards of
/// visible networks, coordinators of clusters of visible networks, people of organizations
/// the caller administers.
pub(crate) fn person_visible(d: Dialect, p: &'static str, filter: &PersonFilter) -> Cond {
    visible_people(d, p, filter, None)
}

/// [`person_visible`] for rows known to be among `among`: every position is looked up by
/// person (an index scan per position), so the cost follows `among`, not the tables.
pub(crate) fn person_visible_among(
    d: Dialect,
    p: &'static str,
    filter: &PersonFilter,
    among: &[Uuid],
) -> Cond {
    visible_people(d, p, filter, Some(among))
}

/// `p.id = me OR p.id IN (members UNION ALL stewards UNION ALL coordinators UNION ALL
/// affiliated)`: one set, computed once, instead of an `EXISTS` per position and row (which
/// PostgreSQL plans as hashed subplans over whole tables).
fn visible_people(
    d: Dialect,
    p: &'static str,
    filter: &PersonFilter,
    among: Option<&[Uuid]>,
) -> Cond {
    let networks = filter.communities.networks();
    let who = |select: &mut SelectStatement, alias: &'static str| {
        select.column((alias, "person_id"));
        if let Some(among) = among {
            select.and_where(d.one_of(Expr::col((alias, "person_id")), among.iter().copied()));
        }
    };

    let mut positions = select_from("memberships", "vm");
    join(
        &mut positions,
        "communities",
        "vc",
        ("vc", "id"),
        ("vm", "community_id"),
    );
    join(
        &mut positions,
        "networks",
        "vn",
        ("vn", "id"),
        ("vc", "network_id"),
    );
    who(&mut positions, "vm");
    positions
        .and_where(Expr::col(("vm", "status")).eq(MembershipStatus::Active.code()))
        .cond_where(community_visible(d, "vc", "vn", &filter.communities));

    let mut stewards = select_from("network_stewards", "vs");
    join(
        &mut stewards,
        "networks",
        "vsn",
        ("vsn", "id"),
        ("vs", "network_id"),
    );
    who(&mut stewards, "vs");
    stewards.cond_where(network_visible(d, "vsn", &networks));
    positions.union(UnionType::All, stewards);

    let mut coordinators = select_from("cluster_coordinators", "vk");
    join(
        &mut coordinators,
        "clusters",
        "vkc",
        ("vkc", "id"),
        ("vk", "cluster_id"),
    );
    join(
        &mut coordinators,
        "networks",
        "vkn",
        ("vkn", "id"),
        ("vkc", "network_id"),
    );
    who(&mut coordinators, "vk");
    coordinators.cond_where(network_visible(d, "vkn", &networks));
    positions.union(UnionType::All, coordinators);

    if !filter.administered.is_empty() {
        let mut affiliated = select_from("affiliations", "va");
        who(&mut affiliated, "va");
        affiliated.and_where(d.one_of(
            Expr::col(("va", "organization_id")),
            uuids(&filter.administered),
        ));
        positions.union(UnionType::All, affiliated);
    }

    let mut any = Cond::any();
    if let Some(me) = filter.me {
        any = any.add(Expr::col((p, "id")).eq(me.uuid()));
    }
    any.add(Expr::col((p, "id")).in_subquery(positions))
}

/// Readable spaces of one community (alias `s`), as [`ReadableSpaces`] describes them.
pub(crate) fn space_readable(d: Dialect, s: &'static str, spaces: &ReadableSpaces) -> Cond {
    let mut readable =
        Cond::any().add(Expr::col((s, "visibility")).eq(SpaceVisibility::Public.code()));
    if spaces.members {
        readable = readable.add(Expr::col((s, "visibility")).eq(SpaceVisibility::Members.code()));
    }
    let private = Expr::col((s, "visibility")).eq(SpaceVisibility::Private.code());
    if spaces.moderates {
        readable = readable.add(private);
    } else if !spaces.private_spaces.is_empty() {
        readable = readable.add(
            Cond::all()
                .add(private)
                .add(d.one_of(Expr::col((s, "id")), uuids(&spaces.private_spaces))),
        );
    }
    readable
}

/// Assets (alias `a`) whose status the caller sees, as [`AssetSeen`] describes it.
pub(crate) fn asset_seen(a: &'static str, seen: &AssetSeen) -> Cond {
    let shown = [AssetStatus::Published.code(), AssetStatus::Retired.code()];
    let mut any = Cond::any().add(Expr::col((a, "status")).is_in(shown));
    if seen.manages {
        return Cond::all();
    }
    if let Some(me) = seen.me {
        let mut named = select_from("asset_reviews", "ar");
        named
            .expr(Expr::val(1))
            .and_where(Expr::col(("ar", "asset_id")).equals((a, "id")))
            .and_where(Expr::col(("ar", "round")).equals((a, "review_round")))
            .and_where(Expr::col(("ar", "reviewer_id")).eq(me.uuid()));
        any = any.add(Expr::col((a, "author_id")).eq(me.uuid())).add(
            Cond::all()
                .add(Expr::col((a, "status")).eq(AssetStatus::InReview.code()))
                .add(Expr::exists(named)),
        );
    }
    any
}

/// An asset list's narrowing (alias `a`).
fn asset_filter(select: &mut SelectStatement, a: &'static str, filter: &AssetFilter) {
    if let Some(kind) = filter.kind {
        select.and_where(Expr::col((a, "kind")).eq(kind.code()));
    }
    if let Some(status) = filter.status {
        select.and_where(Expr::col((a, "status")).eq(status.code()));
    }
    if let Some(tag) = &filter.tag {
        let mut tagged = select_from("asset_tags", "at");
        tagged
            .expr(Expr::val(1))
            .and_where(Expr::col(("at", "asset_id")).equals((a, "id")))
            .and_where(Expr::col(("at", "tag")).eq(tag.clone()));
        select.and_where(Expr::exists(tagged));
    }
}

/// Members (alias `m`) who have not done this step by `now`.
fn step_not_done(
    m: &'static str,
    key: &str,
    kind: OnboardingStepKind,
    now: chrono::DateTime<chrono::Utc>,
) -> Expr {
    let mut done = match kind {
        OnboardingStepKind::FirstPost => {
            let mut posts = select_from("posts", "op");
            join(
                &mut posts,
                "threads",
                "ot",
                ("ot", "id"),
                ("op", "thread_id"),
            );
            join(&mut posts, "spaces", "os", ("os", "id"), ("ot", "space_id"));
            posts
                .and_where(Expr::col(("os", "community_id")).equals((m, "community_id")))
                .and_where(Expr::col(("op", "author_id")).equals((m, "person_id")));
            posts
        }
        OnboardingStepKind::FirstEvent => {
            let mut rsvps = select_from("rsvps", "orv");
            join(
                &mut rsvps,
                "events",
                "oe",
                ("oe", "id"),
                ("orv", "event_id"),
            );
            rsvps
                .and_where(Expr::col(("oe", "community_id")).equals((m, "community_id")))
                .and_where(Expr::col(("orv", "person_id")).equals((m, "person_id")))
                .and_where(Expr::col(("orv", "response")).eq(RsvpResponse::Going.code()))
                .and_where(Expr::col(("orv", "occurrence_start")).lte(now));
            rsvps
        }
        _ => {
            let mut marked = select_from("onboarding_completions", "oc");
            marked
                .and_where(Expr::col(("oc", "community_id")).equals((m, "community_id")))
                .and_where(Expr::col(("oc", "person_id")).equals((m, "person_id")))
                .and_where(Expr::col(("oc", "step_key")).eq(key));
            marked
        }
    };
    done.expr(Expr::val(1));
    Expr::exists(done).not()
}

fn communities_with_network() -> SelectStatement {
    let mut select = select_from("communities", "c");
    join(
        &mut select,
        "networks",
        "n",
        ("n", "id"),
        ("c", "network_id"),
    );
    select
}

fn own(table: &'static str, alias: &'static str, parent: Option<Col>) -> Spec {
    Spec {
        from: select_from(table, alias),
        parent,
        key: (alias, "id"),
        node: (alias, "id"),
    }
}

fn link(table: &'static str, parent: &'static str, node: &'static str) -> Spec {
    Spec {
        from: select_from(table, "l"),
        parent: Some(("l", parent)),
        key: ("l", "id"),
        node: ("l", node),
    }
}

/// The SQL of a listing.
pub(crate) fn spec(d: Dialect, listing: &Listing) -> Spec {
    match listing {
        Listing::Organizations { search } => {
            let mut spec = own("organizations", "o", None);
            if let Some(term) = search {
                spec.from.cond_where(
                    Cond::any()
                        .add(contains(("o", "name"), term))
                        .add(contains(("o", "slug"), term)),
                );
            }
            spec
        }
        Listing::Networks { visible } => {
            let mut spec = own("networks", "n", None);
            spec.from.cond_where(network_visible(d, "n", visible));
            spec
        }
        Listing::OrganizationServiceAccounts => {
            own("service_accounts", "sa", Some(("sa", "organization_id")))
        }
        Listing::OrganizationNetworks { visible } => {
            let mut spec = own("networks", "n", Some(("n", "host_organization_id")));
            spec.from.cond_where(network_visible(d, "n", visible));
            spec
        }
        Listing::Communities {
            visible,
            network,
            cluster,
            host_organization,
            stage,
            search,
        } => {
            let mut from = communities_with_network();
            from.cond_where(community_visible(d, "c", "n", visible));
            if let Some(network) = network {
                from.and_where(Expr::col(("c", "network_id")).eq(network.uuid()));
            }
            if let Some(cluster) = cluster {
                let mut in_cluster = select_from("community_clusters", "cc");
                in_cluster
                    .expr(Expr::val(1))
                    .and_where(Expr::col(("cc", "community_id")).equals(("c", "id")))
                    .and_where(Expr::col(("cc", "cluster_id")).eq(cluster.uuid()));
                from.and_where(Expr::exists(in_cluster));
            }
            if let Some(org) = host_organization {
                from.and_where(Expr::col(("c", "host_organization_id")).eq(org.uuid()));
            }
            if let Some(stage) = stage {
                from.and_where(Expr::col(("c", "stage")).eq(stage.code()));
            }
            if let Some(term) = search {
                from.cond_where(
                    Cond::any()
                        .add(contains(("c", "name"), term))
                        .add(contains(("c", "slug"), term)),
                );
            }
            Spec {
                from,
                parent: None,
                key: ("c", "id"),
                node: ("c", "id"),
            }
        }
        Listing::People { visible, search } => {
            let mut spec = own("people", "p", None);
            spec.from.cond_where(person_visible(d, "p", visible));
            if let Some(term) = search {
                spec.from.and_where(contains(("p", "display_name"), term));
            }
            spec
        }
        Listing::NetworkClusters => own("clusters", "k", Some(("k", "network_id"))),
        Listing::NetworkCommunities { visible } => {
            let mut from = communities_with_network();
            from.cond_where(community_visible(d, "c", "n", visible));
            Spec {
                from,
                parent: Some(("c", "network_id")),
                key: ("c", "id"),
                node: ("c", "id"),
            }
        }
        Listing::NetworkStewards => link("network_stewards", "network_id", "person_id"),
        Listing::NetworkTopics { search } => {
            let mut spec = own("topics", "tp", Some(("tp", "network_id")));
            if let Some(term) = search {
                let mut named = select_from("topic_names", "tn");
                named
                    .expr(Expr::val(1))
                    .and_where(Expr::col(("tn", "topic_id")).equals(("tp", "id")))
                    .and_where(contains(("tn", "name_key"), term));
                spec.from.and_where(Expr::exists(named));
            }
            spec
        }
        Listing::ClusterCommunities { visible } => {
            let mut from = select_from("community_clusters", "l");
            join(
                &mut from,
                "communities",
                "c",
                ("c", "id"),
                ("l", "community_id"),
            );
            join(&mut from, "networks", "n", ("n", "id"), ("c", "network_id"));
            from.cond_where(community_visible(d, "c", "n", visible));
            Spec {
                from,
                parent: Some(("l", "cluster_id")),
                key: ("l", "id"),
                node: ("l", "community_id"),
            }
        }
        Listing::ClusterCoordinators => link("cluster_coordinators", "cluster_id", "person_id"),
        Listing::CommunityClusters => link("community_clusters", "community_id", "cluster_id"),
        Listing::CommunityAllowedOrganizations => link(
            "community_allowed_organizations",
            "community_id",
            "organization_id",
        ),
        Listing::CommunitySpaces { visible } => {
            let mut spec = own("spaces", "s", Some(("s", "community_id")));
            spec.from.cond_where(space_visible(d, "s", visible));
            spec
        }
        Listing::CommunityMembers { role } => {
            let mut spec = own("memberships", "m", Some(("m", "community_id")));
            spec.from
                .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()));
            if let Some(role) = role {
                let mut with_role = select_from("membership_roles", "r");
                with_role
                    .expr(Expr::val(1))
                    .and_where(Expr::col(("r", "membership_id")).equals(("m", "id")))
                    .and_where(Expr::col(("r", "role")).eq(role.code()));
                spec.from.and_where(Expr::exists(with_role));
            }
            spec
        }
        Listing::CommunityJoinRequests { status } => {
            let mut spec = own("join_requests", "j", Some(("j", "community_id")));
            if let Some(status) = status {
                spec.from
                    .and_where(Expr::col(("j", "status")).eq(status.code()));
            }
            spec
        }
        Listing::CommunityInvitations { status } => {
            let mut spec = own("invitations", "i", Some(("i", "community_id")));
            if let Some(status) = status {
                spec.from
                    .and_where(Expr::col(("i", "status")).eq(status.code()));
            }
            spec
        }
        Listing::PersonAffiliations => own("affiliations", "a", Some(("a", "person_id"))),
        Listing::PersonMemberships { visible } => {
            let mut from = select_from("memberships", "m");
            join(
                &mut from,
                "communities",
                "c",
                ("c", "id"),
                ("m", "community_id"),
            );
            join(&mut from, "networks", "n", ("n", "id"), ("c", "network_id"));
            from.and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()))
                .cond_where(community_visible(d, "c", "n", visible));
            Spec {
                from,
                parent: Some(("m", "person_id")),
                key: ("m", "id"),
                node: ("m", "id"),
            }
        }
        Listing::PersonJoinRequests { status } => {
            let mut spec = own("join_requests", "j", Some(("j", "person_id")));
            if let Some(status) = status {
                spec.from
                    .and_where(Expr::col(("j", "status")).eq(status.code()));
            }
            spec
        }
        Listing::PersonInvitations { status } => {
            let mut spec = own("invitations", "i", Some(("i", "person_id")));
            if let Some(status) = status {
                spec.from
                    .and_where(Expr::col(("i", "status")).eq(status.code()));
            }
            spec
        }
        Listing::SpaceMembers => link("space_members", "space_id", "person_id"),
        Listing::SpaceThreads { pinned } => {
            // Ordered by the time-ordered id of each thread's newest post: activity order.
            let mut from = select_from("threads", "t");
            if let Some(pinned) = pinned {
                from.and_where(Expr::col(("t", "pinned")).eq(*pinned));
            }
            Spec {
                from,
                parent: Some(("t", "space_id")),
                key: ("t", "last_post_id"),
                node: ("t", "id"),
            }
        }
        Listing::ThreadPosts => own("posts", "p", Some(("p", "thread_id"))),
        Listing::PostReplies => own("posts", "p", Some(("p", "reply_to"))),
        Listing::PostRevisions => own("post_revisions", "r", Some(("r", "post_id"))),
        Listing::CommunityCharterRevisions => own("charters", "ch", Some(("ch", "community_id"))),
        Listing::CommunityStageHistory => own("stage_changes", "sc", Some(("sc", "community_id"))),
        Listing::CommunityStakeholders => own("stakeholders", "sh", Some(("sh", "community_id"))),
        Listing::CommunityFeedback => own("feedback", "fb", Some(("fb", "target_id"))),
        Listing::SpaceAssets { seen, filter } => {
            let mut spec = own("assets", "a", Some(("a", "space_id")));
            spec.from.cond_where(asset_seen("a", seen));
            asset_filter(&mut spec.from, "a", filter);
            spec
        }
        Listing::CommunityAssets {
            spaces,
            seen,
            filter,
        } => {
            let mut spec = own("assets", "a", Some(("a", "community_id")));
            join(
                &mut spec.from,
                "spaces",
                "s",
                ("s", "id"),
                ("a", "space_id"),
            );
            spec.from
                .cond_where(space_readable(d, "s", spaces))
                .cond_where(asset_seen("a", seen));
            asset_filter(&mut spec.from, "a", filter);
            spec
        }
        Listing::AssetVersions => own("asset_versions", "av", Some(("av", "asset_id"))),
        Listing::CommunityOnboardingStuck {
            joined_before,
            steps,
            now,
        } => {
            let mut spec = own("memberships", "m", Some(("m", "community_id")));
            spec.from
                .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()))
                .and_where(Expr::col(("m", "joined_at")).lt(*joined_before));
            let mut unfinished = Cond::any();
            for (key, kind) in steps {
                unfinished = unfinished.add(step_not_done("m", key, *kind, *now));
            }
            if steps.is_empty() {
                // A community without a journey has nobody stuck on it.
                unfinished = unfinished.add(Expr::val(1).eq(0));
            }
            spec.from.cond_where(unfinished);
            spec
        }
        Listing::PersonNotifications { unread_only } => {
            let mut spec = own("notifications", "n", Some(("n", "person_id")));
            if *unread_only {
                spec.from.and_where(Expr::col(("n", "read_at")).is_null());
            }
            spec
        }
    }
}
