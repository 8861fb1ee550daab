//! Engine configuration: `RCIMIWEngineOptions` plus what the platform provides.

use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// The reconnect schedule of the seed: 0, 0.25, 0.5, 1, 2, 4, 8, 16, 32 s, then every 64 s.
pub const RECONNECT_SCHEDULE_MS: [u64; 9] = [0, 250, 500, 1000, 2000, 4000, 8000, 16000, 32000];

/// Delay after the schedule is exhausted.
pub const RECONNECT_STEADY_MS: u64 = 64_000;

/// The delay before reconnect attempt `attempt` (0-based).
pub fn reconnect_delay(attempt: usize) -> Duration {
    Duration::from_millis(
        RECONNECT_SCHEDULE_MS
            .get(attempt)
            .copied()
            .unwrap_or(RECONNECT_STEADY_MS),
    )
}

/// `RCIMIWEngineOptions` fields the engine uses (unknown fields are ignored).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineOptions {
    /// Navigation server base URL (`http://host:port`); the server answers with the gateway.
    #[serde(default)]
    pub navi_server: Option<String>,
    /// Media server base URL (the file service); the navigation server's when absent.
    #[serde(default)]
    pub file_server: Option<String>,
    /// Image and thumbnail compression (`RCIMIWCompressOptions`).
    #[serde(default)]
    pub compress_options: Option<CompressOptions>,
    /// Seed semantics: when reconnecting finds another mobile device online, give up (true) or
    /// kick it (false).
    #[serde(default)]
    pub kick_reconnect_device: Option<bool>,
    /// Android push configuration (`RCIMIWPushOptions`).
    #[serde(default)]
    pub push_options: Option<PushOptions>,
    /// RCIM extension: CAs to trust besides the platform's and certificate pins, for
    /// self-hosted servers (`naviServer: 'https://…'`, TLS gateways).
    #[serde(default)]
    pub tls: Option<crate::tls::TlsOptions>,
}

/// `RCIMIWPushOptions` as the app gives them (every field optional). The vendor keys (Xiaomi,
/// Meizu, OPPO) and switches (Huawei, vivo) belong to the platform's push integration and are
/// accepted as they are; the engine itself uses `enable_fcm` to pick the push service of a
/// device token on hosts that are neither iOS nor Android (see [`EngineConfig::push_provider`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushOptions {
    /// Xiaomi push app id.
    #[serde(rename = "idMI")]
    pub id_mi: Option<String>,
    /// Xiaomi push app key.
    #[serde(rename = "appKeyMI")]
    pub app_key_mi: Option<String>,
    /// Meizu push app id.
    pub app_id_meizu: Option<String>,
    /// Meizu push app key.
    pub app_key_meizu: Option<String>,
    /// OPPO push app key.
    #[serde(rename = "appKeyOPPO")]
    pub app_key_oppo: Option<String>,
    /// OPPO push app secret.
    #[serde(rename = "appSecretOPPO")]
    pub app_secret_oppo: Option<String>,
    /// Huawei push on.
    #[serde(rename = "enableHWPush")]
    pub enable_hw_push: Option<bool>,
    /// FCM push on.
    #[serde(rename = "enableFCM")]
    pub enable_fcm: Option<bool>,
    /// vivo push on.
    #[serde(rename = "enableVIVOPush")]
    pub enable_vivo_push: Option<bool>,
}

/// The push service that delivers to this device (`PushProvider` of the protocol).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushProvider {
    /// Apple Push Notification service.
    Apns,
    /// Firebase Cloud Messaging.
    Fcm,
}

/// `RCIMIWCompressOptions` as the app gives them (every field optional). Meanings follow the
/// 5.2.5 code's JSDoc (the seed's table swaps the two size fields): `originalImageSize` is the
/// longest edge of a compressed image in pixels, `originalImageMaxSize` the file size in KiB
/// up to which an image is sent untouched. Sight and location fields are accepted and unused
/// here (video compression and map thumbnails belong to the platform glue).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompressOptions {
    /// JPEG quality (1..=100) of a compressed image.
    pub original_image_quality: Option<u32>,
    /// Longest edge (px) of a compressed image.
    pub original_image_size: Option<u32>,
    /// Size (KiB) up to which an image is sent as it is.
    pub original_image_max_size: Option<u32>,
    /// JPEG quality (1..=100) of thumbnails.
    pub thumbnail_quality: Option<u32>,
    /// Longest edge (px) of thumbnails.
    pub thumbnail_max_size: Option<u32>,
    /// Shortest edge (px) a thumbnail keeps when the image is very long and thin.
    pub thumbnail_min_size: Option<u32>,
    /// Unused on this host (platform video compression).
    pub sight_compress_width: Option<u32>,
    /// Unused on this host (platform video compression).
    pub sight_compress_height: Option<u32>,
    /// JPEG quality of a location message's thumbnail (default 70).
    pub location_thumbnail_quality: Option<u32>,
    /// Largest width of a location message's thumbnail (default 408 px).
    pub location_thumbnail_width: Option<u32>,
    /// Largest height of a location message's thumbnail (default 240 px).
    pub location_thumbnail_height: Option<u32>,
}

/// [`CompressOptions`] with RongCloud's defaults filled in and values clamped to sane ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compression {
    /// JPEG quality of a compressed image (default 85).
    pub image_quality: u8,
    /// Longest edge of a compressed image (default 1080 px).
    pub image_max_edge: u32,
    /// Images up to this many bytes are sent untouched (default 200 KiB).
    pub original_max_bytes: u64,
    /// JPEG quality of thumbnails (default 30).
    pub thumbnail_quality: u8,
    /// Longest edge of thumbnails (default 240 px).
    pub thumbnail_max_edge: u32,
    /// Shortest edge kept by thumbnails of long images (default 100 px).
    pub thumbnail_min_edge: u32,
    /// JPEG quality of location thumbnails (default 70).
    pub location_quality: u8,
    /// Box a location thumbnail fits in (default 408 × 240 px).
    pub location_width: u32,
    /// See `location_width`.
    pub location_height: u32,
}

impl Default for Compression {
    fn default() -> Self {
        CompressOptions::default().resolve()
    }
}

impl CompressOptions {
    /// The effective settings.
    pub fn resolve(&self) -> Compression {
        let quality = |q: Option<u32>, default: u8| {
            q.filter(|q| (1..=100).contains(q))
                .map_or(default, |q| q as u8)
        };
        let edge = |e: Option<u32>, default: u32| e.filter(|e| *e > 0).unwrap_or(default);
        Compression {
            image_quality: quality(self.original_image_quality, 85),
            image_max_edge: edge(self.original_image_size, 1080),
            original_max_bytes: u64::from(self.original_image_max_size.unwrap_or(200)) * 1024,
            thumbnail_quality: quality(self.thumbnail_quality, 30),
            thumbnail_max_edge: edge(self.thumbnail_max_size, 240),
            thumbnail_min_edge: edge(self.thumbnail_min_size, 100),
            location_quality: quality(self.location_thumbnail_quality, 70),
            location_width: edge(self.location_thumbnail_width, 408),
            location_height: edge(self.location_thumbnail_height, 240),
        }
    }
}

/// Everything needed to create an engine.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The app key.
    pub app_key: String,
    /// Navigation server base URL.
    pub navi_server: String,
    /// File service base URL (`http://host:port`, no trailing slash).
    pub file_server: String,
    /// Image compression settings.
    pub compression: Compression,
    /// Directory under which the engine keeps one database per user.
    pub data_dir: PathBuf,
    /// See [`EngineOptions::kick_reconnect_device`].
    pub kick_reconnect_device: bool,
    /// See [`EngineOptions::push_options`].
    pub push_options: PushOptions,
    /// See [`EngineOptions::tls`].
    pub tls: crate::tls::TlsOptions,
    /// How long a message may wait for a connection before it fails.
    pub send_timeout: Duration,
    /// How long to wait for a TCP connect or a `ConnectAck`.
    pub connect_step_timeout: Duration,
    /// Heartbeat interval override (the server's value is used when `None`).
    pub heartbeat: Option<Duration>,
    /// How many events may wait for the embedder in the engine's channel.
    pub event_queue_len: usize,
    /// How many bytes of events (weighed as their JSON) may wait there; see
    /// `event_queue` for the policy.
    pub event_queue_bytes: usize,
    /// A media upload or download during which nothing moves for this long fails (34011);
    /// [`crate::media::transfer::STALL_TIMEOUT`] unless a test shortens it. An upload's
    /// response, once its whole body is taken, gets
    /// [`crate::media::transfer::RESPONSE_STALLS`] times this.
    pub media_stall_timeout: Duration,
}

/// Default [`EngineConfig::event_queue_len`].
pub const DEFAULT_EVENT_QUEUE_LEN: usize = 10_000;

/// Default [`EngineConfig::event_queue_bytes`]: 8 MiB, a few thousand ordinary messages or
/// some 60 of the largest (128 KB) ones.
pub const DEFAULT_EVENT_QUEUE_BYTES: usize = 8 << 20;

/// Default navigation server when the options name none.
pub const DEFAULT_NAVI_SERVER: &str = "http://127.0.0.1:8080";

impl EngineConfig {
    /// A configuration from `create(appKey, options)` and the platform's data directory.
    pub fn new(app_key: &str, options: &EngineOptions, data_dir: PathBuf) -> Self {
        let navi_server = options
            .navi_server
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_NAVI_SERVER.to_string());
        let file_server = options
            .file_server
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&navi_server);
        Self {
            app_key: app_key.to_string(),
            file_server: crate::navi::base_url(file_server),
            navi_server,
            compression: options
                .compress_options
                .as_ref()
                .map(CompressOptions::resolve)
                .unwrap_or_default(),
            data_dir,
            kick_reconnect_device: options.kick_reconnect_device.unwrap_or(false),
            push_options: options.push_options.clone().unwrap_or_default(),
            tls: options.tls.clone().unwrap_or_default(),
            send_timeout: Duration::from_secs(30),
            connect_step_timeout: Duration::from_secs(10),
            heartbeat: None,
            event_queue_len: DEFAULT_EVENT_QUEUE_LEN,
            event_queue_bytes: DEFAULT_EVENT_QUEUE_BYTES,
            media_stall_timeout: crate::media::transfer::STALL_TIMEOUT,
        }
    }

    /// The push service of this device's token: APNs on iOS, FCM on Android; elsewhere (a
    /// desktop or test host standing in for either) FCM when `pushOptions.enableFCM` is set,
    /// else APNs.
    pub fn push_provider(&self) -> PushProvider {
        if cfg!(target_os = "ios") {
            PushProvider::Apns
        } else if cfg!(target_os = "android") || self.push_options.enable_fcm == Some(true) {
            PushProvider::Fcm
        } else {
            PushProvider::Apns
        }
    }

    /// The database file of `user_id`.
    pub fn database_path(&self, user_id: &str) -> PathBuf {
        self.app_dir().join(user_id).join("im.db")
    }

    /// Where the media files of `user_id` go (downloads, compressed uploads).
    pub fn media_dir(&self, user_id: &str) -> PathBuf {
        self.app_dir().join(sanitize(user_id)).join("media")
    }

    /// The directory of this app key.
    pub fn app_dir(&self) -> PathBuf {
        self.data_dir.join("rcim").join(sanitize(&self.app_key))
    }
}

/// A directory name for an id that is safe everywhere: `[a-z0-9-]` are kept, every other
/// byte becomes `_XX` (hex). Distinct ids give distinct names even on case-insensitive file
/// systems ("Alice" ≠ "alice"), and no id can escape the data directory.
pub fn sanitize(component: &str) -> String {
    let mut out = String::with_capacity(component.len());
    for byte in component.bytes() {
        match byte {
            b'a'..=b'z' | b'0'..=b'9' | b'-' => out.push(byte as char),
            _ => out.push_str(&format!("_{byte:02x}")),
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_matches_the_seed() {
        let secs: Vec<f64> = (0..11).map(|i| reconnect_delay(i).as_secs_f64()).collect();
        assert_eq!(
            secs,
            vec![0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 64.0]
        );
    }

    #[test]
    fn file_server_defaults_to_navigation_and_compression_to_rongcloud() {
        let options: EngineOptions =
            serde_json::from_str(r#"{"naviServer":"127.0.0.1:9"}"#).unwrap();
        let config = EngineConfig::new("k", &options, PathBuf::from("/d"));
        assert_eq!(config.file_server, "http://127.0.0.1:9");
        assert_eq!(config.compression.image_quality, 85);
        assert_eq!(config.compression.image_max_edge, 1080);
        assert_eq!(config.compression.thumbnail_max_edge, 240);
        assert_eq!(config.compression.thumbnail_quality, 30);
        let options: EngineOptions = serde_json::from_str(
            r#"{"fileServer":"http://f/","compressOptions":{"thumbnailMaxSize":120,
                "originalImageQuality":500,"originalImageMaxSize":1}}"#,
        )
        .unwrap();
        let config = EngineConfig::new("k", &options, PathBuf::from("/d"));
        assert_eq!(config.file_server, "http://f");
        assert_eq!(config.compression.thumbnail_max_edge, 120);
        assert_eq!(config.compression.image_quality, 85);
        assert_eq!(config.compression.original_max_bytes, 1024);
    }

    #[test]
    fn user_ids_map_to_distinct_safe_directory_names() {
        assert_eq!(sanitize("../etc"), "_2e_2e_2fetc");
        assert_eq!(sanitize("a+b=c_d-e"), "a_2bb_3dc_5fd-e");
        assert_ne!(sanitize("Alice"), sanitize("alice"));
        assert_ne!(sanitize("Alice").to_lowercase(), sanitize("alice"));
        assert_eq!(sanitize(""), "_");
    }

    #[test]
    fn push_options_are_accepted_and_pick_the_push_service() {
        let options: EngineOptions = serde_json::from_str(
            r#"{"pushOptions":{"idMI":"mi","appKeyMI":"mk","appIdMeizu":"zi","appKeyMeizu":"zk",
                "appKeyOPPO":"ok","appSecretOPPO":"os","enableHWPush":true,"enableFCM":true,
                "enableVIVOPush":false,"unknownVendor":"x"}}"#,
        )
        .unwrap();
        let config = EngineConfig::new("k", &options, PathBuf::from("/d"));
        assert_eq!(
            config.push_options,
            PushOptions {
                id_mi: Some("mi".into()),
                app_key_mi: Some("mk".into()),
                app_id_meizu: Some("zi".into()),
                app_key_meizu: Some("zk".into()),
                app_key_oppo: Some("ok".into()),
                app_secret_oppo: Some("os".into()),
                enable_hw_push: Some(true),
                enable_fcm: Some(true),
                enable_vivo_push: Some(false),
            }
        );
        assert_eq!(config.push_provider(), PushProvider::Fcm);
        let plain = EngineConfig::new("k", &EngineOptions::default(), PathBuf::from("/d"));
        assert_eq!(plain.push_options, PushOptions::default());
        assert_eq!(plain.push_provider(), PushProvider::Apns);
    }
}
