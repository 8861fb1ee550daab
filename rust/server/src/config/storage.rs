//! Storage durability: what an acknowledgement guarantees and how the files stay bounded.

/// Durability and maintenance of the embedded database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StorageConfig {}
