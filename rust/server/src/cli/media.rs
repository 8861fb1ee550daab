//! Options of the file service: upload limits and bounds.

use crate::config::{MediaConfig, ServerConfig};
use std::time::Duration;

/// Upload limits per media type, tickets and the bounds against hostile uploaders.
#[derive(Debug, clap::Args)]
pub(super) struct MediaArgs {
    /// Largest image upload, bytes (beyond: 26106).
    #[arg(
        long,
        env = "RCIM_MEDIA_IMAGE_MAX_BYTES",
        default_value_t = MediaConfig::default().image_max_bytes
    )]
    media_image_max_bytes: u64,
    /// Largest voice upload, bytes (beyond: 26106).
    #[arg(
        long,
        env = "RCIM_MEDIA_VOICE_MAX_BYTES",
        default_value_t = MediaConfig::default().voice_max_bytes
    )]
    media_voice_max_bytes: u64,
    /// Largest file upload, bytes (beyond: 26106).
    #[arg(
        long,
        env = "RCIM_MEDIA_FILE_MAX_BYTES",
        default_value_t = MediaConfig::default().file_max_bytes
    )]
    media_file_max_bytes: u64,
    /// Largest short video (sight) upload, bytes (beyond: 26106).
    #[arg(
        long,
        env = "RCIM_MEDIA_SIGHT_MAX_BYTES",
        default_value_t = MediaConfig::default().sight_max_bytes
    )]
    media_sight_max_bytes: u64,
    /// Largest GIF upload, bytes (beyond: 34003).
    #[arg(
        long,
        env = "RCIM_MEDIA_GIF_MAX_BYTES",
        default_value_t = MediaConfig::default().gif_max_bytes
    )]
    media_gif_max_bytes: u64,
    /// Seconds an upload ticket stays valid.
    #[arg(
        long,
        env = "RCIM_MEDIA_TICKET_TTL_SECS",
        default_value_t = MediaConfig::default().ticket_ttl.as_secs()
    )]
    media_ticket_ttl_secs: u64,
    /// Uploads running at the same time, server-wide (one more is answered 503).
    #[arg(
        long,
        env = "RCIM_MEDIA_MAX_UPLOADS",
        default_value_t = MediaConfig::default().max_concurrent_uploads
    )]
    media_max_uploads: usize,
    /// Seconds an upload may send no bytes before it is dropped (408).
    #[arg(
        long,
        env = "RCIM_MEDIA_READ_TIMEOUT_SECS",
        default_value_t = MediaConfig::default().read_timeout.as_secs()
    )]
    media_read_timeout_secs: u64,
    /// Bytes of uploads each user may be granted per quota window, charged when a ticket is
    /// issued (beyond: 20604); 0 = unlimited.
    #[arg(
        long,
        env = "RCIM_MEDIA_UPLOAD_QUOTA_BYTES",
        default_value_t = MediaConfig::default().upload_quota_bytes
    )]
    media_upload_quota_bytes: u64,
    /// Seconds of the per-user upload quota window (0 = unlimited; at most a year).
    #[arg(
        long,
        env = "RCIM_MEDIA_UPLOAD_QUOTA_WINDOW_SECS",
        default_value_t = MediaConfig::default().upload_quota_window.as_secs()
    )]
    media_upload_quota_window_secs: u64,
    /// Where the files are kept (default: `media/` in the data directory). The nodes of a
    /// cluster share one directory, e.g. a network file system mounted on each.
    #[arg(long, env = "RCIM_MEDIA_DIR")]
    media_dir: Option<std::path::PathBuf>,
}

impl MediaArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) {
        config.media = MediaConfig {
            image_max_bytes: self.media_image_max_bytes,
            voice_max_bytes: self.media_voice_max_bytes,
            file_max_bytes: self.media_file_max_bytes,
            sight_max_bytes: self.media_sight_max_bytes,
            gif_max_bytes: self.media_gif_max_bytes,
            ticket_ttl: Duration::from_secs(self.media_ticket_ttl_secs),
            max_concurrent_uploads: self.media_max_uploads,
            read_timeout: Duration::from_secs(self.media_read_timeout_secs.max(1)),
            upload_quota_bytes: self.media_upload_quota_bytes,
            upload_quota_window: Duration::from_secs(self.media_upload_quota_window_secs),
            dir: self.media_dir,
        };
    }
}
