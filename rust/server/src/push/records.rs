//! What the store keeps for push, and what the push decision reads from it.

use super::ProviderKind;
use rcim_proto::v1::{PushSettings, QuietHours};

/// A device's push address as registered at its last connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushDevice {
    pub device_id: String,
    pub provider: ProviderKind,
    pub token: String,
}

/// One receiver of a message as the push decision sees it: the receiver's conversation with
/// the message is (`PushQuery::conversation_type`, `target_id`, `PushQuery::channel_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushReceiver {
    pub user_id: String,
    /// The conversation's target in the receiver's view: the sender (private, system) or
    /// the group.
    pub target_id: String,
}

/// The receivers of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushQuery {
    pub conversation_type: u32,
    pub channel_id: String,
    pub receivers: Vec<PushReceiver>,
}

/// What the push decision needs about one receiver that has at least one enabled device.
#[derive(Debug, Clone, PartialEq)]
pub struct PushRecipient {
    pub user_id: String,
    /// Enabled devices with a token (never empty).
    pub devices: Vec<PushDevice>,
    /// The user's push settings (defaults when never set).
    pub settings: PushSettings,
    pub quiet_hours: Option<QuietHours>,
    /// Levels as stored (`RCIMIWPushNotificationLevel`); `None` = not set.
    pub type_level: Option<u32>,
    pub conversation_level: Option<u32>,
}

/// A page of the broadcast audience: users with their enabled devices, by user id.
pub type AudiencePage = Vec<(String, Vec<PushDevice>)>;

/// One language of a push template (R262–R265).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateText {
    /// Language id, matched exactly against the receiver's push language.
    pub language: String,
    pub title: String,
    /// Body; may hold `{name}` (the sender's name).
    pub content: String,
}

/// A push template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushTemplate {
    /// At most 20 characters of letters, digits, '-' and '_'.
    pub id: String,
    pub texts: Vec<TemplateText>,
}

/// Most push registrations a user keeps: registering another device evicts the one that
/// connected least recently, so one user logging in with many device ids (and made-up
/// tokens) cannot make every message to them fan out into that many notifications.
pub const MAX_PUSH_DEVICES: usize = 10;

/// Most push templates an app keeps (R262).
pub const MAX_TEMPLATES: usize = 100;

/// Code of a new template beyond [`MAX_TEMPLATES`]: RongCloud's 20605 ("operation
/// blocked", as a full blacklist); 1002 is kept for malformed input.
pub const TEMPLATES_FULL: u32 = 20605;

/// Longest push language id, in characters: a user's push language and a template's
/// languages are matched against each other exactly (R264), so both obey this one rule.
pub const MAX_LANGUAGE_LEN: usize = 16;

/// Whether `s` is at most `max` letters, digits, '-' and '_' (empty allowed): the shape of
/// push language ids and template ids.
pub fn is_id_text(s: &str, max: usize) -> bool {
    s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
