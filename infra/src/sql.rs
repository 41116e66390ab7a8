//! What differs between the two databases when a statement is built.

use sea_orm::{
    DbBackend,
    sea_query::{Expr, ExprTrait, PgFunc, Value, ValueType},
};

/// The database a statement is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dialect(pub DbBackend);

impl Dialect {
    /// `expr` is one of `values`. On PostgreSQL `expr = ANY($1)` with the values bound as one
    /// array: one statement text (so one prepared statement) whatever the number of values.
    /// On SQLite `expr IN (?, ...)`, whose statements are cheap to prepare.
    pub(crate) fn one_of<T, I>(self, expr: impl Into<Expr>, values: I) -> Expr
    where
        T: Into<Value> + ValueType,
        I: IntoIterator<Item = T>,
    {
        let expr = expr.into();
        match self.0 {
            DbBackend::Postgres => {
                let array: Vec<Value> = values.into_iter().map(Into::into).collect();
                expr.eq(PgFunc::any(Expr::val(Value::Array(
                    T::array_type(),
                    Some(Box::new(array)),
                ))))
            }
            _ => expr.is_in(values),
        }
    }
}
