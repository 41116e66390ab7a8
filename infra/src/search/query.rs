//! The search statements: the text match of each database, and one `WHERE` holding the
//! caller's rights for every kind, shared by the page of hits and the counts by kind.

use copnet_domain::{
    listing::AssetSeen,
    model::{MembershipStatus, SpaceVisibility},
    policy::filter::SpaceFilter,
    search::{SearchKind, SearchRequest, SearchScope},
};
use sea_orm::{
    DbBackend,
    sea_query::{Alias, Cond, Expr, ExprTrait, Func, JoinType, Order, SelectStatement},
};

use super::analyze::Parsed;
use crate::{
    listing::{
        Col, asset_seen, community_visible, join, person_visible, select_from, space_visible,
    },
    repo::uuids,
    sql::Dialect,
};

const D: &str = "d";

fn col(c: &'static str) -> Expr {
    Expr::col((D, c))
}

fn kind_is(kind: SearchKind) -> Expr {
    col("kind").eq(kind.code())
}

fn left_join(select: &mut SelectStatement, table: &'static str, alias: &'static str, on: Col) {
    select.join_as(
        JoinType::LeftJoin,
        table,
        alias,
        Expr::col((alias, "id")).equals(on),
    );
}

/// Spaces (alias `s`) the caller reads, anywhere: the global form of `ReadableSpaces`.
fn space_readable(d: Dialect, scope: &SearchScope) -> Cond {
    let vis = |v: SpaceVisibility| Expr::col(("s", "visibility")).eq(v.code());
    let community = || Expr::col(("s", "community_id"));
    Cond::any()
        .add(vis(SpaceVisibility::Public))
        .add(
            Cond::all()
                .add(vis(SpaceVisibility::Members))
                .add(d.one_of(community(), uuids(&scope.communities.member_communities))),
        )
        .add(
            Cond::all()
                .add(vis(SpaceVisibility::Private))
                .add(d.one_of(community(), uuids(&scope.moderates))),
        )
        .add(
            Cond::all()
                .add(vis(SpaceVisibility::Private))
                .add(d.one_of(Expr::col(("s", "id")), uuids(&scope.private_spaces)))
                .add(d.one_of(community(), uuids(&scope.member_of))),
        )
}

/// Assets whose status the caller sees.
fn asset_shown(d: Dialect, scope: &SearchScope) -> Expr {
    let seen = AssetSeen {
        me: scope.me,
        manages: false,
    };
    let mut shown = select_from("assets", "a");
    shown
        .expr(Expr::val(1))
        .and_where(Expr::col(("a", "id")).equals((D, "item_id")))
        .cond_where(
            Cond::any()
                .add(asset_seen("a", &seen))
                .add(d.one_of(Expr::col(("a", "community_id")), uuids(&scope.manages))),
        );
    Expr::exists(shown)
}

/// Every kind's read rule, for the kinds searched.
fn readable(d: Dialect, scope: &SearchScope, kinds: &[SearchKind]) -> Cond {
    let community = || community_visible(d, "c", "n", &scope.communities);
    let in_readable_space = || Cond::all().add(community()).add(space_readable(d, scope));
    let spaces = SpaceFilter {
        member_communities: scope.communities.member_communities.clone(),
    };
    let mut any = Cond::any();
    for kind in kinds {
        let rule = match kind {
            SearchKind::Community => community(),
            SearchKind::Space => Cond::all()
                .add(community())
                .add(space_visible(d, "s", &spaces)),
            SearchKind::Thread => in_readable_space(),
            SearchKind::Post => in_readable_space(),
            SearchKind::Asset => in_readable_space().add(asset_shown(d, scope)),
            SearchKind::Event => Cond::any()
                .add(
                    Cond::all()
                        .add(col("community_id").is_not_null())
                        .add(community())
                        .add(
                            Cond::any()
                                .add(col("space_id").is_null())
                                .add(space_readable(d, scope)),
                        ),
                )
                .add(
                    Cond::all().add(col("cluster_id").is_not_null()).add(
                        Cond::any()
                            .add(d.one_of(col("cluster_id"), uuids(&scope.clusters)))
                            .add(d.one_of(col("network_id"), uuids(&scope.stewarded))),
                    ),
                ),
            SearchKind::Person => person_visible(d, "pp", &scope.people),
        };
        any = any.add(Cond::all().add(kind_is(*kind)).add(rule));
    }
    any
}

/// People holding an active membership in the community, or in a community of the network.
fn members_within(request: &SearchRequest) -> Expr {
    let mut members = select_from("memberships", "m");
    members
        .column(("m", "person_id"))
        .and_where(Expr::col(("m", "status")).eq(MembershipStatus::Active.code()));
    if let Some(c) = request.community {
        members.and_where(Expr::col(("m", "community_id")).eq(c.uuid()));
    }
    if let Some(n) = request.network {
        join(
            &mut members,
            "communities",
            "mc",
            ("mc", "id"),
            ("m", "community_id"),
        );
        members.and_where(Expr::col(("mc", "network_id")).eq(n.uuid()));
    }
    col("item_id").in_subquery(members)
}

/// Narrowing to a network or community.
fn within(request: &SearchRequest) -> Cond {
    let mut place = Cond::all();
    if let Some(c) = request.community {
        place = place.add(col("community_id").eq(c.uuid()));
    }
    if let Some(n) = request.network {
        place = place.add(col("network_id").eq(n.uuid()));
    }
    Cond::any()
        .add(
            Cond::all()
                .add(col("kind").ne(SearchKind::Person.code()))
                .add(place),
        )
        .add(
            Cond::all()
                .add(kind_is(SearchKind::Person))
                .add(members_within(request)),
        )
}

/// The matching rows with their joins and rights, without columns: the `FROM` and `WHERE`
/// of both statements.
fn matching(
    d: Dialect,
    scope: &SearchScope,
    request: &SearchRequest,
    q: &Parsed,
) -> SelectStatement {
    let mut select = match d.0 {
        DbBackend::Postgres => {
            let mut s = select_from("search_documents", D);
            s.and_where(Expr::cust_with_values(
                "d.tsv @@ to_tsquery('simple', $1)",
                [q.tsquery()],
            ));
            s
        }
        _ => {
            let mut s = sea_orm::sea_query::Query::select()
                .from("search_fts")
                .take();
            s.join_as(
                JoinType::InnerJoin,
                "search_documents",
                D,
                Expr::col((D, "id")).equals(("search_fts", "rowid")),
            );
            s.and_where(Expr::cust_with_values("search_fts MATCH ?", [q.fts5()]));
            s
        }
    };
    left_join(&mut select, "networks", "n", (D, "network_id"));
    left_join(&mut select, "communities", "c", (D, "community_id"));
    left_join(&mut select, "spaces", "s", (D, "space_id"));
    let kinds = request.kinds();
    if kinds.contains(&SearchKind::Person) {
        left_join(&mut select, "people", "pp", (D, "item_id"));
    }
    select.and_where(col("kind").is_in(kinds.iter().map(|k| k.code())));
    select.cond_where(readable(d, scope, kinds));
    if request.network.is_some() || request.community.is_some() {
        select.cond_where(within(request));
    }
    select
}

/// The page of hits: kind, id, language, title, body and rank, most relevant first.
pub(crate) fn hits(
    d: Dialect,
    scope: &SearchScope,
    request: &SearchRequest,
    q: &Parsed,
) -> SelectStatement {
    let mut select = matching(d, scope, request, q);
    let rank = match d.0 {
        DbBackend::Postgres => {
            Expr::cust_with_values("ts_rank_cd(d.tsv, to_tsquery('simple', $1))", [q.tsquery()])
        }
        _ => Expr::cust("-bm25(search_fts, 4.0, 1.0)"),
    };
    select
        .columns([
            (D, "kind"),
            (D, "item_id"),
            (D, "language"),
            (D, "title"),
            (D, "body"),
        ])
        .expr_as(rank, Alias::new("rank"))
        .order_by_expr(Expr::cust("rank"), Order::Desc)
        .order_by((D, "id"), Order::Asc)
        .limit(u64::from(request.limit))
        .offset(u64::from(request.offset));
    select
}

/// The counts of every match by kind.
pub(crate) fn counts(
    d: Dialect,
    scope: &SearchScope,
    request: &SearchRequest,
    q: &Parsed,
) -> SelectStatement {
    let mut select = matching(d, scope, request, q);
    select
        .column((D, "kind"))
        .expr_as(Func::count(Expr::val(1)), Alias::new("n"))
        .group_by_col((D, "kind"));
    select
}
