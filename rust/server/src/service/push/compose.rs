//! What a push says: title and body in the receiver's language (R249–R252, R259–R265), and
//! the provider-neutral [`Notification`] for one device.
//!
//! Body, first that applies: the mention's `mentionedContent` in the content (R131; the
//! Server API's group messages carry it only there) → the message's push text
//! (`push_content`; else the options' `pushContent`) → the template named by `templateId`
//! in the receiver's language exactly, `{name}` = the sender's name, when neither
//! `pushTitle` nor `pushContent` is set (R263) → the built-in text of the message type (a
//! text message's own text; "[Image]" and the like). Whatever its source, the body is cut to
//! [`texts::MAX_BODY_CHARS`] characters. A message with none of them (a custom message
//! without push text) is not pushed. When the receiver hides push details and the sender did
//! not force them (R251, R260), the body is the generic "You received a notification", there
//! is no title and no media (rich media URI, image, category): a hidden notification shows
//! neither what was said nor who said it.
//!
//! Title: `pushTitle` → the template's title → the sender's name (private, system) or the
//! group's name (group), their id when unnamed. `disablePushTitle` drops it on APNs only
//! (R250: Android notifications need one).

use super::options::PushOptions;
use super::texts::{self, Builtin};
use crate::push::records::{PushDevice, PushTemplate};
use crate::push::{valid_collapse_id, AndroidFields, IosFields, Notification, ProviderKind};
use rcim_proto::conversation_type;
use rcim_proto::v1::Message;
use serde_json::{json, Value};

/// One message and what its notifications share, whoever receives them.
pub(crate) struct Source<'a> {
    pub msg: &'a Message,
    pub options: &'a PushOptions,
    /// The sender's display name ("" when unnamed).
    pub sender_name: &'a str,
    /// The group's display name ("" when unnamed or not a group message).
    pub group_name: &'a str,
    /// The template named by `templateId`, if it exists.
    pub template: Option<&'a PushTemplate>,
    /// The mention's `mentionedContent` ("" when none).
    pub mentioned_content: &'a str,
}

/// Title and body for one receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    pub title: String,
    pub body: String,
    /// The receiver hides details: the notification carries no media either.
    pub hidden: bool,
}

/// The receiver's view of a push: language and whether they hide details.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReceiverView<'a> {
    /// The receiver's push language, or the App's default when they set none.
    pub language: &'a str,
    pub hide_content: bool,
}

impl Source<'_> {
    /// The title and body for a receiver, or `None` when the message has nothing to push
    /// (see the module docs).
    pub(crate) fn text(&self, view: ReceiverView<'_>) -> Option<Text> {
        let o = self.options;
        let lang = Builtin::of(view.language);
        let push_text = [
            self.mentioned_content,
            &self.msg.push_content,
            &o.push_content,
        ]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_default();
        let template = (push_text.is_empty() && o.push_title.is_empty())
            .then_some(self.template)
            .flatten()
            .and_then(|t| t.texts.iter().find(|t| t.language == view.language));
        let body = if !push_text.is_empty() {
            push_text.to_owned()
        } else if let Some(t) = template {
            t.content.replace("{name}", self.sender_display())
        } else {
            self.builtin(lang)?
        };
        if view.hide_content && !o.force_show_detail_content {
            return Some(Text {
                title: String::new(),
                body: texts::generic(lang).to_owned(),
                hidden: true,
            });
        }
        let body = texts::shorten(&body);
        let title = if !o.push_title.is_empty() {
            o.push_title.clone()
        } else if let Some(t) = template.filter(|t| !t.title.is_empty()) {
            t.title.replace("{name}", self.sender_display())
        } else if self.msg.conversation_type == conversation_type::GROUP {
            nonempty_or(self.group_name, &self.msg.to_id).to_owned()
        } else {
            self.sender_display().to_owned()
        };
        Some(Text {
            title,
            body,
            hidden: false,
        })
    }

    fn sender_display(&self) -> &str {
        nonempty_or(self.sender_name, &self.msg.sender_id)
    }

    /// The built-in body of the message's type.
    fn builtin(&self, lang: Builtin) -> Option<String> {
        let name = self.msg.object_name.as_str();
        if let Some(key) = texts::text_key(name) {
            let text = serde_json::from_str::<Value>(&self.msg.content)
                .ok()
                .and_then(|v| v.get(key).and_then(Value::as_str).map(str::to_owned))?;
            return (!text.is_empty()).then_some(text);
        }
        texts::placeholder(name, lang).map(str::to_owned)
    }

    /// The `rc` object of the message's notifications: where it comes from, as RongCloud
    /// names it.
    pub(crate) fn rc(&self) -> Value {
        let m = self.msg;
        let (c_type, t_id) = match m.conversation_type {
            conversation_type::GROUP => ("GRP", m.to_id.as_str()),
            conversation_type::SYSTEM => ("SYS", ""),
            _ => ("PR", ""),
        };
        json!({
            "cType": c_type,
            "fId": m.sender_id,
            "tId": t_id,
            "oName": m.object_name,
            "id": m.uid,
            "channelId": m.channel_id,
        })
    }

    /// The notification of `text` for one device.
    pub(crate) fn notification(
        &self,
        text: &Text,
        device: &PushDevice,
        badge: u32,
    ) -> Notification {
        let o = self.options;
        let m = self.msg;
        let ios_no_title = o.disable_push_title && device.provider == ProviderKind::Apns;
        let data = if m.push_data.is_empty() {
            o.push_data.clone()
        } else {
            m.push_data.clone()
        };
        // A collapse id APNs cannot take is not sent (R254).
        let collapse_id = if valid_collapse_id(&o.ios.apns_collapse_id) {
            o.ios.apns_collapse_id.clone()
        } else {
            String::new()
        };
        let a = &o.android_push_options;
        // Hidden details: no media or category-driven content either (R260).
        let shown = |s: &str| {
            if text.hidden {
                String::new()
            } else {
                s.to_owned()
            }
        };
        Notification {
            provider: device.provider,
            token: device.token.clone(),
            title: if ios_no_title {
                String::new()
            } else {
                text.title.clone()
            },
            body: text.body.clone(),
            data,
            badge: Some(badge),
            voip: o.voip_push,
            rc: self.rc(),
            ios: IosFields {
                thread_id: o.ios.thread_id.clone(),
                collapse_id,
                // R255 / RCIMIWIOSPushOptions: the category defaults to the object name.
                category: shown(nonempty_or(&o.ios.category, &m.object_name)),
                rich_media_uri: shown(&o.ios.rich_media_uri),
            },
            android: AndroidFields {
                channel_id: a.channel_id_fcm.clone(),
                collapse_key: a.collapse_key_fcm.clone(),
                image_url: shown(&a.image_url_fcm),
                // R256: the notification id defaults to the message's id.
                notification_id: nonempty_or(&a.notification_id, &m.uid).to_owned(),
            },
        }
    }
}

fn nonempty_or<'a>(s: &'a str, fallback: &'a str) -> &'a str {
    if s.is_empty() {
        fallback
    } else {
        s
    }
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;
