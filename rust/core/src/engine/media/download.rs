//! `downloadMediaMessage` in the background: download into the user's media directory with
//! progress, resuming a part; the local path kept with a stored message.

use super::transfers::{Registration, TransferKey};
use super::MediaTask;
use crate::codec;
use crate::codes;
use crate::event::{Event, EventId};
use crate::media::transfer::{Transfer, TransferError};
use crate::model::Message;
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

/// The transfer key of a download of `message`.
pub(super) fn key(message: &Message) -> TransferKey {
    match message.message_id {
        Some(id) => TransferKey::Download(format!("#{id}")),
        None => TransferKey::Download(remote_of(message).to_string()),
    }
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

/// Deletes the parts in `dir` of a message whose download names start with one of
/// `prefixes` (its download completed, or its file is gone). Blocking.
fn remove_parts(dir: &Path, prefixes: &[String]) {
    for path in parts(dir) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if prefixes.iter().any(|p| name.starts_with(&format!("{p}-"))) {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::debug!(error = %e, "media: cannot remove a part");
            }
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
        let dest = dir.join(format!("{}-{}", prefixes[0], download_name(&remote)));
        let (progress, mut percents) = mpsc::unbounded_channel();
        // The cancel call and the completion are decided once, before the part becomes the
        // file: cancelled with the part kept, or complete (a later cancel finds nothing).
        let download = Transfer {
            client: &self.shared.media_http,
            cancel: registration.token(),
            stall: self.shared.config.media_stall_timeout,
            progress,
        }
        .download(&remote, &dest, || registration.settle().is_none());
        let result = self
            .with_progress(download, &mut percents, &message, &event_id, downloading)
            .await;
        if let Some(cancel_event_id) = registration.settle() {
            return self
                .report_canceled(registration.key(), message, cancel_event_id, event_id)
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
                // Parts left by attempts under another name of this message are stale now.
                tokio::task::spawn_blocking(move || remove_parts(&dir, &prefixes));
                let local = dest.to_string_lossy().into_owned();
                let mut message = message;
                if let Some(id) = message.message_id {
                    let path = local.clone();
                    if let Some(Some(row)) = self.store(move |s| s.set_local_path(id, &path)).await
                    {
                        message = codec::message_from_row(&row);
                    }
                }
                message.fields.insert("local".into(), json!(local));
                return self
                    .emit(Event::MediaMessageDownloaded {
                        code: 0,
                        message,
                        event_id,
                    })
                    .await;
            }
            Err(TransferError::NotFound) => {
                // The file is gone for good: nothing to resume.
                tokio::task::spawn_blocking(move || remove_parts(&dir, &prefixes));
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
        self.emit(Event::MediaMessageDownloaded {
            code,
            message,
            event_id,
        })
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        remove_parts(dir.path(), &["m7".into(), "uid_2d1".into()]);
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
