//! The file service's rules: upload tickets (who may upload what, how large) and their
//! verification when the upload arrives over HTTP.
//!
//! A client asks for a ticket over its connection (`MediaUploadRequest`: media type, exact
//! size, file name); the answer (`MediaUploadTicket`) is a random file id and a token sealed
//! like connection tokens (`base64url(json).base64url(HMAC-SHA256)`) binding the user, the
//! file id, the media type, the size and the expiry. The HMAC key is derived from the app
//! secret ([`crate::token::derive_key`], label [`TICKET_KEY_LABEL`]), so tickets stay valid
//! across restarts and on every node that hosts the app with the same secret; changing the
//! app secret invalidates the tickets outstanding (they live one hour by default anyway).

use super::error::ServiceError;
use super::quota::UploadQuota;
use crate::blob::BlobStore;
use crate::config::MediaConfig;
use crate::token::{derive_key, seal, unseal};
use crate::util::now_ms;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rcim_proto::codes::{
    FILE_UPLOAD_FAILED, MEDIA_EMPTY, MEDIA_TYPE_INVALID, SEND_MSG_FREQUENCY_OVERRUN,
};
use rcim_proto::media_type::{self, too_large_code};
use rcim_proto::v1::{MediaUploadRequest, MediaUploadTicket};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Longest file name of a ticket request (bytes).
pub(crate) const MAX_FILE_NAME_LEN: usize = 256;
/// Label of the ticket key derived from the app secret.
pub(crate) const TICKET_KEY_LABEL: &str = "rcim media upload ticket v1";
/// Random bytes of a file id (base64url: 22 characters).
const FILE_ID_BYTES: usize = 16;

/// What a ticket grants, sealed in its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Grant {
    /// The user the ticket was issued to.
    #[serde(rename = "u")]
    pub user_id: String,
    /// The file to upload.
    #[serde(rename = "f")]
    pub file_id: String,
    /// Its media type.
    #[serde(rename = "t")]
    pub media_type: u32,
    /// Its exact size in bytes.
    #[serde(rename = "s")]
    pub size: u64,
    /// Unix ms after which the ticket is refused.
    #[serde(rename = "e")]
    pub expires_at: i64,
}

/// The file service: ticket key, limits, per-user quota, blob storage and the upload slots.
pub(crate) struct Media {
    pub(crate) config: MediaConfig,
    key: [u8; 32],
    pub(crate) blobs: Arc<dyn BlobStore>,
    uploads: Arc<Semaphore>,
    quota: UploadQuota,
}

impl Media {
    /// The file service of the app whose secret is `app_secret`, storing in `blobs`.
    pub(crate) fn new(config: MediaConfig, app_secret: &str, blobs: Arc<dyn BlobStore>) -> Self {
        let uploads = Arc::new(Semaphore::new(config.max_concurrent_uploads.max(1)));
        let quota = UploadQuota::new(config.upload_quota_bytes, config.upload_quota_window);
        let largest = media_type::RANGE
            .filter_map(|t| Self::limit_in(&config, t))
            .max()
            .unwrap_or(0);
        if quota.is_limited() && config.upload_quota_bytes < largest {
            tracing::warn!(
                quota = config.upload_quota_bytes,
                largest,
                "the per-user upload quota is below the largest file limit: such files can \
                 never be uploaded"
            );
        }
        Self {
            config,
            key: derive_key(app_secret, TICKET_KEY_LABEL),
            blobs,
            uploads,
            quota,
        }
    }

    /// The largest file of `media_type` under `c`, `None` when it is not a media type.
    fn limit_in(c: &MediaConfig, media_type: u32) -> Option<u64> {
        match media_type {
            media_type::VOICE => Some(c.voice_max_bytes),
            media_type::IMAGE => Some(c.image_max_bytes),
            media_type::FILE => Some(c.file_max_bytes),
            media_type::SIGHT => Some(c.sight_max_bytes),
            media_type::GIF => Some(c.gif_max_bytes),
            _ => None,
        }
    }

    /// A ticket for `user_id` to upload the file `r` describes, its size charged to the user's
    /// upload quota. Refusals (nothing charged): 34019 not a media type, 34018 empty, 34003 GIF
    /// over its limit, 26106 other type over its limit, 33003 file name over
    /// [`MAX_FILE_NAME_LEN`] bytes, 20604 the user's upload quota is used up for now.
    pub(crate) fn ticket(
        &self,
        user_id: &str,
        r: &MediaUploadRequest,
    ) -> Result<MediaUploadTicket, ServiceError> {
        let Some(limit) = Self::limit_in(&self.config, r.media_type) else {
            return Err(ServiceError::rejected(
                MEDIA_TYPE_INVALID,
                format!("{} is not a media type", r.media_type),
            ));
        };
        if r.size == 0 {
            return Err(ServiceError::rejected(MEDIA_EMPTY, "empty file"));
        }
        if r.size > limit {
            return Err(ServiceError::rejected(
                too_large_code(r.media_type),
                format!("{} bytes is over the limit of {limit}", r.size),
            ));
        }
        if r.file_name.len() > MAX_FILE_NAME_LEN {
            return Err(ServiceError::Invalid("file name too long".into()));
        }
        // Charged last, so that a refused request costs nothing; charged at issue rather than
        // on upload, so that no number of tickets can add up to more than the quota.
        if !self.quota.try_charge(user_id, r.size, Instant::now()) {
            return Err(ServiceError::rejected(
                SEND_MSG_FREQUENCY_OVERRUN,
                format!("upload quota of {user_id} used up"),
            ));
        }
        let ttl_ms = i64::try_from(self.config.ticket_ttl.as_millis()).unwrap_or(i64::MAX);
        let grant = Grant {
            user_id: user_id.to_owned(),
            file_id: URL_SAFE_NO_PAD.encode(rand::random::<[u8; FILE_ID_BYTES]>()),
            media_type: r.media_type,
            size: r.size,
            expires_at: now_ms().saturating_add(ttl_ms),
        };
        Ok(MediaUploadTicket {
            token: seal(&self.key, &grant),
            file_id: grant.file_id,
            expires_at: grant.expires_at,
        })
    }

    /// What `token` grants for uploading `file_id`: refused with 34011 when it is forged,
    /// expired, or for another file.
    pub(crate) fn check_upload(&self, token: &str, file_id: &str) -> Result<Grant, ServiceError> {
        let refused = |why: &str| ServiceError::rejected(FILE_UPLOAD_FAILED, why.to_owned());
        let grant: Grant = unseal(token, &self.key).ok_or_else(|| refused("invalid ticket"))?;
        if grant.file_id != file_id {
            return Err(refused("the ticket is for another file"));
        }
        if grant.expires_at < now_ms() {
            return Err(refused("the ticket expired"));
        }
        Ok(grant)
    }

    /// A slot among the concurrent uploads, `None` when all are taken (the caller refuses at
    /// once rather than queueing).
    pub(crate) fn upload_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.uploads.clone().try_acquire_owned().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blob::FsBlobStore;

    fn media(config: MediaConfig) -> (tempfile::TempDir, Media) {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Arc::new(FsBlobStore::open(dir.path()).unwrap());
        (dir, Media::new(config, "secret", blobs))
    }

    fn request(media_type: u32, size: u64) -> MediaUploadRequest {
        MediaUploadRequest {
            media_type,
            size,
            file_name: "a.bin".into(),
        }
    }

    fn code(r: Result<MediaUploadTicket, ServiceError>) -> u32 {
        r.map(|_| 0).unwrap_or_else(|e| e.client_code())
    }

    #[test]
    fn tickets_follow_the_limits() {
        let (_dir, m) = media(MediaConfig::default());
        let mib = 1024 * 1024;
        assert_eq!(
            code(m.ticket("u", &request(media_type::IMAGE, 20 * mib))),
            0
        );
        assert_eq!(
            code(m.ticket("u", &request(media_type::IMAGE, 20 * mib + 1))),
            26106
        );
        assert_eq!(
            code(m.ticket("u", &request(media_type::GIF, 2 * mib + 1))),
            34003
        );
        assert_eq!(code(m.ticket("u", &request(media_type::VOICE, 0))), 34018);
        assert_eq!(code(m.ticket("u", &request(2, 10))), 34019);
        let mut long = request(media_type::FILE, 10);
        long.file_name = "x".repeat(MAX_FILE_NAME_LEN + 1);
        assert_eq!(code(m.ticket("u", &long)), 33003);
    }

    #[test]
    fn tickets_are_charged_to_the_user_quota() {
        let (_dir, m) = media(MediaConfig {
            upload_quota_bytes: 100,
            ..MediaConfig::default()
        });
        assert_eq!(code(m.ticket("u", &request(media_type::FILE, 60))), 0);
        assert_eq!(
            code(m.ticket("u", &request(media_type::FILE, 60))),
            SEND_MSG_FREQUENCY_OVERRUN
        );
        // Refused for another reason first: not charged.
        assert_eq!(code(m.ticket("u", &request(2, 40))), MEDIA_TYPE_INVALID);
        assert_eq!(code(m.ticket("u", &request(media_type::FILE, 40))), 0);
        assert_eq!(code(m.ticket("v", &request(media_type::FILE, 100))), 0);
    }

    #[test]
    fn tokens_bind_the_file_and_expire() {
        let (_dir, m) = media(MediaConfig::default());
        let t = m.ticket("u", &request(media_type::FILE, 10)).unwrap();
        assert!(t.file_id.len() >= 22);
        let grant = m.check_upload(&t.token, &t.file_id).unwrap();
        assert_eq!((grant.user_id.as_str(), grant.size), ("u", 10));
        let other = m.ticket("u", &request(media_type::FILE, 10)).unwrap();
        assert_ne!(other.file_id, t.file_id);
        assert!(m.check_upload(&t.token, &other.file_id).is_err());
        assert!(m.check_upload("garbage", &t.file_id).is_err());
        let (_dir2, elsewhere) = media(MediaConfig::default());
        assert!(
            elsewhere.check_upload(&t.token, &t.file_id).is_ok(),
            "same secret, same key"
        );
        let (_dir3, expired) = media(MediaConfig {
            ticket_ttl: std::time::Duration::ZERO,
            ..MediaConfig::default()
        });
        let t = expired.ticket("u", &request(media_type::FILE, 10)).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        let e = expired.check_upload(&t.token, &t.file_id).unwrap_err();
        assert_eq!(e.client_code(), FILE_UPLOAD_FAILED);
    }
}
