//! [`BlobStore`] on the local file system: blob `id` is the file `<root>/<id>`. An upload is
//! written to `<root>/.tmp/<process>/<id>.<random>.part` and, once complete and synced,
//! hard-linked to its final name (atomic, and it never replaces an existing blob), then the
//! temporary name is removed.
//!
//! Several nodes may share the root (a network file system): each writes its uploads in a
//! directory of its own, so a node that starts never removes another's upload in progress.
//! At open a node removes the temporary files older than [`STALE_UPLOAD`] (those of crashed
//! processes; no upload lasts that long) and any left directly in `.tmp` (older versions).

use super::{valid_blob_id, BlobStore, ByteStream, Stored};
use futures::future::BoxFuture;
use futures::{FutureExt as _, StreamExt as _};
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt as _, AsyncSeekExt as _, AsyncWriteExt as _};

/// Bytes buffered before a write reaches the file.
const WRITE_BUFFER: usize = 256 * 1024;
/// Size of the chunks a download is read in.
const READ_CHUNK: usize = 64 * 1024;
/// Directory of uploads in progress, under the root.
const TMP_DIR: &str = ".tmp";
/// Age after which a temporary file is a crashed process's leftover.
const STALE_UPLOAD: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Blobs as files under one directory.
pub(crate) struct FsBlobStore {
    root: PathBuf,
    /// This process's directory of uploads in progress.
    tmp: PathBuf,
}

/// Removes the files of `dir` older than [`STALE_UPLOAD`], and `dir` once empty.
fn remove_stale(dir: &Path) -> io::Result<()> {
    let mut left = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let age = entry.metadata()?.modified()?.elapsed().unwrap_or_default();
        if age >= STALE_UPLOAD {
            remove_leftover(&entry.path());
        } else {
            left += 1;
        }
    }
    if left == 0 {
        // Another node may be creating it again right now: failing is fine.
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

fn remove_leftover(path: &Path) {
    if let Err(e) = std::fs::remove_file(path) {
        tracing::warn!(path = %path.display(), error = %e, "cannot remove a leftover upload");
    }
}

/// Removes a temporary file when dropped (an upload that failed or was abandoned).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.0) {
            if e.kind() != io::ErrorKind::NotFound {
                tracing::warn!(path = %self.0.display(), error = %e, "cannot remove a temporary upload");
            }
        }
    }
}

impl FsBlobStore {
    /// Opens (creating it if needed) the store under `root` and removes the temporary files
    /// of uploads a crash interrupted. Blocking: call it at startup.
    pub(crate) fn open(root: &Path) -> io::Result<Self> {
        let tmp_root = root.join(TMP_DIR);
        std::fs::create_dir_all(&tmp_root)?;
        for entry in std::fs::read_dir(&tmp_root)? {
            let entry = entry?;
            match entry.file_type() {
                Ok(t) if t.is_dir() => match remove_stale(&entry.path()) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                },
                Ok(_) => remove_leftover(&entry.path()),
                Err(_) => {} // gone meanwhile (another node)
            }
        }
        let tmp = tmp_root.join(format!("{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&tmp)?;
        Ok(Self {
            root: root.to_path_buf(),
            tmp,
        })
    }

    fn path(&self, id: &str) -> io::Result<PathBuf> {
        if valid_blob_id(id) {
            Ok(self.root.join(id))
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "invalid blob id",
            ))
        }
    }

    async fn put_file(&self, id: &str, size: u64, mut body: ByteStream) -> io::Result<Stored> {
        let target = self.path(id)?;
        let tmp = TempFile(
            self.tmp
                .join(format!("{id}.{:016x}.part", rand::random::<u64>())),
        );
        // Another node sharing the root may have removed an empty directory it took for a
        // crashed process's (see [`remove_stale`]).
        tokio::fs::create_dir_all(&self.tmp).await?;
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp.0)
            .await?;
        let mut out = tokio::io::BufWriter::with_capacity(WRITE_BUFFER, file);
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            written += chunk.len() as u64;
            if written > size {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "longer than announced",
                ));
            }
            out.write_all(&chunk).await?;
        }
        if written != size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{written} of {size} bytes"),
            ));
        }
        out.flush().await?;
        out.into_inner().sync_all().await?;
        // A hard link publishes the complete file atomically and never replaces one.
        let stored = match tokio::fs::hard_link(&tmp.0, &target).await {
            Ok(()) => Stored::Created,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Stored::Existed,
            Err(e) => return Err(e),
        };
        drop(tmp);
        Ok(stored)
    }

    async fn file_size(&self, id: &str) -> io::Result<Option<u64>> {
        match tokio::fs::metadata(self.path(id)?).await {
            Ok(m) if m.is_file() => Ok(Some(m.len())),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn read_file(&self, id: &str, range: Range<u64>) -> io::Result<Option<ByteStream>> {
        let mut file = match tokio::fs::File::open(self.path(id)?).await {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        file.seek(io::SeekFrom::Start(range.start)).await?;
        let len = range.end.saturating_sub(range.start);
        let stream = tokio_util::io::ReaderStream::with_capacity(file.take(len), READ_CHUNK);
        Ok(Some(stream.boxed()))
    }
}

impl BlobStore for FsBlobStore {
    fn put(&self, id: &str, size: u64, body: ByteStream) -> BoxFuture<'_, io::Result<Stored>> {
        let id = id.to_owned();
        async move { self.put_file(&id, size, body).await }.boxed()
    }

    fn size(&self, id: &str) -> BoxFuture<'_, io::Result<Option<u64>>> {
        let id = id.to_owned();
        async move { self.file_size(&id).await }.boxed()
    }

    fn read(&self, id: &str, range: Range<u64>) -> BoxFuture<'_, io::Result<Option<ByteStream>>> {
        let id = id.to_owned();
        async move { self.read_file(&id, range).await }.boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn body(parts: &[&'static [u8]]) -> ByteStream {
        futures::stream::iter(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p)))
                .collect::<Vec<_>>(),
        )
        .boxed()
    }

    async fn read_all(store: &FsBlobStore, id: &str, range: Range<u64>) -> Vec<u8> {
        let mut s = store.read(id, range).await.unwrap().expect("blob");
        let mut out = Vec::new();
        while let Some(c) = s.next().await {
            out.extend_from_slice(&c.unwrap());
        }
        out
    }

    /// No temporary file is left (the directories of uploads in progress may stay).
    fn tmp_is_empty(dir: &Path) -> bool {
        std::fs::read_dir(dir.join(TMP_DIR)).unwrap().all(|e| {
            let path = e.unwrap().path();
            path.is_dir() && std::fs::read_dir(path).unwrap().next().is_none()
        })
    }

    #[tokio::test]
    async fn put_read_ranges_and_first_put_wins() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::open(dir.path()).unwrap();
        let put = store.put("abc", 6, body(&[b"hel", b"lo!"])).await.unwrap();
        assert_eq!(put, Stored::Created);
        assert_eq!(store.size("abc").await.unwrap(), Some(6));
        assert_eq!(read_all(&store, "abc", 0..6).await, b"hello!");
        assert_eq!(read_all(&store, "abc", 2..5).await, b"llo");
        let again = store.put("abc", 6, body(&[b"HELLO!"])).await.unwrap();
        assert_eq!(again, Stored::Existed);
        assert_eq!(read_all(&store, "abc", 0..6).await, b"hello!");
        assert!(store.read("nope", 0..1).await.unwrap().is_none());
        assert_eq!(store.size("nope").await.unwrap(), None);
        assert!(tmp_is_empty(dir.path()));
    }

    #[tokio::test]
    async fn failed_puts_keep_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = FsBlobStore::open(dir.path()).unwrap();
        let long = store.put("a", 3, body(&[b"ab", b"cd"])).await.unwrap_err();
        assert_eq!(long.kind(), io::ErrorKind::InvalidData);
        let short = store.put("a", 3, body(&[b"ab"])).await.unwrap_err();
        assert_eq!(short.kind(), io::ErrorKind::UnexpectedEof);
        let failing = futures::stream::iter(vec![
            Ok(Bytes::from_static(b"a")),
            Err(io::Error::other("client went away")),
        ])
        .boxed();
        assert!(store.put("a", 3, failing).await.is_err());
        let bad = store.put("../a", 1, body(&[b"x"])).await.unwrap_err();
        assert_eq!(bad.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(store.size("a").await.unwrap(), None);
        assert!(tmp_is_empty(dir.path()));
    }

    /// Nodes sharing the root: a fresh upload of another node survives an open, a stale one
    /// goes.
    #[test]
    fn open_keeps_other_nodes_uploads_in_progress() {
        let dir = tempfile::tempdir().unwrap();
        let (fresh, stale) = (
            dir.path().join(TMP_DIR).join("a"),
            dir.path().join(TMP_DIR).join("b"),
        );
        for d in [&fresh, &stale] {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("x.part"), b"partial").unwrap();
        }
        let old = std::time::SystemTime::now() - STALE_UPLOAD - std::time::Duration::from_secs(1);
        std::fs::File::options()
            .write(true)
            .open(stale.join("x.part"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        FsBlobStore::open(dir.path()).unwrap();
        assert!(fresh.join("x.part").exists());
        assert!(!stale.join("x.part").exists());
    }

    #[test]
    fn open_removes_leftover_uploads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(TMP_DIR)).unwrap();
        std::fs::write(dir.path().join(TMP_DIR).join("x.part"), b"partial").unwrap();
        FsBlobStore::open(dir.path()).unwrap();
        assert!(tmp_is_empty(dir.path()));
    }
}
