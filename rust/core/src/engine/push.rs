//! Push: the device token sent when connecting (`setDeviceToken`) and the user's push
//! settings, changed through the server (`changePushLanguage`, `changePushContentShowStatus`,
//! `changePushReceiveStatus`). The settings are kept on the server only: it writes and decides
//! the pushes of the user's offline devices with them.

use super::Engine;
use crate::codes::Code;
use crate::config::PushProvider;
use crate::event::EventId;
use crate::session::{Command, Operation, PushSettingChange};
use rcim_proto::v1::{PushProvider as WireProvider, PushRegistration};

/// Longest device token, in bytes (the server refuses longer ones).
pub const MAX_DEVICE_TOKEN_LEN: usize = 512;

/// Longest push language id, in characters.
pub const MAX_PUSH_LANGUAGE_LEN: usize = 16;

/// Whether `language` is a push language id the server takes: "" (the App's default) or at
/// most 16 characters of ASCII letters, digits, '-' and '_' ("zh_CN", "en_US", "ar_SA" are
/// built in; others must match a template language exactly).
pub fn valid_push_language(language: &str) -> bool {
    language.len() <= MAX_PUSH_LANGUAGE_LEN
        && language
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Engine {
    /// `setDeviceToken`: the device's push token (APNs on iOS, FCM on Android; see
    /// [`crate::EngineConfig::push_provider`]), sent with every connection attempt of the
    /// `connect()` calls that follow, so set it before `connect` (R247). PARAM_ERROR when
    /// empty or longer than 512 bytes. A token set while connected goes with the next
    /// `connect()`.
    pub fn set_device_token(&self, token: &str) -> Result<(), Code> {
        if token.is_empty() || token.len() > MAX_DEVICE_TOKEN_LEN {
            return Err(Code::PARAM_ERROR);
        }
        let provider = match self.config().push_provider() {
            PushProvider::Apns => WireProvider::Apns,
            PushProvider::Fcm => WireProvider::Fcm,
        };
        *self.push_slot() = Some(PushRegistration {
            provider: provider as i32,
            token: token.to_string(),
        });
        Ok(())
    }

    /// The push address a session starts with (`None` before `setDeviceToken`).
    pub(super) fn push_registration(&self) -> Option<PushRegistration> {
        self.push_slot().clone()
    }

    fn push_slot(&self) -> std::sync::MutexGuard<'_, Option<PushRegistration>> {
        self.push.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn change_push_setting(
        &self,
        change: PushSettingChange,
        event_id: EventId,
    ) -> Result<(), Code> {
        self.hand_over(Command::Operation(Operation::push_setting(
            change, event_id,
        )))
    }

    /// `changePushLanguage`: the language of this user's pushes ("" = the App's default; see
    /// [`valid_push_language`], else PARAM_ERROR). Queued while offline; result
    /// `PushLanguageChanged`.
    pub fn change_push_language(&self, language: &str, event_id: EventId) -> Result<(), Code> {
        if !valid_push_language(language) {
            return Err(Code::PARAM_ERROR);
        }
        self.change_push_setting(PushSettingChange::Language(language.to_string()), event_id)
    }

    /// `changePushContentShowStatus`: false = pushes show the generic "You received a
    /// notification" text instead of the message (R260). Result `PushContentShowStatusChanged`.
    pub fn change_push_content_show_status(
        &self,
        show_content: bool,
        event_id: EventId,
    ) -> Result<(), Code> {
        self.change_push_setting(PushSettingChange::ContentShow(show_content), event_id)
    }

    /// `changePushReceiveStatus`: true = the user's mobile devices get pushes while a desktop
    /// or web device of theirs is online (R261). Result `PushReceiveStatusChanged`.
    pub fn change_push_receive_status(&self, receive: bool, event_id: EventId) -> Result<(), Code> {
        self.change_push_setting(PushSettingChange::Receive(receive), event_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{EngineConfig, EngineOptions};

    fn new_engine(options: &str) -> (Engine, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let options: EngineOptions = serde_json::from_str(options).unwrap();
        let (engine, _events) = Engine::new(EngineConfig::new("k", &options, dir.path().into()));
        (engine, dir)
    }

    #[tokio::test]
    async fn a_device_token_is_kept_for_the_next_connect_with_its_push_service() {
        let (engine, _dir) = new_engine("{}");
        assert_eq!(engine.push_registration(), None);
        assert_eq!(engine.set_device_token(""), Err(Code::PARAM_ERROR));
        let too_long = "t".repeat(MAX_DEVICE_TOKEN_LEN + 1);
        assert_eq!(engine.set_device_token(&too_long), Err(Code::PARAM_ERROR));
        assert_eq!(
            engine.push_registration(),
            None,
            "a refused token is not kept"
        );
        let longest = "t".repeat(MAX_DEVICE_TOKEN_LEN);
        assert_eq!(engine.set_device_token(&longest), Ok(()));
        assert_eq!(engine.set_device_token("apns-1"), Ok(()));
        assert_eq!(
            engine.push_registration(),
            Some(PushRegistration {
                provider: WireProvider::Apns as i32,
                token: "apns-1".into(),
            }),
            "the last token set wins"
        );
        let (fcm, _dir) = new_engine(r#"{"pushOptions":{"enableFCM":true}}"#);
        fcm.set_device_token("fcm-1").unwrap();
        assert_eq!(
            fcm.push_registration().map(|r| r.provider),
            Some(WireProvider::Fcm as i32)
        );
    }

    #[tokio::test]
    async fn push_settings_check_their_arguments_then_need_a_session() {
        let (engine, _dir) = new_engine("{}");
        assert_eq!(
            engine.change_push_language("en US", None),
            Err(Code::PARAM_ERROR)
        );
        assert_eq!(
            engine.change_push_language(&"a".repeat(17), None),
            Err(Code::PARAM_ERROR)
        );
        assert_eq!(
            engine.change_push_language("en_US", None),
            Err(Code::CLIENT_NOT_INIT)
        );
        assert_eq!(
            engine.change_push_content_show_status(false, None),
            Err(Code::CLIENT_NOT_INIT)
        );
        assert_eq!(
            engine.change_push_receive_status(true, None),
            Err(Code::CLIENT_NOT_INIT)
        );
    }

    #[test]
    fn push_languages_are_short_ids() {
        for ok in [
            "",
            "zh_CN",
            "en_US",
            "ar_SA",
            "pt-BR",
            "x",
            "abcdefghij012345",
        ] {
            assert!(valid_push_language(ok), "{ok:?}");
        }
        for bad in [
            "abcdefghij0123456",
            "en US",
            "zh.CN",
            "日本",
            "en_US\n",
            "a/b",
        ] {
            assert!(!valid_push_language(bad), "{bad:?}");
        }
    }
}
