//! What the push decision reads from a message besides its fields: the sender's push options
//! (`Message.push_options`, RongCloud's `RCIMIWMessagePushOptions` JSON) and the mention in
//! its content (`mentionedInfo`, R129–R131).

use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;

/// `RCIMIWIOSPushOptions` (R253–R255).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct IosOptions {
    pub thread_id: String,
    pub category: String,
    pub apns_collapse_id: String,
    pub rich_media_uri: String,
}

/// The FCM fields of `RCIMIWAndroidPushOptions` (R256–R257); the other vendors' fields are
/// accepted and ignored (no vendor push but FCM).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct AndroidOptions {
    pub notification_id: String,
    #[serde(rename = "channelIdFCM")]
    pub channel_id_fcm: String,
    #[serde(rename = "collapseKeyFCM")]
    pub collapse_key_fcm: String,
    #[serde(rename = "imageUrlFCM")]
    pub image_url_fcm: String,
}

/// A message's push options (R248–R257). Unknown keys are ignored and values of the wrong
/// type read as unset (the JSON was checked for size only when it was sent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub(crate) struct PushOptions {
    pub disable_notification: bool,
    pub disable_push_title: bool,
    pub push_title: String,
    pub push_content: String,
    pub push_data: String,
    pub force_show_detail_content: bool,
    pub template_id: String,
    #[serde(rename = "voIPPush")]
    pub voip_push: bool,
    #[serde(rename = "iOSPushOptions")]
    pub ios: IosOptions,
    pub android_push_options: AndroidOptions,
}

impl PushOptions {
    /// Reads `Message.push_options`; empty or unreadable JSON = no options, and a field of
    /// the wrong type is dropped on its own rather than losing the others.
    pub(crate) fn parse(json: &str) -> Self {
        if json.trim().is_empty() {
            return Self::default();
        }
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) else {
            tracing::debug!("unreadable push options; ignored");
            return Self::default();
        };
        let mut clean = serde_json::Map::new();
        for (k, v) in map {
            let probe = Value::Object(serde_json::Map::from_iter([(k.clone(), v.clone())]));
            if serde_json::from_value::<Self>(probe).is_ok() {
                clean.insert(k, v);
            }
        }
        serde_json::from_value(Value::Object(clean)).unwrap_or_default()
    }
}

/// Whom a message @-mentions and what the push of a mention says (wire shape:
/// `mentionedInfo {type: 1 everyone | 2 users, userIdList, mentionedContent}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Mentions {
    pub everyone: bool,
    pub users: HashSet<String>,
    /// `mentionedContent`: the push body of the mention, before any other (R131). The
    /// Server API's group messages carry it only here.
    pub content: String,
}

/// Wire mention types.
const MENTION_ALL: u64 = 1;
const MENTION_USERS: u64 = 2;

impl Mentions {
    /// The mention in a message's content (JSON); none when absent or malformed.
    pub(crate) fn of_content(content: &str) -> Self {
        // Only contents that name the key are parsed: most messages have no mention.
        if !content.contains("mentionedInfo") {
            return Self::default();
        }
        let Ok(v) = serde_json::from_str::<Value>(content) else {
            return Self::default();
        };
        let Some(info) = v.get("mentionedInfo") else {
            return Self::default();
        };
        let kind = match info.get("type") {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let content = info
            .get("mentionedContent")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let users = || -> HashSet<String> {
            info.get("userIdList")
                .and_then(Value::as_array)
                .map(|ids| {
                    ids.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        match kind {
            Some(MENTION_ALL) => Self {
                everyone: true,
                users: HashSet::new(),
                content,
            },
            Some(MENTION_USERS) => Self {
                everyone: false,
                users: users(),
                content,
            },
            _ => Self::default(),
        }
    }

    /// Whether `user` is mentioned by name.
    pub(crate) fn names(&self, user: &str) -> bool {
        self.users.contains(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_options_are_read_leniently() {
        let o = PushOptions::parse(
            r#"{"disableNotification":false,"pushTitle":"T","voIPPush":true,"templateId":"tpl",
            "iOSPushOptions":{"threadId":"th","apnsCollapseId":"c","category":"cat","richMediaUri":"u"},
            "androidPushOptions":{"notificationId":"n","channelIdFCM":"ch","collapseKeyFCM":"k",
            "imageUrlFCM":"i","channelIdMi":"mi"},"forceShowDetailContent":true,"unknown":1}"#,
        );
        assert_eq!(o.push_title, "T");
        assert!(o.voip_push && o.force_show_detail_content && !o.disable_notification);
        assert_eq!(o.template_id, "tpl");
        assert_eq!(o.ios.thread_id, "th");
        assert_eq!(o.ios.apns_collapse_id, "c");
        assert_eq!(o.android_push_options.channel_id_fcm, "ch");
        assert_eq!(o.android_push_options.collapse_key_fcm, "k");
        assert_eq!(o.android_push_options.image_url_fcm, "i");
        assert_eq!(o.android_push_options.notification_id, "n");
        // A wrongly typed field is dropped alone; garbage is no options.
        let o = PushOptions::parse(r#"{"pushTitle":5,"disableNotification":true}"#);
        assert!(o.disable_notification);
        assert_eq!(o.push_title, "");
        assert_eq!(PushOptions::parse("not json"), PushOptions::default());
        assert_eq!(PushOptions::parse(""), PushOptions::default());
    }

    #[test]
    fn mentions_in_content() {
        let m = Mentions::of_content(
            r#"{"content":"hi","mentionedInfo":{"type":2,"userIdList":["bob","cy"]}}"#,
        );
        assert!(!m.everyone && m.names("bob") && m.names("cy") && !m.names("al"));
        assert_eq!(m.content, "");
        let m = Mentions::of_content(
            r#"{"mentionedInfo":{"type":"1","mentionedContent":"Al mentioned you"}}"#,
        );
        assert!(m.everyone);
        assert_eq!(m.content, "Al mentioned you");
        assert_eq!(
            Mentions::of_content(r#"{"content":"x"}"#),
            Mentions::default()
        );
        assert_eq!(
            Mentions::of_content(r#"{"mentionedInfo":{"type":7,"userIdList":["bob"]}}"#),
            Mentions::default()
        );
        assert_eq!(Mentions::of_content("mentionedInfo{"), Mentions::default());
    }
}
