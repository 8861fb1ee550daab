//! `/push.json` and `/push/user.json`: notifications without a message (JSON bodies, as
//! RongCloud's SDKs send them), sent through the offline push service
//! ([`crate::service::push::direct`]). Both answer `{"code":200,"id":...}`.

use super::checks::check_user_id;
use super::params::Params;
use super::reply::{ApiError, ApiResult};
use crate::model::{NewMessage, MAX_OBJECT_NAME_CHARS};
use crate::push::{valid_collapse_id, AndroidFields, IosFields, MAX_COLLAPSE_ID};
use crate::service;
use crate::service::push::direct::{AndroidPart, Audience, DirectPush, IosPart};
use crate::state::Shared;
use rcim_proto::conversation_type;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Most users of one push (`audience.userid`, `userIds`).
const MAX_USERS: usize = 1000;
/// Longest title (`title`, `ios.title`, `android.title`) of both endpoints, in characters
/// (RongCloud's limit for `/push/user.json`; a notification shows one line of it).
const MAX_TITLE_CHARS: usize = 50;
/// Longest text (`alert`, `pushContent`, `ios.alert`, `android.alert`), in characters: the
/// push body's own cap (`MAX_BODY_CHARS` of the push texts), beyond which it would be cut.
const MAX_ALERT_CHARS: usize = 200;
/// Largest `extras` of a platform, in bytes of JSON: it travels as `appData` and APNs and
/// FCM payloads are limited to 4 KiB in all.
const MAX_EXTRAS_BYTES: usize = 2048;
/// Longest of the other platform fields (category, richMediaUri, threadId, channelId,
/// image, collapseKey), in bytes.
const MAX_FIELD_BYTES: usize = 256;

/// `audience` of `/push.json`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AudienceParam {
    tag: Vec<String>,
    tag_or: Vec<String>,
    userid: Vec<String>,
    is_to_all: bool,
    #[serde(rename = "packageName")]
    package_name: String,
}

/// `notification.ios`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IosParam {
    title: String,
    alert: String,
    badge: Option<u32>,
    category: String,
    #[serde(rename = "richMediaUri")]
    rich_media_uri: String,
    #[serde(rename = "threadId")]
    thread_id: String,
    #[serde(rename = "apns-collapse-id")]
    collapse_id: String,
    extras: Option<Map<String, Value>>,
}

/// `notification.android`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AndroidParam {
    title: String,
    alert: String,
    #[serde(rename = "channelId")]
    channel_id: String,
    image: String,
    #[serde(rename = "collapseKey")]
    collapse_key: String,
    extras: Option<Map<String, Value>>,
}

/// `notification` of both endpoints (`alert` for `/push.json`, `title` + `pushContent` for
/// `/push/user.json`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NotificationParam {
    title: String,
    alert: String,
    #[serde(rename = "pushContent")]
    push_content: String,
    ios: IosParam,
    android: AndroidParam,
}

/// `message` of `/push.json`: also published as a system message to the listed users.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MessageParam {
    content: String,
    #[serde(rename = "objectName")]
    object_name: String,
}

/// A JSON object parameter (nested objects reach [`Params`] as JSON text); `None` when
/// absent, 1002 when malformed.
fn object<T: DeserializeOwned>(form: &Params, key: &str) -> Result<Option<T>, ApiError> {
    let Some(raw) = form.get(key).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    serde_json::from_str(raw)
        .map(Some)
        .map_err(|e| ApiError::param(format!("{key}: {e}")))
}

fn extras(e: &Option<Map<String, Value>>) -> String {
    e.as_ref()
        .map(|m| Value::Object(m.clone()).to_string())
        .unwrap_or_default()
}

/// The notification to send from `n`, with `body` as its common text.
fn direct_push(n: NotificationParam, body: String, ios: bool, android: bool) -> DirectPush {
    DirectPush {
        ios,
        android,
        title: n.title,
        alert: body,
        ios_part: IosPart {
            title: n.ios.title,
            alert: n.ios.alert,
            badge: n.ios.badge,
            data: extras(&n.ios.extras),
            fields: IosFields {
                thread_id: n.ios.thread_id,
                collapse_id: n.ios.collapse_id,
                category: n.ios.category,
                rich_media_uri: n.ios.rich_media_uri,
            },
        },
        android_part: AndroidPart {
            title: n.android.title,
            alert: n.android.alert,
            data: extras(&n.android.extras),
            fields: AndroidFields {
                channel_id: n.android.channel_id,
                collapse_key: n.android.collapse_key,
                image_url: n.android.image,
                notification_id: String::new(),
            },
        },
    }
}

/// The sizes of a notification's fields (all answered 1002 when beyond them):
/// [`MAX_TITLE_CHARS`], [`MAX_ALERT_CHARS`], [`MAX_EXTRAS_BYTES`], [`MAX_FIELD_BYTES`], and an
/// `apns-collapse-id` of printable ASCII within [`MAX_COLLAPSE_ID`] bytes.
fn check_notification(n: &NotificationParam) -> Result<(), ApiError> {
    let chars = [
        ("notification.title", &n.title, MAX_TITLE_CHARS),
        ("notification.ios.title", &n.ios.title, MAX_TITLE_CHARS),
        (
            "notification.android.title",
            &n.android.title,
            MAX_TITLE_CHARS,
        ),
        ("notification.alert", &n.alert, MAX_ALERT_CHARS),
        ("notification.pushContent", &n.push_content, MAX_ALERT_CHARS),
        ("notification.ios.alert", &n.ios.alert, MAX_ALERT_CHARS),
        (
            "notification.android.alert",
            &n.android.alert,
            MAX_ALERT_CHARS,
        ),
    ];
    for (name, value, max) in chars {
        if value.chars().count() > max {
            return Err(ApiError::param(format!(
                "{name} is longer than {max} characters"
            )));
        }
    }
    for (name, e) in [
        ("notification.ios.extras", &n.ios.extras),
        ("notification.android.extras", &n.android.extras),
    ] {
        if extras(e).len() > MAX_EXTRAS_BYTES {
            return Err(ApiError::param(format!(
                "{name} is larger than {MAX_EXTRAS_BYTES} bytes"
            )));
        }
    }
    let fields = [
        ("notification.ios.category", &n.ios.category),
        ("notification.ios.richMediaUri", &n.ios.rich_media_uri),
        ("notification.ios.threadId", &n.ios.thread_id),
        ("notification.android.channelId", &n.android.channel_id),
        ("notification.android.image", &n.android.image),
        ("notification.android.collapseKey", &n.android.collapse_key),
    ];
    for (name, value) in fields {
        if value.len() > MAX_FIELD_BYTES {
            return Err(ApiError::param(format!(
                "{name} is longer than {MAX_FIELD_BYTES} bytes"
            )));
        }
    }
    if !valid_collapse_id(&n.ios.collapse_id) {
        return Err(ApiError::param(format!(
            "notification.ios.apns-collapse-id must be printable ASCII of at most \
             {MAX_COLLAPSE_ID} bytes"
        )));
    }
    Ok(())
}

/// 1..=[`MAX_USERS`] valid user ids.
fn check_users(name: &str, users: &[String]) -> Result<(), ApiError> {
    if users.is_empty() {
        return Err(ApiError::param(format!("{name} is required")));
    }
    if users.len() > MAX_USERS {
        return Err(ApiError::param(format!("at most {MAX_USERS} {name}")));
    }
    users.iter().try_for_each(|u| check_user_id(name, u))
}

/// `/push.json`: `platform` R (["ios", "android"]), `audience` R (`userid` ≤ 1000 or
/// `is_to_all`; tags and `packageName` are not supported: 1002), `notification` R (`alert`
/// R, `ios` / `android` overrides: title, alert, badge, category, richMediaUri, threadId,
/// apns-collapse-id, channelId, image, extras → `appData`), optional `message`
/// {`objectName`, `content`} with `fromuserid`: also published to the listed users as a
/// system message (not with `is_to_all`). Broadcasts (`is_to_all`) are limited to 2 an hour
/// and 3 a day (1008). Answer: `{"id"}`.
pub(crate) async fn broadcast(shared: Arc<Shared>, form: Params) -> ApiResult {
    let platforms = form.list("platform");
    if platforms.is_empty() {
        return Err(ApiError::param("platform is required"));
    }
    if let Some(p) = platforms.iter().find(|p| *p != "ios" && *p != "android") {
        return Err(ApiError::param(format!("unknown platform {p:?}")));
    }
    let audience: AudienceParam =
        object(&form, "audience")?.ok_or_else(|| ApiError::param("audience is required"))?;
    if !audience.tag.is_empty() || !audience.tag_or.is_empty() || !audience.package_name.is_empty()
    {
        return Err(ApiError::param(
            "audience tags and packageName are not supported",
        ));
    }
    let target = if audience.is_to_all {
        Audience::Everyone
    } else {
        check_users("audience.userid", &audience.userid)?;
        Audience::Users(audience.userid.clone())
    };
    let notification: NotificationParam = object(&form, "notification")?
        .ok_or_else(|| ApiError::param("notification is required"))?;
    if notification.alert.is_empty() {
        return Err(ApiError::param("notification.alert is required"));
    }
    check_notification(&notification)?;
    let message: Option<MessageParam> = object(&form, "message")?;
    if let Some(m) = &message {
        publish_message(&shared, &form, m, &target).await?;
    }
    let body = notification.alert.clone();
    let push = direct_push(
        notification,
        body,
        platforms.iter().any(|p| p == "ios"),
        platforms.iter().any(|p| p == "android"),
    );
    send(&shared, push, target).await
}

/// Publishes `/push.json`'s `message` as a system message from `fromuserid` to each listed
/// user (stored and synced like any message; its own push is the notification's, so it is
/// published with pushes disabled).
async fn publish_message(
    shared: &Shared,
    form: &Params,
    m: &MessageParam,
    target: &Audience,
) -> Result<(), ApiError> {
    let Audience::Users(users) = target else {
        return Err(ApiError::param("message is not supported with is_to_all"));
    };
    let from = form.required("fromuserid")?;
    check_user_id("fromuserid", from)?;
    if m.object_name.is_empty() || m.content.is_empty() {
        return Err(ApiError::param(
            "message.objectName and message.content are required",
        ));
    }
    if m.object_name.chars().count() > MAX_OBJECT_NAME_CHARS {
        return Err(ApiError::too_long(
            "message.objectName",
            MAX_OBJECT_NAME_CHARS,
        ));
    }
    for user in users {
        let msg = NewMessage {
            sender_id: from.to_owned(),
            conversation_type: conversation_type::SYSTEM,
            to_id: user.clone(),
            object_name: m.object_name.clone(),
            content: m.content.clone(),
            persisted: true,
            counted: true,
            push_options: json!({"disableNotification": true}).to_string(),
            ..Default::default()
        };
        service::push::direct::publish_system(shared.store.as_ref(), msg).await?;
    }
    Ok(())
}

/// `/push/user.json`: `userIds` R (≤ 1000), `notification` R {`title` (≤ 50 characters),
/// `pushContent` R, `ios`, `android` as for `/push.json`}, to every platform. Answer:
/// `{"id"}`.
pub(crate) async fn to_users(shared: Arc<Shared>, form: Params) -> ApiResult {
    let users = form.list("userIds");
    check_users("userIds", &users)?;
    let notification: NotificationParam = object(&form, "notification")?
        .ok_or_else(|| ApiError::param("notification is required"))?;
    if notification.push_content.is_empty() {
        return Err(ApiError::param("notification.pushContent is required"));
    }
    check_notification(&notification)?;
    let body = notification.push_content.clone();
    let push = direct_push(notification, body, true, true);
    send(&shared, push, Audience::Users(users)).await
}

async fn send(shared: &Shared, push: DirectPush, audience: Audience) -> ApiResult {
    shared.push.push_direct(push, audience)?;
    let mut out = Map::new();
    out.insert(
        "id".into(),
        json!(crate::util::new_uid(crate::util::now_ms())),
    );
    Ok(out)
}
