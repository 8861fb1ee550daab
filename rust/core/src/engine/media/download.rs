//! `downloadMediaMessage` in the background: download into the user's media directory with
//! progress, resuming a part; the local path kept with a stored message.

use super::transfers::{Registration, SessionSlot, TransferKey, Transfers};
use super::MediaTask;
use crate::codec;
use crate::codes;
use crate::event::{Event, EventId};
use crate::media::transfer::{Transfer, TransferError};
use crate::model::Message;
use rcim_store::MessageRow;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;

/// Where downloads go, under a user's media directory.
const DOWNLOAD_DIR: &str = "download";

/// A part untouched for this long is deleted when a session of its user opens.
pub(super) const PART_MAX_AGE: Duration = Duration::from_secs(7 * 24 * 3600);

/// The `remote` field of a media message.
pub(super) fn remote_of(message: &Message) -> &str {
    message
        .fields
        .get("remote")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The transfer key of a download of `message`: the name of the file it writes, so two
/// downloads never write the same part (and a download's cleanup can tell which parts are
/// being written).
pub(super) fn key(message: &Message) -> TransferKey {
    TransferKey::Download(dest_name(message))
}

/// The name of the file a download of `message` writes (its part is `<name>.part`).
fn dest_name(message: &Message) -> String {
    format!(
        "{}-{}",
        prefixes(message)[0],
        download_name(remote_of(message))
    )
}

/// The file name at the end of a download URL (percent-decoded), safe as a path component.
fn download_name(remote: &str) -> String {
    let url_path = remote.split(['?', '#']).next().unwrap_or("");
    let last = crate::media::file_name(url_path);
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let safe: String = decoded
        .chars()
        .map(|c| match c {
            '/' | '\\' | '\0' | ':' => '_',
            c => c,
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    if safe.is_empty() {
        "file".to_string()
    } else {
        safe.chars().take(128).collect()
    }
}

/// The prefixes of the names `message`'s downloads get (`<prefix>-<file name>`): by row id,
/// by message UID, or by URL for a message that is neither stored nor sent. The first one
/// names this download.
fn prefixes(message: &Message) -> Vec<String> {
    let mut prefixes = Vec::new();
    if let Some(id) = message.message_id {
        prefixes.push(format!("m{id}"));
    }
    if let Some(uid) = message.message_uid.as_deref().filter(|u| !u.is_empty()) {
        prefixes.push(crate::config::sanitize(uid));
    }
    prefixes.push(format!("u{:016x}", url_hash(remote_of(message))));
    prefixes
}

/// A stable name for a download that belongs to no stored message.
fn url_hash(url: &str) -> u64 {
    // FNV-1a: stable across runs and builds (unlike `DefaultHasher`), so a part resumes.
    url.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The parts in `dir` of a message whose download names start with one of `prefixes`, with
/// the name of the file each one becomes. Blocking.
fn parts_of(dir: &Path, prefixes: &[String]) -> Vec<(PathBuf, String)> {
    parts(dir)
        .into_iter()
        .filter_map(|path| {
            let name = path
                .file_name()?
                .to_str()?
                .strip_suffix(".part")?
                .to_string();
            prefixes
                .iter()
                .any(|p| name.starts_with(&format!("{p}-")))
                .then_some((path, name))
        })
        .collect()
}

/// Deletes the parts in `dir` of a message whose download names start with one of
/// `prefixes` (its download completed, or its file is gone), except those a registered
/// download of `session` writes, unless it is `own` (the caller's, still registered: its part
/// goes too). Blocking.
fn remove_stale_parts(
    transfers: &Transfers,
    session: &SessionSlot,
    dir: &Path,
    prefixes: &[String],
    own: Option<&str>,
) {
    for (path, name) in parts_of(dir, prefixes) {
        let remove = || {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::debug!(error = %e, "media: cannot remove a part");
            }
        };
        if own == Some(name.as_str()) {
            remove();
        } else {
            // Checked and removed under the registry's lock: no download of it starts
            // meanwhile.
            transfers.unless_registered(session, TransferKey::Download(name), remove);
        }
    }
}

/// The `.part` files in `dir`.
fn parts(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "part"))
        .collect()
}

/// Deletes the parts in `<media_dir>/download` untouched for [`PART_MAX_AGE`]. Blocking.
pub(super) fn sweep_parts(media_dir: &Path) {
    sweep_parts_older_than(&media_dir.join(DOWNLOAD_DIR), PART_MAX_AGE);
}

fn sweep_parts_older_than(dir: &Path, max_age: Duration) {
    for path in parts(dir) {
        let age = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok());
        if age.is_some_and(|age| age > max_age) {
            match std::fs::remove_file(&path) {
                Ok(()) => tracing::debug!(path = %path.display(), "media: old part removed"),
                Err(e) => tracing::debug!(error = %e, "media: cannot remove an old part"),
            }
        }
    }
}

fn downloading(message: Message, progress: u8, event_id: EventId) -> Event {
    Event::MediaMessageDownloading {
        message,
        progress,
        event_id,
    }
}

impl MediaTask {
    pub(super) async fn download(
        self,
        message: Message,
        registration: Registration,
        event_id: EventId,
    ) {
        let remote = remote_of(&message).to_string();
        let prefixes = prefixes(&message);
        let dir = self
            .shared
            .config
            .media_dir(&self.user_id)
            .join(DOWNLOAD_DIR);
        let name = dest_name(&message);
        let dest = dir.join(&name);
        let (progress, mut percents) = mpsc::unbounded_channel();
        // The cancel call and the completion are decided once, before the part becomes the
        // file: cancelled with the part kept, or complete (a later cancel finds nothing). A
        // download aborted with its session does not complete either: it reports a failure.
        let download = Transfer {
            client: &self.shared.media_http,
            cancel: registration.token(),
            stall: self.shared.config.media_stall_timeout,
            progress,
        }
        .download(&remote, &dest, || {
            registration.settle().is_none() && !registration.token().is_cancelled()
        });
        let result = self
            .with_progress(download, &mut percents, &message, &event_id, downloading)
            .await;
        if let Some(cancel_event_id) = registration.settle() {
            // Let go of the key before the app hears: it may download again at once.
            let key = registration.key().clone();
            drop(registration);
            return self
                .report_canceled(&key, message, cancel_event_id, event_id)
                .await;
        }
        let code = match result {
            Ok(done) => {
                tracing::debug!(
                    fetched = done.fetched,
                    size = done.size,
                    resumed = done.resumed,
                    "media: downloaded"
                );
                // Parts left by attempts under another name of this message are stale now
                // (this one's became the file), unless another download writes them. Done
                // while this download still holds its key.
                self.remove_stale_parts(dir, prefixes, None).await;
                let local = dest.to_string_lossy().into_owned();
                let mut message = message;
                if let Some(row) = self.keep_local_path(&message, &local).await {
                    message = codec::message_from_row(&row);
                }
                message.fields.insert("local".into(), json!(local));
                drop(registration);
                return self
                    .emit(Event::MediaMessageDownloaded {
                        code: 0,
                        message,
                        event_id,
                    })
                    .await;
            }
            Err(TransferError::NotFound) => {
                // The file is gone for good: nothing to resume. This download's part goes
                // while it still holds its key, so no new download of it can be writing it.
                self.remove_stale_parts(dir, prefixes, Some(name)).await;
                codes::MEDIA_NOT_FOUND
            }
            Err(TransferError::Refused { status: 403, .. }) => {
                codes::MEDIA_DOWNLOAD_FORBIDDEN as i32
            }
            Err(TransferError::Local(e)) => {
                tracing::warn!(error = %e, "media: cannot write a download");
                codes::FILE_SAVE_FAILED as i32
            }
            Err(e) => {
                tracing::info!(error = %e, "media: download failed");
                codes::FILE_UPLOAD_FAILED as i32
            }
        };
        drop(registration);
        self.emit(Event::MediaMessageDownloaded {
            code,
            message,
            event_id,
        })
        .await;
    }

    /// See [`remove_stale_parts`].
    async fn remove_stale_parts(&self, dir: PathBuf, prefixes: Vec<String>, own: Option<String>) {
        let (transfers, slot) = (self.transfers.clone(), self.slot.clone());
        let removed = tokio::task::spawn_blocking(move || {
            remove_stale_parts(&transfers, &slot, &dir, &prefixes, own.as_deref())
        })
        .await;
        if let Err(e) = removed {
            tracing::warn!(error = %e, "media: part cleanup failed");
        }
    }

    /// Keeps `local` as the local path of stored `message`, when its `messageId` is the row
    /// of this message: the same type, and the same UID when both have one, otherwise the
    /// same remote URL. A stale `messageId` (another user's row, another message's) stamps
    /// nothing. The row as stored then.
    async fn keep_local_path(&self, message: &Message, local: &str) -> Option<MessageRow> {
        let id = message.message_id?;
        let kind = message.message_type;
        let uid = message.message_uid.clone().filter(|u| !u.is_empty());
        let remote = remote_of(message).to_string();
        let local = local.to_string();
        self.store(move |s| {
            let Some(row) = s.message(id)? else {
                return Ok(None);
            };
            let stored = codec::message_from_row(&row);
            let same = row.message_type == kind
                && match (uid.as_deref(), row.uid.as_deref()) {
                    (Some(a), Some(b)) => a == b,
                    _ => remote_of(&stored) == remote,
                };
            if !same {
                tracing::info!(id, "media: a stale messageId, no local path stored");
                return Ok(None);
            }
            s.set_local_path(id, &local)
        })
        .await
        .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A message stored as `id` with `uid`, its file at `remote`.
    fn image(id: Option<i64>, uid: Option<&str>, remote: &str) -> Message {
        let mut message = Message {
            message_type: crate::model::message_type::IMAGE,
            message_id: id,
            message_uid: uid.map(Into::into),
            ..Message::default()
        };
        message.fields.insert("remote".into(), json!(remote));
        message
    }

    #[test]
    fn one_key_per_file_and_parts_being_written_are_kept() {
        let remote = "http://h/media/f/a.png";
        // Downloads of one message by row id and by UID, and of its URL alone: three files.
        let by_id = image(Some(7), Some("U1"), remote);
        let by_uid = image(None, Some("U1"), remote);
        let by_url = image(None, None, remote);
        assert_eq!(key(&by_id), TransferKey::Download("m7-a.png".into()));
        let uid_name = format!("{}-a.png", crate::config::sanitize("U1"));
        assert_eq!(key(&by_uid), TransferKey::Download(uid_name));
        assert_ne!(key(&by_url), key(&by_uid));
        let dir = tempfile::tempdir().unwrap();
        let part_of = |m: &Message| {
            let path = dir.path().join(format!("{}.part", dest_name(m)));
            std::fs::write(&path, b"x").unwrap();
            path
        };
        let (id_part, uid_part) = (part_of(&by_id), part_of(&by_uid));
        let transfers = Arc::new(Transfers::default());
        let session = SessionSlot::default();
        // The download by UID runs while the one by id completes: its part stays.
        let running = transfers.start(&session, key(&by_uid)).unwrap();
        let mine = transfers.start(&session, key(&by_id)).unwrap();
        std::fs::remove_file(&id_part).unwrap(); // renamed into the file
        assert!(mine.settle().is_none());
        // A new download of the same file must wait until the completed one let go of it.
        assert!(transfers.start(&session, key(&by_id)).is_none());
        remove_stale_parts(&transfers, &session, dir.path(), &prefixes(&by_id), None);
        assert!(uid_part.exists(), "a part being written is never deleted");
        drop(mine);
        // The file is gone (404) for a newer download by id: its own part goes, while it
        // holds its key; the one by UID still writes its part.
        let again = part_of(&by_id);
        let newer = transfers.start(&session, key(&by_id)).unwrap();
        let own = dest_name(&by_id);
        remove_stale_parts(
            &transfers,
            &session,
            dir.path(),
            &prefixes(&by_id),
            Some(&own),
        );
        assert!(!again.exists(), "its own part goes");
        assert!(uid_part.exists(), "a part being written stays");
        drop((running, newer));
        remove_stale_parts(&transfers, &session, dir.path(), &prefixes(&by_id), None);
        assert!(!uid_part.exists(), "stale once nobody writes it");
    }

    #[test]
    fn download_names_are_safe_path_components() {
        assert_eq!(download_name("http://h/media/id/a%20b.png"), "a b.png");
        assert_eq!(download_name("http://h/media/id/..%2F..%2Fx"), "_.._x");
        assert_eq!(download_name("http://h/media/id/"), "file");
        assert_eq!(download_name("http://h/media/id/x.png?sig=1"), "x.png");
        assert_ne!(url_hash("http://a/1"), url_hash("http://a/2"));
    }

    #[test]
    fn parts_of_a_finished_download_and_old_parts_go() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, b"x").unwrap();
            path
        };
        let mine = write("m7-a.png.part");
        let by_uid = write("uid_2d1-a.png.part");
        let other = write("m70-a.png.part");
        let done = write("m7-a.png");
        let transfers = Arc::new(Transfers::default());
        let session = SessionSlot::default();
        remove_stale_parts(
            &transfers,
            &session,
            dir.path(),
            &["m7".into(), "uid_2d1".into()],
            None,
        );
        assert!(!mine.exists() && !by_uid.exists());
        assert!(
            other.exists() && done.exists(),
            "other messages and files stay"
        );
        let week_old = std::time::SystemTime::now() - PART_MAX_AGE - Duration::from_secs(60);
        let old = write("m8-b.bin.part");
        let old_file = write("m9-c.bin");
        for path in [&old, &old_file] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(week_old)
                .unwrap();
        }
        sweep_parts(dir.path().parent().unwrap());
        sweep_parts_older_than(dir.path(), PART_MAX_AGE);
        assert!(!old.exists(), "an old part goes");
        assert!(other.exists(), "a recent part stays");
        assert!(
            done.exists() && old_file.exists(),
            "downloaded files are never swept"
        );
    }
}
