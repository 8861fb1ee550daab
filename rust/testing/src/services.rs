//! The test services `scripts/services.sh` runs (a private PostgreSQL and nats-server), as
//! the cluster tests and benchmarks use them.

/// The value of `name` (`RCIM_TEST_POSTGRES_URL`, `RCIM_TEST_NATS_URL`); panics with what to
/// run when it is not set.
pub fn service_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: run `bash scripts/services.sh start` and \
             `eval \"$(bash scripts/services.sh env)\"` (npm test does both)"
        )
    })
}

/// A schema of its own in the test PostgreSQL.
pub struct FreshSchema {
    /// The URL for nodes: `search_path` is the schema, and `application_name` too (so the
    /// nodes' connections can be found in `pg_stat_activity`).
    pub url: String,
    /// The schema's name (`<prefix>_<uuid>`).
    pub name: String,
    /// A connection to the test database (to watch it, or drop the schema).
    pub client: tokio_postgres::Client,
}

/// Creates a new schema named `<prefix>_<uuid>` in the test PostgreSQL.
pub async fn fresh_schema(prefix: &str) -> FreshSchema {
    let base = service_env("RCIM_TEST_POSTGRES_URL");
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("connect to the test PostgreSQL");
    tokio::spawn(conn);
    client
        .batch_execute(&format!("CREATE SCHEMA {name}"))
        .await
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{name}&application_name={name}");
    FreshSchema { url, name, client }
}
