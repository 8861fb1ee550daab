//! Pushes without a message, from the Server API (`/push.json`, `/push/user.json`): a
//! notification the operator wrote, to listed users or to every user with a device, on the
//! platforms asked for. They reach every enabled device (there is no other way to deliver
//! them), are not subject to do-not-disturb, and leave badges alone unless the iOS part
//! sets one. Broadcasts to everyone are limited to 2 an hour and 3 a day (RongCloud's
//! limits, answered 1008).

use super::parts::Parts;
use crate::model::NewMessage;
use crate::push::records::PushDevice;
use crate::push::{AndroidFields, IosFields, Notification, ProviderKind};
use crate::service::error::ServiceError;
use crate::store::ServerStore;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Code of a broadcast beyond its limits (RongCloud's 1008, "call rate exceeded").
pub(crate) const BROADCAST_LIMITED: u32 = 1008;
/// Broadcasts allowed per hour and per day.
const PER_HOUR: usize = 2;
const PER_DAY: usize = 3;
/// Users read per page of a broadcast's audience.
const AUDIENCE_PAGE: u32 = 1000;
/// How long one direct push may take to queue all its notifications: it waits for room in
/// the dispatcher's queues (an audience can be larger than they are), but not for ever when a
/// provider is stuck. What is left when it runs out is dropped (logged, counted).
const QUEUE_BUDGET: Duration = Duration::from_secs(600);

/// The APNs part of a direct push; empty fields take the common ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IosPart {
    pub title: String,
    pub alert: String,
    pub badge: Option<u32>,
    pub fields: IosFields,
    /// `extras`, delivered as `appData` (JSON text).
    pub data: String,
}

/// The FCM part of a direct push; empty fields take the common ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AndroidPart {
    pub title: String,
    pub alert: String,
    pub fields: AndroidFields,
    /// `extras`, delivered as `appData` (JSON text).
    pub data: String,
}

/// A notification written by the operator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DirectPush {
    /// Platforms it goes to (`platform`: "ios" = APNs devices, "android" = FCM devices).
    pub ios: bool,
    pub android: bool,
    pub title: String,
    pub alert: String,
    pub ios_part: IosPart,
    pub android_part: AndroidPart,
}

/// Who gets a direct push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Audience {
    Users(Vec<String>),
    Everyone,
}

impl DirectPush {
    /// The notification for one device; `None` for a platform not asked for.
    pub(crate) fn notification(&self, device: &PushDevice) -> Option<Notification> {
        let pick = |own: &str, common: &str| {
            if own.is_empty() {
                common.to_owned()
            } else {
                own.to_owned()
            }
        };
        let mut n = Notification {
            provider: device.provider,
            token: device.token.clone(),
            title: String::new(),
            body: String::new(),
            data: String::new(),
            badge: None,
            voip: false,
            rc: serde_json::Value::Null,
            ios: IosFields::default(),
            android: AndroidFields::default(),
        };
        match device.provider {
            ProviderKind::Apns if self.ios => {
                let p = &self.ios_part;
                n.title = pick(&p.title, &self.title);
                n.body = pick(&p.alert, &self.alert);
                n.badge = p.badge;
                n.ios = p.fields.clone();
                n.data = p.data.clone();
            }
            ProviderKind::Fcm if self.android => {
                let p = &self.android_part;
                n.title = pick(&p.title, &self.title);
                n.body = pick(&p.alert, &self.alert);
                n.android = p.fields.clone();
                n.data = p.data.clone();
            }
            _ => return None,
        }
        Some(n)
    }
}

/// The broadcast limits: times of the broadcasts of the last day.
#[derive(Default)]
pub(crate) struct BroadcastLimiter {
    sent: Mutex<VecDeque<i64>>,
}

impl BroadcastLimiter {
    /// Records a broadcast at `now_ms` if the limits allow one; false otherwise.
    pub(crate) fn try_take(&self, now_ms: i64) -> bool {
        const HOUR: i64 = 3_600_000;
        let mut sent = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        while sent.front().is_some_and(|&t| t <= now_ms - 24 * HOUR) {
            sent.pop_front();
        }
        let last_hour = sent.iter().filter(|&&t| t > now_ms - HOUR).count();
        if sent.len() >= PER_DAY || last_hour >= PER_HOUR {
            return false;
        }
        sent.push_back(now_ms);
        true
    }
}

/// Stores and delivers a system message (`/push.json`'s `message`) to `msg.to_id`'s inbox;
/// waits for the commit. System messages only come from the Server API: clients cannot send
/// them (the client send path accepts private and group messages only).
pub(crate) async fn publish_system(
    store: &dyn ServerStore,
    msg: NewMessage,
) -> Result<(), ServiceError> {
    msg.check_limits().map_err(ServiceError::TooLong)?;
    debug_assert_eq!(msg.conversation_type, rcim_proto::conversation_type::SYSTEM);
    store.submit_message(msg).await?.await?;
    Ok(())
}

/// Refuses a broadcast to everyone beyond its limits ([`BROADCAST_LIMITED`]); records it
/// otherwise. Pushes to listed users are not limited.
pub(crate) fn check_broadcast(
    limiter: &BroadcastLimiter,
    audience: &Audience,
) -> Result<(), ServiceError> {
    if *audience == Audience::Everyone && !limiter.try_take(crate::util::now_ms()) {
        return Err(ServiceError::rejected(
            BROADCAST_LIMITED,
            "broadcast pushes are limited to 2 an hour and 3 a day",
        ));
    }
    Ok(())
}

/// How many notifications were handed to the dispatcher, and how many it took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Handed {
    pub handed: u64,
    pub queued: u64,
}

/// Sends `push` to `audience`: reads the users page by page and queues each device's
/// notification, waiting for room in the dispatcher's queues within [`QUEUE_BUDGET`]. Runs in
/// the background of the request that asked for it.
pub(crate) async fn send(
    parts: &Parts,
    push: &DirectPush,
    audience: Audience,
) -> Result<Handed, ServiceError> {
    let deadline = Instant::now() + QUEUE_BUDGET;
    match audience {
        Audience::Users(users) => {
            let recipients = parts.store.push_devices(users).await?;
            let devices = recipients.iter().flat_map(|r| r.devices.iter());
            Ok(hand_over(parts, push, devices, deadline).await)
        }
        Audience::Everyone => {
            let mut after = String::new();
            let mut total = Handed::default();
            loop {
                let page = parts
                    .store
                    .push_audience(after.clone(), AUDIENCE_PAGE)
                    .await?;
                let Some((last, _)) = page.last() else {
                    break;
                };
                after = last.clone();
                let h = hand_over(parts, push, page.iter().flat_map(|(_, d)| d), deadline).await;
                total.handed += h.handed;
                total.queued += h.queued;
                if page.len() < AUDIENCE_PAGE as usize {
                    break;
                }
            }
            Ok(total)
        }
    }
}

/// Hands the notification of each device to the dispatcher, waiting for room until
/// `deadline`; past it the rest are dropped without waiting.
async fn hand_over<'a>(
    parts: &Parts,
    push: &DirectPush,
    devices: impl Iterator<Item = &'a PushDevice>,
    deadline: Instant,
) -> Handed {
    let mut h = Handed::default();
    for n in devices.filter_map(|d| push.notification(d)) {
        h.handed += 1;
        let left = deadline.saturating_duration_since(Instant::now());
        if parts.dispatcher.enqueue_wait(n, left).await {
            h.queued += 1;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_limits() {
        const MIN: i64 = 60_000;
        let l = BroadcastLimiter::default();
        let t0 = 1_000_000_000_000;
        assert!(l.try_take(t0));
        assert!(l.try_take(t0 + MIN));
        assert!(!l.try_take(t0 + 2 * MIN), "2 an hour");
        assert!(l.try_take(t0 + 61 * MIN));
        assert!(!l.try_take(t0 + 200 * MIN), "3 a day");
        assert!(
            l.try_take(t0 + 24 * 60 * MIN + 1),
            "the first one left the day"
        );
    }

    #[test]
    fn platform_parts_override_the_common_fields() {
        let push = DirectPush {
            ios: true,
            android: false,
            title: "T".into(),
            alert: "A".into(),
            ios_part: IosPart {
                alert: "iA".into(),
                badge: Some(4),
                ..Default::default()
            },
            ..Default::default()
        };
        let apns = PushDevice {
            device_id: "d".into(),
            provider: ProviderKind::Apns,
            token: "t".into(),
        };
        let n = push.notification(&apns).unwrap();
        assert_eq!(
            (n.title.as_str(), n.body.as_str(), n.badge),
            ("T", "iA", Some(4))
        );
        assert_eq!(n.rc, serde_json::Value::Null);
        let fcm = PushDevice {
            provider: ProviderKind::Fcm,
            ..apns
        };
        assert!(push.notification(&fcm).is_none(), "android not asked for");
    }
}
