//! `rcim-server`: the RCIM reference server as one process.
//!
//! ```text
//! rcim-server --data-dir DIR --listen HOST:PORT --http HOST:PORT --app-key KEY --app-secret SECRET
//! ```
//! Every option also reads an environment variable (`RCIM_DATA_DIR`, `RCIM_LISTEN`, ...).
//! Logging follows `RUST_LOG` (or `--log`), default `info`.

use clap::Parser;
use rcim_server::{ChatroomConfig, MediaConfig, UltraGroupConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

/// Command-line options.
#[derive(Debug, Parser)]
#[command(name = "rcim-server", version, about = "RCIM reference IM server")]
struct Args {
    /// Directory of the embedded database and of uploaded media (`media/`).
    #[arg(long, env = "RCIM_DATA_DIR", default_value = "./rcim-data")]
    data_dir: PathBuf,
    /// Client gateway address.
    #[arg(long, env = "RCIM_LISTEN", default_value = "0.0.0.0:8100")]
    listen: SocketAddr,
    /// HTTP address: navigation, the Server API and the file service.
    #[arg(long, env = "RCIM_HTTP", default_value = "0.0.0.0:8101")]
    http: SocketAddr,
    /// The app key this server hosts.
    #[arg(long, env = "RCIM_APP_KEY")]
    app_key: String,
    /// The app secret (signs tokens and Server API requests).
    #[arg(long, env = "RCIM_APP_SECRET", hide_env_values = true)]
    app_secret: String,
    /// Expected seconds between client heartbeats.
    #[arg(long, env = "RCIM_HEARTBEAT_SECS", default_value_t = 30)]
    heartbeat_secs: u32,
    /// Days offline messages are kept (0 = forever).
    #[arg(long, env = "RCIM_OFFLINE_RETENTION_DAYS", default_value_t = 7)]
    offline_retention_days: u32,
    /// Sends per connection per second (0 = unlimited).
    #[arg(long, env = "RCIM_SEND_RATE", default_value_t = 5)]
    send_rate_per_sec: u32,
    /// Recalls, read receipts, conversation settings and media upload tickets per connection
    /// per second (0 = unlimited).
    #[arg(long, env = "RCIM_REQUEST_RATE", default_value_t = 50)]
    request_rate_per_sec: u32,
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
    /// Days the cloud history is kept (0 = forever).
    #[arg(long, env = "RCIM_HISTORY_RETENTION_DAYS", default_value_t = 180)]
    history_retention_days: u32,
    /// Days of inbox entries a new device or a reinstall receives (0..=7; 0 = none).
    #[arg(long, env = "RCIM_OFFLINE_COMPENSATION_DAYS", default_value_t = 1)]
    offline_compensation_days: u32,
    /// Only a message's sender may recall it (others get 25107).
    #[arg(long, env = "RCIM_RECALL_ONLY_SENDER")]
    recall_only_sender: bool,
    /// Most sensitive words (`/sensitiveword/add.json`; beyond: 1016).
    #[arg(long, env = "RCIM_SENSITIVE_WORD_LIMIT", default_value_t = 50)]
    sensitive_word_limit: usize,
    /// Object names the sensitive-word filter screens besides RC:TxtMsg (every top-level
    /// string of their JSON content); comma-separated or repeated.
    #[arg(long, env = "RCIM_SENSITIVE_WORD_OBJECT_NAMES", value_delimiter = ',')]
    sensitive_word_object_name: Vec<String>,
    /// Most conversations a user may pin or set a level for (beyond: 20605).
    #[arg(long, env = "RCIM_MAX_CONVERSATION_SETTINGS", default_value_t = 10_000)]
    max_conversation_settings: usize,
    /// Offline push providers (APNs, FCM) and their limits: a JSON file (see
    /// `PushConfig::from_file`); without it no push is sent.
    #[arg(long, env = "RCIM_PUSH_CONFIG")]
    push_config: Option<PathBuf>,
    /// Seconds without joins, leaves or messages after which a chatroom is destroyed (0 =
    /// never; a room created with its own destroy settings keeps them).
    #[arg(long, env = "RCIM_CHATROOM_IDLE_DESTROY_SECS", default_value_t = ChatroomConfig::default().idle_destroy.as_secs())]
    chatroom_idle_destroy_secs: u64,
    /// Chatrooms one user may be in at once (joining one more leaves the oldest).
    #[arg(long, env = "RCIM_CHATROOM_MAX_JOINED", default_value_t = ChatroomConfig::default().max_joined_per_user)]
    chatroom_max_joined: usize,
    /// Days stored chatroom messages are kept for history pages (0 = forever).
    #[arg(long, env = "RCIM_CHATROOM_HISTORY_RETENTION_DAYS", default_value_t = ChatroomConfig::default().history_retention_days)]
    chatroom_history_retention_days: u32,
    /// Chatroom object names delivered with high priority (never dropped for a slow
    /// member); comma-separated or repeated. Default: RC:chrmKVNotiMsg,RC:RcNtf.
    #[arg(long, env = "RCIM_CHATROOM_HIGH_PRIORITY", value_delimiter = ',')]
    chatroom_high_priority: Option<Vec<String>>,
    /// Outbound queue slots low-priority chatroom messages may use per connection (beyond:
    /// dropped for that member).
    #[arg(long, env = "RCIM_CHATROOM_LOW_PRIORITY_SHARE", default_value_t = ChatroomConfig::default().low_priority_share)]
    chatroom_low_priority_share: usize,
    /// Seconds offline after which a chatroom member is removed on the room's next message.
    #[arg(long, env = "RCIM_CHATROOM_AUTO_KICK_SECS", default_value_t = ChatroomConfig::default().auto_kick_after.as_secs())]
    chatroom_auto_kick_secs: u64,
    /// Room messages after which an offline chatroom member is removed.
    #[arg(long, env = "RCIM_CHATROOM_AUTO_KICK_MESSAGES", default_value_t = ChatroomConfig::default().auto_kick_messages)]
    chatroom_auto_kick_messages: u32,
    /// Chatrooms with more members than this announce no member joins and leaves.
    #[arg(long, env = "RCIM_CHATROOM_MEMBER_EVENTS_MAX_MEMBERS", default_value_t = ChatroomConfig::default().member_events_max_members)]
    chatroom_member_events_max_members: usize,
    /// Most chatrooms this node holds: a join creating one more (autoCreate) is refused
    /// with 23410.
    #[arg(long, env = "RCIM_CHATROOM_MAX_ROOMS", default_value_t = ChatroomConfig::default().max_rooms)]
    chatroom_max_rooms: usize,
    /// Chatrooms one user may create by joining (autoCreate) per minute; beyond: 20604.
    #[arg(long, env = "RCIM_CHATROOM_AUTO_CREATE_PER_MINUTE", default_value_t = ChatroomConfig::default().auto_create_per_minute)]
    chatroom_auto_create_per_minute: u32,
    /// Days ultra-group channel messages are kept (0 = forever).
    #[arg(long, env = "RCIM_ULTRAGROUP_RETENTION_DAYS", default_value_t = UltraGroupConfig::default().retention_days)]
    ultragroup_retention_days: u32,
    /// Messages per second one ultra-group channel accepts (beyond: 24415; 0 = unlimited).
    #[arg(long, env = "RCIM_ULTRAGROUP_CHANNEL_RATE", default_value_t = UltraGroupConfig::default().channel_rate_per_sec)]
    ultragroup_channel_rate: u32,
    /// Milliseconds ultra-group typing events are gathered before one batch per group.
    #[arg(long, env = "RCIM_ULTRAGROUP_TYPING_BATCH_MS", default_value_t = UltraGroupConfig::default().typing_batch.as_millis() as u64)]
    ultragroup_typing_batch_ms: u64,
    /// Ultra groups one user may be a member of (beyond: 24412).
    #[arg(long, env = "RCIM_ULTRAGROUP_MAX_GROUPS_PER_USER", default_value_t = UltraGroupConfig::default().max_groups_per_user)]
    ultragroup_max_groups_per_user: usize,
    /// Channels one ultra group may have, RCDefault included (beyond: 24413).
    #[arg(long, env = "RCIM_ULTRAGROUP_MAX_CHANNELS", default_value_t = UltraGroupConfig::default().max_channels)]
    ultragroup_max_channels: usize,
    /// Log filter (RUST_LOG syntax), e.g. `info,rcim_server=debug`.
    #[arg(long, env = "RUST_LOG", default_value = "info")]
    log: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(EnvFilter::try_new(&args.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    raise_open_file_limit();
    let mut config = rcim_server::ServerConfig::new(args.data_dir, args.app_key, args.app_secret);
    config.listen = args.listen;
    config.http = args.http;
    config.heartbeat_secs = args.heartbeat_secs;
    config.offline_retention_days = args.offline_retention_days;
    config.send_rate_per_sec = args.send_rate_per_sec;
    config.request_rate_per_sec = args.request_rate_per_sec;
    config.media = MediaConfig {
        image_max_bytes: args.media_image_max_bytes,
        voice_max_bytes: args.media_voice_max_bytes,
        file_max_bytes: args.media_file_max_bytes,
        sight_max_bytes: args.media_sight_max_bytes,
        gif_max_bytes: args.media_gif_max_bytes,
        ticket_ttl: Duration::from_secs(args.media_ticket_ttl_secs),
        max_concurrent_uploads: args.media_max_uploads,
        read_timeout: Duration::from_secs(args.media_read_timeout_secs.max(1)),
        upload_quota_bytes: args.media_upload_quota_bytes,
        upload_quota_window: Duration::from_secs(args.media_upload_quota_window_secs),
    };
    config.history_retention_days = args.history_retention_days;
    config.offline_compensation_days = args.offline_compensation_days;
    config.recall_only_sender = args.recall_only_sender;
    config.sensitive_word_limit = args.sensitive_word_limit;
    config.sensitive_word_object_names = args.sensitive_word_object_name;
    config.max_conversation_settings = args.max_conversation_settings;
    let defaults = ChatroomConfig::default();
    config.chatroom = ChatroomConfig {
        idle_destroy: Duration::from_secs(args.chatroom_idle_destroy_secs),
        max_joined_per_user: args.chatroom_max_joined,
        history_retention_days: args.chatroom_history_retention_days,
        high_priority_object_names: args
            .chatroom_high_priority
            .unwrap_or(defaults.high_priority_object_names),
        low_priority_share: args.chatroom_low_priority_share,
        auto_kick_after: Duration::from_secs(args.chatroom_auto_kick_secs),
        auto_kick_messages: args.chatroom_auto_kick_messages,
        member_events_max_members: args.chatroom_member_events_max_members,
        max_rooms: args.chatroom_max_rooms,
        auto_create_per_minute: args.chatroom_auto_create_per_minute,
        ring_len: defaults.ring_len,
    };
    config.ultragroup = UltraGroupConfig {
        retention_days: args.ultragroup_retention_days,
        channel_rate_per_sec: args.ultragroup_channel_rate,
        typing_batch: Duration::from_millis(args.ultragroup_typing_batch_ms.max(1)),
        max_groups_per_user: args.ultragroup_max_groups_per_user,
        max_channels: args.ultragroup_max_channels,
    };
    if let Some(path) = &args.push_config {
        config.push = rcim_server::PushConfig::from_file(path)?;
    }
    let server = rcim_server::start(config).await?;
    tracing::info!(gateway = %server.gateway_addr(), navi = %server.navi_url(), "ready");
    wait_for_signal().await;
    tracing::info!("signal received; shutting down");
    server.shutdown().await;
    Ok(())
}

/// Every client connection is a file descriptor: raise the soft open-file limit to the hard
/// one (the soft default, often 1,024, would refuse connections long before memory runs out).
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open-file limit"),
        Err(e) => tracing::warn!(error = %e, "cannot raise the open-file limit"),
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
