//! Offline push at the bottom of the server: the [`PushProvider`] trait and its real
//! protocol clients (APNs over HTTP/2 with token auth, FCM HTTP v1 with service-account
//! OAuth), the [`dispatch::Dispatcher`] that queues notifications per provider and sends them
//! with retries, the provider configuration ([`config::PushConfig`]), and the records the
//! store keeps for push ([`records`]). Deciding who gets a push and what it says is the
//! service layer's (`crate::service::push`); nothing here knows about messages or users.

pub mod apns;
pub mod config;
pub mod dispatch;
pub mod fcm;
mod http;
pub(crate) mod records;

use futures::future::BoxFuture;
use std::time::Duration;

pub use config::PushConfig;

/// Which push service delivers to a device (the wire's `PushProvider`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// Apple Push Notification service.
    Apns,
    /// Firebase Cloud Messaging (HTTP v1).
    Fcm,
}

impl ProviderKind {
    /// From the wire's `PushProvider` value; `None` for unspecified or unknown values.
    pub fn from_wire(v: i32) -> Option<Self> {
        match v {
            1 => Some(Self::Apns),
            2 => Some(Self::Fcm),
            _ => None,
        }
    }

    /// The wire's `PushProvider` value (also the stored one).
    pub fn to_wire(self) -> i32 {
        match self {
            Self::Apns => 1,
            Self::Fcm => 2,
        }
    }
}

/// Longest APNs collapse id, in bytes (R254).
pub const MAX_COLLAPSE_ID: usize = 64;

/// Whether `id` can be sent as an `apns-collapse-id` header: printable ASCII, at most
/// [`MAX_COLLAPSE_ID`] bytes (anything else would be an invalid header value or be refused).
pub fn valid_collapse_id(id: &str) -> bool {
    id.len() <= MAX_COLLAPSE_ID && id.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// APNs-only fields of a notification (R253–R255).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IosFields {
    /// `thread-id` (grouping).
    pub thread_id: String,
    /// `apns-collapse-id` header ([`valid_collapse_id`]).
    pub collapse_id: String,
    /// `category`; with `rich_media_uri` it sets `mutable-content`.
    pub category: String,
    /// URL of rich content, sent as `richMediaUri` beside `aps`.
    pub rich_media_uri: String,
}

/// FCM-only fields of a notification (R256–R257).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AndroidFields {
    /// `android.notification.channel_id`.
    pub channel_id: String,
    /// `android.collapse_key`.
    pub collapse_key: String,
    /// `notification.image`.
    pub image_url: String,
    /// `android.notification.tag` (notifications with one tag replace each other).
    pub notification_id: String,
}

/// One notification for one device, provider-neutral; each provider maps it to its payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// The device's provider.
    pub provider: ProviderKind,
    /// The device's token at that provider.
    pub token: String,
    /// Title; empty = none (APNs: alert without title).
    pub title: String,
    /// Body text.
    pub body: String,
    /// The sender's `pushData`, delivered as `appData` (empty = absent).
    pub data: String,
    /// Badge (APNs `aps.badge`, FCM `android.notification.notification_count`); `None` = unset.
    pub badge: Option<u32>,
    /// APNs VoIP push (topic `<bundle>.voip`, push type `voip`); ignored by FCM.
    pub voip: bool,
    /// Where the notification comes from, delivered as the `rc` object (APNs) / the `rc`
    /// data key as JSON text (FCM): `{"cType","fId","tId","oName","id","channelId"}` as
    /// RongCloud's payload names them, so apps can open the conversation. `Null` = absent
    /// (a push without a message, `/push.json`).
    pub rc: serde_json::Value,
    /// What only APNs sends.
    pub ios: IosFields,
    /// What only FCM sends.
    pub android: AndroidFields,
}

/// What a provider answered for one notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// Accepted by the provider.
    Delivered,
    /// The token is no longer valid (APNs 410 / `BadDeviceToken`, FCM `UNREGISTERED` /
    /// `NOT_FOUND` in the error body): the token is removed and the notification dropped.
    Unregistered,
    /// A temporary failure (5xx, 429, timeout, connection error): retried with backoff,
    /// after `retry_after` when the provider said so.
    Retry {
        /// What went wrong, for logs.
        reason: String,
        /// The provider's `Retry-After`, if it gave one.
        retry_after: Option<Duration>,
    },
    /// A permanent failure (a malformed payload, bad credentials): logged and dropped.
    Rejected(String),
}

/// A push service client. Implementations never panic; every failure is a [`SendOutcome`].
pub trait PushProvider: Send + Sync + 'static {
    /// The provider this client talks to.
    fn kind(&self) -> ProviderKind;
    /// Sends one notification (one attempt: retries belong to the dispatcher).
    fn send<'a>(&'a self, n: &'a Notification) -> BoxFuture<'a, SendOutcome>;
}
