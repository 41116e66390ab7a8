//! The one pager behind every list: keyset pages per parent in one statement for all parents
//! (a `LATERAL` page per parent on PostgreSQL, `ROW_NUMBER() OVER (PARTITION BY parent ORDER
//! BY key)` on SQLite), so a nested connection costs one statement whatever the page size;
//! counts are one `GROUP BY parent`.

use std::collections::HashMap;

use async_trait::async_trait;
use copnet_domain::{
    DomainResult,
    listing::{Listing, ROOT},
    page::{Direction, IdPage, PageItem, PageRequest},
    repo::ListingRepo,
};
use sea_orm::{
    ConnectionTrait, DbBackend, QueryResult,
    sea_query::{
        Alias, ArrayType, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement, Value,
        WindowStatement,
    },
};
use uuid::Uuid;

use super::Store;
use crate::{
    error::db_err,
    listing::{Spec, spec},
};

/// Reading order in SQL: a list's own order when paging forward, its reverse backward.
fn order(page: &PageRequest, newest_first: bool) -> Order {
    match (page.direction, newest_first) {
        (Direction::Forward, false) | (Direction::Backward, true) => Order::Asc,
        (Direction::Forward, true) | (Direction::Backward, false) => Order::Desc,
    }
}

/// Adds the cursor bounds of the page: `after` means later in the list's own order.
fn bounded(
    mut select: SelectStatement,
    spec: &Spec,
    page: &PageRequest,
    newest_first: bool,
) -> SelectStatement {
    let key = || Expr::col(spec.key);
    if let Some(after) = page.after {
        select.and_where(if newest_first {
            key().lt(after)
        } else {
            key().gt(after)
        });
    }
    if let Some(before) = page.before {
        select.and_where(if newest_first {
            key().gt(before)
        } else {
            key().lt(before)
        });
    }
    select
}

/// PostgreSQL: one keyset page per parent, `unnest($1) CROSS JOIN LATERAL (... WHERE parent
/// = p ORDER BY key LIMIT n)`, each an index range scan, so the cost follows the page size
/// whatever a parent's number of children (`ROW_NUMBER() OVER (PARTITION BY parent)`, used on
/// SQLite, reads every child of every parent).
fn lateral(
    spec: &Spec,
    parent: crate::listing::Col,
    parents: &[Uuid],
    page: &PageRequest,
    newest_first: bool,
) -> SelectStatement {
    let fetch = u64::from(page.limit) + 1;
    let reading = order(page, newest_first);
    let mut inner = bounded(spec.from.clone(), spec, page, newest_first);
    inner
        .expr_as(Expr::col(spec.key), "k")
        .expr_as(Expr::col(spec.node), "node")
        .and_where(Expr::col(parent).equals(("lp", "lp")))
        .order_by_expr(Expr::col(spec.key), reading.clone())
        .limit(fetch);
    let mut distinct = parents.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let ids: Vec<Value> = distinct.into_iter().map(Value::from).collect();
    Query::select()
        .expr_as(Expr::col(("lp", "lp")), "parent")
        .column(("lt", "k"))
        .column(("lt", "node"))
        .from_function(
            // Typed, so that the statement also runs with the array inlined (pgbench replays).
            Func::cust("unnest").arg(Expr::cust_with_values(
                "CAST($1 AS uuid[])",
                [Value::Array(ArrayType::Uuid, Some(Box::new(ids)))],
            )),
            "lp",
        )
        .join_lateral(JoinType::InnerJoin, inner, "lt", Expr::cust("TRUE"))
        .order_by(("lp", "lp"), Order::Asc)
        .order_by(("lt", "k"), reading)
        .take()
}

/// SQLite: the first rows of each parent by `ROW_NUMBER() OVER (PARTITION BY parent ORDER BY
/// key)`.
fn windowed(
    d: crate::sql::Dialect,
    spec: &Spec,
    parent: crate::listing::Col,
    parents: &[Uuid],
    page: &PageRequest,
    newest_first: bool,
) -> SelectStatement {
    let fetch = u64::from(page.limit) + 1;
    let mut inner = bounded(spec.from.clone(), spec, page, newest_first);
    let mut window = WindowStatement::partition_by(parent);
    window.order_by_expr(Expr::col(spec.key), order(page, newest_first));
    inner
        .expr_as(Expr::col(parent), "parent")
        .expr_as(Expr::col(spec.key), "k")
        .expr_as(Expr::col(spec.node), "node")
        .expr_window_as(Func::cust("ROW_NUMBER"), window, "rn")
        .and_where(d.one_of(Expr::col(parent), parents.iter().copied()));
    Query::select()
        .columns([Alias::new("parent"), Alias::new("k"), Alias::new("node")])
        .from_subquery(inner, "t")
        .and_where(Expr::col(("t", "rn")).lte(fetch))
        .order_by(("t", "parent"), Order::Asc)
        .order_by(("t", "rn"), Order::Asc)
        .take()
}

fn uuid_at(row: &QueryResult, column: &str) -> DomainResult<Uuid> {
    row.try_get::<Uuid>("", column).map_err(db_err)
}

#[async_trait]
impl ListingRepo for Store {
    async fn page(
        &self,
        listing: &Listing,
        parents: &[Uuid],
        page: &PageRequest,
    ) -> DomainResult<HashMap<Uuid, IdPage>> {
        let spec = spec(self.sql(), listing);
        let newest_first = listing.newest_first();
        let fetch = u64::from(page.limit) + 1;
        let mut rows_by_parent: HashMap<Uuid, Vec<PageItem>> =
            parents.iter().map(|p| (*p, Vec::new())).collect();
        match spec.parent {
            None => {
                let mut select = bounded(spec.from.clone(), &spec, page, newest_first);
                select
                    .expr_as(Expr::col(spec.key), "k")
                    .expr_as(Expr::col(spec.node), "node")
                    .order_by_expr(Expr::col(spec.key), order(page, newest_first))
                    .limit(fetch);
                let rows = self.db.query_all(&select).await.map_err(db_err)?;
                let items = rows
                    .iter()
                    .map(|r| {
                        Ok(PageItem {
                            key: uuid_at(r, "k")?,
                            id: uuid_at(r, "node")?,
                        })
                    })
                    .collect::<DomainResult<Vec<_>>>()?;
                rows_by_parent.insert(ROOT, items);
            }
            Some(parent) => {
                let select = if self.sql().0 == DbBackend::Postgres {
                    lateral(&spec, parent, parents, page, newest_first)
                } else {
                    windowed(self.sql(), &spec, parent, parents, page, newest_first)
                };
                for row in self.db.query_all(&select).await.map_err(db_err)? {
                    let item = PageItem {
                        key: uuid_at(&row, "k")?,
                        id: uuid_at(&row, "node")?,
                    };
                    rows_by_parent
                        .entry(uuid_at(&row, "parent")?)
                        .or_default()
                        .push(item);
                }
            }
        }
        Ok(rows_by_parent
            .into_iter()
            .map(|(parent, rows)| (parent, IdPage::from_rows(rows, page)))
            .collect())
    }

    async fn count(&self, listing: &Listing, parents: &[Uuid]) -> DomainResult<HashMap<Uuid, u64>> {
        let spec = spec(self.sql(), listing);
        let mut counts: HashMap<Uuid, u64> = parents.iter().map(|p| (*p, 0)).collect();
        let mut select = spec.from;
        select.expr_as(Func::count(Expr::col(spec.key)), "n");
        if let Some(parent) = spec.parent {
            select
                .expr_as(Expr::col(parent), "parent")
                .and_where(
                    self.sql()
                        .one_of(Expr::col(parent), parents.iter().copied()),
                )
                .add_group_by([Expr::col(parent)]);
        }
        for row in self.db.query_all(&select).await.map_err(db_err)? {
            let n = row.try_get::<i64>("", "n").map_err(db_err)?;
            let parent = match spec.parent {
                Some(_) => uuid_at(&row, "parent")?,
                None => ROOT,
            };
            counts.insert(parent, u64::try_from(n).unwrap_or(0));
        }
        Ok(counts)
    }
}
