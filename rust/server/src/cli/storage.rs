//! Storage durability

use crate::config::{ServerConfig, Synchronous};

/// Options of this group; each also reads an `RCIM_*` environment variable.
#[derive(Debug, clap::Args)]
pub(super) struct StorageArgs {
    /// Where the state lives: `sqlite:DIR` (the embedded database, one node; default: in
    /// the data directory) or `postgres://user:password@host:port/db` (shared by every node
    /// of a cluster; `?sslmode=require&sslrootcert=CA.pem` for TLS with the certificate
    /// checked).
    #[arg(long, env = "RCIM_STORE")]
    store: Option<crate::config::StoreBackend>,
    /// When an acknowledged write is on disk: `full` (default: fsynced before the answer,
    /// survives a power cut) or `normal` (fsynced at checkpoints: a power cut may lose the
    /// last acknowledged messages; devices then resynchronise through the inbox epoch).
    #[arg(long, env = "RCIM_SYNCHRONOUS", default_value = "full", value_parser = ["full", "normal"])]
    synchronous: String,
    /// WAL pages after which the WAL is checkpointed into the database (SQLite
    /// `wal_autocheckpoint`; 4 KiB pages).
    #[arg(long, env = "RCIM_WAL_AUTOCHECKPOINT", default_value_t = 4_000)]
    wal_autocheckpoint: u32,
    /// MiB the WAL file is truncated back to after a checkpoint.
    #[arg(long, env = "RCIM_WAL_SIZE_LIMIT_MB", default_value_t = 64)]
    wal_size_limit_mb: u64,
    /// Rows one retention prune step deletes per table.
    #[arg(long, env = "RCIM_PRUNE_BATCH_ROWS", default_value_t = 2_000)]
    prune_batch_rows: u32,
    /// Start a new inbox epoch (devices forget their inbox cursor and resynchronise): use it
    /// once after restoring a backup taken with its `rcim.highwater` file, then remove it
    /// (every start with it starts another epoch; a warning is logged).
    #[arg(long, env = "RCIM_NEW_INBOX_EPOCH")]
    new_inbox_epoch: bool,
}

impl StorageArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) -> anyhow::Result<()> {
        let storage = &mut config.storage;
        storage.synchronous = match self.synchronous.as_str() {
            "normal" => Synchronous::Normal,
            _ => Synchronous::Full,
        };
        if self.wal_autocheckpoint == 0 {
            anyhow::bail!("--wal-autocheckpoint must be at least 1 page");
        }
        if self.prune_batch_rows == 0 {
            anyhow::bail!("--prune-batch-rows must be at least 1");
        }
        storage.wal_autocheckpoint_pages = self.wal_autocheckpoint;
        storage.wal_size_limit_bytes = self.wal_size_limit_mb.saturating_mul(1024 * 1024);
        storage.prune_batch_rows = self.prune_batch_rows;
        storage.new_inbox_epoch = self.new_inbox_epoch;
        if let Some(backend) = self.store {
            storage.backend = backend;
        }
        Ok(())
    }
}
