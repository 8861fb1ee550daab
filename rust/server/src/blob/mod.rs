//! Storage of uploaded media files behind the [`BlobStore`] trait: the file system today
//! ([`FsBlobStore`], under `<data dir>/media/`), an S3-compatible object store later. The file
//! service's HTTP routes (`crate::fileserver`) only talk to the trait: uploads go in as a
//! stream of chunks, downloads come out as a stream of one byte range, so neither side ever
//! holds a whole file in memory and an object store's streamed `PUT` / ranged `GET` map onto
//! it one to one.
//!
//! Rules every implementation keeps:
//! * A blob is immutable and becomes visible whole or not at all: [`BlobStore::put`] makes it
//!   readable only after the last byte arrived and the length matched; a failed or abandoned
//!   `put` (error, short body, dropped future) leaves nothing readable and cleans up after
//!   itself.
//! * The first completed `put` of an id wins: a later one for the same id discards its bytes
//!   and reports [`Stored::Existed`].
//! * Blobs are never deleted by the server today (see the README: files outlive the messages
//!   that reference them).

mod fs;

pub(crate) use fs::FsBlobStore;

use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use std::io;
use std::ops::Range;

/// Chunks of a blob's bytes, or of an upload body. An error ends the stream.
pub(crate) type ByteStream = BoxStream<'static, io::Result<Bytes>>;

/// Longest blob id (bytes).
pub(crate) const MAX_BLOB_ID_LEN: usize = 64;

/// True for ids a store accepts: 1 to [`MAX_BLOB_ID_LEN`] characters of the URL-safe base64
/// alphabet (`A-Z a-z 0-9 - _`), so an id is always one safe path segment or object key.
pub(crate) fn valid_blob_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_BLOB_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What a successful [`BlobStore::put`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stored {
    /// The blob was written.
    Created,
    /// A blob with this id was already complete; it is unchanged and the new bytes were
    /// discarded.
    Existed,
}

/// Where uploaded media files live. Object-safe (`Arc<dyn BlobStore>`); every method returns a
/// boxed future so an implementation may wait on the network.
pub(crate) trait BlobStore: Send + Sync + 'static {
    /// Stores `body` as blob `id`, which must be exactly `size` bytes long. Reads `body` to
    /// its end; an error item from it aborts the write and is returned as is (callers pass
    /// their own error inside `io::Error` and find it again with `get_ref`). A body shorter
    /// than `size` fails with [`io::ErrorKind::UnexpectedEof`], a longer one with
    /// [`io::ErrorKind::InvalidData`]; an invalid id with [`io::ErrorKind::InvalidInput`].
    /// On any failure nothing is kept.
    fn put(&self, id: &str, size: u64, body: ByteStream) -> BoxFuture<'_, io::Result<Stored>>;

    /// The length of blob `id`, `None` if there is no such (complete) blob.
    fn size(&self, id: &str) -> BoxFuture<'_, io::Result<Option<u64>>>;

    /// The bytes `range` of blob `id` (`range` within its size), `None` if there is no such
    /// blob. The stream yields the range in order and nothing else.
    fn read(&self, id: &str, range: Range<u64>) -> BoxFuture<'_, io::Result<Option<ByteStream>>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_single_safe_segments() {
        assert!(valid_blob_id("aZ09-_"));
        assert!(!valid_blob_id(""));
        assert!(!valid_blob_id("../x"));
        assert!(!valid_blob_id("a.b"));
        assert!(!valid_blob_id(&"a".repeat(MAX_BLOB_ID_LEN + 1)));
    }
}
