//! Moving a portal that outgrew one machine from its SQLite file into PostgreSQL
//! (`selfdesk-server copy-to-postgres --to postgres://…`).
//!
//! Both databases are first brought to the current schema by their own migrations,
//! so the copy moves rows, never schema. Every table is copied in its entirety, parents
//! before children (by the SQLite foreign keys), in one PostgreSQL transaction: a
//! failure leaves the target as it was. Column types are read from PostgreSQL, and each
//! SQLite value is decoded as what the target column expects (SQLite keeps booleans as
//! integers). Triggers are off for the copy, because rows arrive as they were, not as
//! new changes (the KB search counter would otherwise move). Identity sequences are
//! then set past the highest id copied.
//!
//! The copy is then checked, not trusted: for every table the rows are read back from
//! both databases in primary-key order and hashed value by value (SHA-256); the report
//! gives each table's row count and both hashes.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, bail};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{PgPool, Row, SqlitePool};

/// Tables the migrations fill with defaults (categories, counters, canned responses, where
/// Insight's days begin): the target's copies are replaced by the portal's own. Any other
/// table must be empty.
const FILLED_BY_MIGRATIONS: [&str; 4] = [
    "ticket_categories",
    "kb_search_version",
    "canned_responses",
    "insight_day_start",
];

/// One table, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: String,
    pub rows: u64,
    pub source_sha256: String,
    pub target_sha256: String,
}

impl TableCopy {
    pub fn matches(&self) -> bool {
        self.source_sha256 == self.target_sha256
    }
}

/// A column's type as PostgreSQL declares it; what a SQLite value is decoded as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Boolean,
    Text,
    Bytes,
    Float,
}

impl Kind {
    fn from_postgres(data_type: &str) -> Option<Self> {
        Some(match data_type {
            "bigint" | "integer" | "smallint" => Self::Integer,
            "boolean" => Self::Boolean,
            "text" | "character varying" | "character" => Self::Text,
            "bytea" => Self::Bytes,
            "double precision" | "real" => Self::Float,
            _ => return None,
        })
    }
}

struct Column {
    name: String,
    /// PostgreSQL's name of the type, for the cast of each parameter.
    data_type: String,
    kind: Kind,
}

struct Table {
    name: String,
    columns: Vec<Column>,
    /// Primary-key columns, else every column: the order rows are read and hashed in.
    order_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Integer(i64),
    Boolean(bool),
    Text(String),
    Bytes(Vec<u8>),
    Float(f64),
}

impl Value {
    /// Feeds the value into a hash, tagged with its kind and length so that no two
    /// different rows can hash alike by running into each other.
    fn hash_into(&self, hasher: &mut Sha256) {
        match self {
            Self::Null => hasher.update(b"N"),
            Self::Integer(n) => {
                hasher.update(b"I");
                hasher.update(n.to_le_bytes());
            }
            Self::Boolean(b) => hasher.update(if *b { b"T" } else { b"F" }),
            Self::Text(text) => {
                hasher.update(b"S");
                hasher.update((text.len() as u64).to_le_bytes());
                hasher.update(text.as_bytes());
            }
            Self::Bytes(bytes) => {
                hasher.update(b"B");
                hasher.update((bytes.len() as u64).to_le_bytes());
                hasher.update(bytes);
            }
            Self::Float(f) => {
                hasher.update(b"D");
                hasher.update(f.to_bits().to_le_bytes());
            }
        }
    }
}

fn quoted(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Copies every row of `source` into `target`, then compares the two table by table.
/// Refuses a target that already holds a portal's data.
pub async fn copy(source: &SqlitePool, target: &PgPool) -> anyhow::Result<Vec<TableCopy>> {
    let tables = tables(source, target).await?;
    for table in &tables {
        if FILLED_BY_MIGRATIONS.contains(&table.name.as_str()) {
            continue;
        }
        let rows: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quoted(&table.name)))
                .fetch_one(target)
                .await?;
        if rows > 0 {
            bail!(
                "the PostgreSQL database already holds data ({} has {rows} rows): copy into a new, empty database",
                table.name
            );
        }
    }

    let mut tx = target.begin().await?;
    // Children before parents when emptying, parents before children when filling.
    for table in tables.iter().rev() {
        sqlx::query(&format!("DELETE FROM {}", quoted(&table.name)))
            .execute(&mut *tx)
            .await?;
    }
    for table in &tables {
        copy_table(source, &mut tx, table)
            .await
            .with_context(|| format!("copying {}", table.name))?;
    }
    tx.commit().await?;

    let mut report = Vec::new();
    for table in &tables {
        let (rows, source_sha256) = checksum_sqlite(source, table).await?;
        let (target_rows, target_sha256) = checksum_postgres(target, table).await?;
        if rows != target_rows {
            bail!(
                "{}: {rows} rows in SQLite but {target_rows} in PostgreSQL after the copy",
                table.name
            );
        }
        report.push(TableCopy {
            table: table.name.clone(),
            rows,
            source_sha256,
            target_sha256,
        });
    }
    Ok(report)
}

/// The tables of the schema, parents first, with PostgreSQL's column types.
async fn tables(source: &SqlitePool, target: &PgPool) -> anyhow::Result<Vec<Table>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(source)
    .await?;
    let target_names: BTreeSet<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(target)
    .await?
    .into_iter()
    .collect();
    let source_names: BTreeSet<String> = names.iter().cloned().collect();
    if source_names != target_names {
        bail!(
            "the two schemas differ: only in SQLite {:?}, only in PostgreSQL {:?}",
            source_names.difference(&target_names).collect::<Vec<_>>(),
            target_names.difference(&source_names).collect::<Vec<_>>()
        );
    }

    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let referenced: Vec<String> =
            sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(name)
                .fetch_all(source)
                .await?;
        parents.insert(
            name.clone(),
            referenced.into_iter().filter(|p| p != name).collect(),
        );
    }
    let mut ordered: Vec<String> = Vec::new();
    while ordered.len() < names.len() {
        let ready: Vec<String> = names
            .iter()
            .filter(|n| !ordered.contains(n))
            .filter(|n| parents[*n].iter().all(|p| ordered.contains(p)))
            .cloned()
            .collect();
        if ready.is_empty() {
            bail!("the foreign keys between the tables form a cycle");
        }
        ordered.extend(ready);
    }

    let mut tables = Vec::new();
    for name in ordered {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(target)
        .await?;
        let columns = columns
            .into_iter()
            .map(|(column, data_type)| {
                let kind = Kind::from_postgres(&data_type).with_context(|| {
                    format!("{name}.{column}: no copy rule for the type {data_type}")
                })?;
                Ok(Column {
                    name: column,
                    data_type,
                    kind,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut keys: Vec<(i64, String)> =
            sqlx::query_as("SELECT pk, name FROM pragma_table_info($1) WHERE pk > 0")
                .bind(&name)
                .fetch_all(source)
                .await?;
        keys.sort();
        let order_by = if keys.is_empty() {
            columns.iter().map(|c| c.name.clone()).collect()
        } else {
            keys.into_iter().map(|(_, k)| k).collect()
        };
        tables.push(Table {
            name,
            columns,
            order_by,
        });
    }
    Ok(tables)
}

/// All columns of `table` in key order. Text keys compare byte-wise on both sides
/// (SQLite's default; PostgreSQL's "C" collation), so both read rows in one order.
fn select(table: &Table, postgres: bool) -> String {
    let columns: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    let order: Vec<String> = table
        .order_by
        .iter()
        .map(|key| {
            let is_text = table
                .columns
                .iter()
                .any(|c| &c.name == key && c.kind == Kind::Text);
            if postgres && is_text {
                format!("{} COLLATE \"C\"", quoted(key))
            } else {
                quoted(key)
            }
        })
        .collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        quoted(&table.name),
        order.join(", ")
    )
}

fn sqlite_value(row: &SqliteRow, i: usize, kind: Kind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        Kind::Integer => row.try_get::<Option<i64>, _>(i)?.map(Value::Integer),
        Kind::Boolean => row.try_get::<Option<bool>, _>(i)?.map(Value::Boolean),
        Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
        Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
        Kind::Float => row.try_get::<Option<f64>, _>(i)?.map(Value::Float),
    }
    .unwrap_or(Value::Null))
}

fn postgres_value(row: &PgRow, i: usize, column: &Column) -> Result<Value, sqlx::Error> {
    Ok(match (column.kind, column.data_type.as_str()) {
        (Kind::Integer, "smallint") => row
            .try_get::<Option<i16>, _>(i)?
            .map(|n| Value::Integer(n.into())),
        (Kind::Integer, "integer") => row
            .try_get::<Option<i32>, _>(i)?
            .map(|n| Value::Integer(n.into())),
        (Kind::Integer, _) => row.try_get::<Option<i64>, _>(i)?.map(Value::Integer),
        (Kind::Boolean, _) => row.try_get::<Option<bool>, _>(i)?.map(Value::Boolean),
        (Kind::Text, _) => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
        (Kind::Bytes, _) => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
        (Kind::Float, "real") => row
            .try_get::<Option<f32>, _>(i)?
            .map(|f| Value::Float(f.into())),
        (Kind::Float, _) => row.try_get::<Option<f64>, _>(i)?.map(Value::Float),
    }
    .unwrap_or(Value::Null))
}

async fn copy_table(
    source: &SqlitePool,
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    table: &Table,
) -> anyhow::Result<()> {
    let name = quoted(&table.name);
    sqlx::query(&format!("ALTER TABLE {name} DISABLE TRIGGER USER"))
        .execute(&mut **tx)
        .await?;
    let columns: Vec<String> = table.columns.iter().map(|c| quoted(&c.name)).collect();
    // Each parameter cast to its column's type: the values are bound as the widest
    // Rust type of their kind.
    let params: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("${}::{}", i + 1, c.data_type))
        .collect();
    let insert = format!(
        "INSERT INTO {name} ({}) VALUES ({})",
        columns.join(", "),
        params.join(", ")
    );
    // Streamed, one row in memory at a time: attachment tables can be large.
    let select = select(table, false);
    let mut rows = sqlx::query(&select).fetch(source);
    while let Some(row) = rows.try_next().await? {
        let row = &row;
        let mut query = sqlx::query(&insert);
        for (i, column) in table.columns.iter().enumerate() {
            query = match sqlite_value(row, i, column.kind)? {
                Value::Null => match column.kind {
                    Kind::Integer => query.bind(None::<i64>),
                    Kind::Boolean => query.bind(None::<bool>),
                    Kind::Text => query.bind(None::<String>),
                    Kind::Bytes => query.bind(None::<Vec<u8>>),
                    Kind::Float => query.bind(None::<f64>),
                },
                Value::Integer(n) => query.bind(n),
                Value::Boolean(b) => query.bind(b),
                Value::Text(t) => query.bind(t),
                Value::Bytes(b) => query.bind(b),
                Value::Float(f) => query.bind(f),
            };
        }
        query.execute(&mut **tx).await?;
    }
    sqlx::query(&format!("ALTER TABLE {name} ENABLE TRIGGER USER"))
        .execute(&mut **tx)
        .await?;
    // Ids made by the database continue after the highest one copied.
    for column in &table.columns {
        let sequence: Option<String> = sqlx::query_scalar("SELECT pg_get_serial_sequence($1, $2)")
            .bind(&table.name)
            .bind(&column.name)
            .fetch_one(&mut **tx)
            .await?;
        if let Some(sequence) = sequence {
            let column = quoted(&column.name);
            sqlx::query(&format!(
                "SELECT setval($1, COALESCE((SELECT MAX({column}) FROM {name}), 1), \
                 (SELECT MAX({column}) FROM {name}) IS NOT NULL)"
            ))
            .bind(sequence)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

fn finish(hasher: Sha256) -> String {
    crate::hex(&hasher.finalize())
}

async fn checksum_sqlite(source: &SqlitePool, table: &Table) -> anyhow::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let select = select(table, false);
    let mut rows = sqlx::query(&select).fetch(source);
    let mut count = 0;
    while let Some(row) = rows.try_next().await? {
        count += 1;
        for (i, column) in table.columns.iter().enumerate() {
            sqlite_value(&row, i, column.kind)?.hash_into(&mut hasher);
        }
    }
    Ok((count, finish(hasher)))
}

async fn checksum_postgres(target: &PgPool, table: &Table) -> anyhow::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let query = select(table, true);
    let mut rows = sqlx::query(&query).fetch(target);
    let mut count = 0;
    while let Some(row) = rows.try_next().await? {
        count += 1;
        for (i, column) in table.columns.iter().enumerate() {
            postgres_value(&row, i, column)?.hash_into(&mut hasher);
        }
    }
    Ok((count, finish(hasher)))
}
