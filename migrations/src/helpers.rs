//! Small builders shared by the migration steps.

use sea_orm_migration::{prelude::*, schema::*};

/// Longest slug column.
pub const SLUG: u32 = 64;
/// Longest name column.
pub const NAME: u32 = 120;
/// Longest code column (enumerations).
pub const CODE: u32 = 32;

/// `CREATE TABLE <name> (id uuid primary key, ...)`.
pub fn table(name: &'static str) -> TableCreateStatement {
    Table::create().table(name).col(pk_uuid("id")).take()
}

/// A non-null UUID column referencing `target.id`, deleted with its target.
pub fn reference(
    table: &mut TableCreateStatement,
    from: &'static str,
    column: &'static str,
    target: &'static str,
) {
    table.col(uuid(column)).foreign_key(
        ForeignKey::create()
            .name(format!("fk_{from}_{column}"))
            .from(from, column)
            .to(target, "id")
            .on_delete(ForeignKeyAction::Cascade),
    );
}

/// A nullable UUID column referencing `target.id`, cleared when its target goes.
pub fn optional_reference(
    table: &mut TableCreateStatement,
    from: &'static str,
    column: &'static str,
    target: &'static str,
) {
    table.col(uuid_null(column)).foreign_key(
        ForeignKey::create()
            .name(format!("fk_{from}_{column}"))
            .from(from, column)
            .to(target, "id")
            .on_delete(ForeignKeyAction::SetNull),
    );
}

/// `CREATE [UNIQUE] INDEX ix_<table>_<columns> ON <table> (<columns>)`.
pub fn index(table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table);
    for column in columns {
        index.col(*column);
    }
    if unique {
        index.unique();
    }
    index.take()
}

/// Creates the tables and then their indexes.
pub async fn create(
    manager: &SchemaManager<'_>,
    tables: Vec<TableCreateStatement>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for table in tables {
        manager.create_table(table).await?;
    }
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

/// Drops the tables, in the order given.
pub async fn drop(manager: &SchemaManager<'_>, tables: &[&'static str]) -> Result<(), DbErr> {
    for name in tables {
        manager
            .drop_table(Table::drop().table(*name).take())
            .await?;
    }
    Ok(())
}
