//! `create*Message`: message objects built and checked here, nothing stored (send them with
//! `sendMessage` / `sendMediaMessage`). Bad arguments are PARAM_ERROR: a conversation type
//! outside 1..=5 or an empty target id, a `channelId` over 20 characters (outside ultra groups
//! it is otherwise ignored: ""), a custom identifier or policy out of its rules, coordinates
//! out of range, a reference to a message without a uid. Media files are not checked here
//! beyond what the message records (name, size): the media code checks them when sending.

use super::{valid_conversation, Engine};
use crate::codec::{self, custom, location};
use crate::codes::Code;
use crate::media::{self, limits, picture};
use crate::model::{message_type, Message};
use crate::query::Query;
use serde_json::{json, Map, Value};

/// Where a message goes: conversation type, target id, channel id.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// `RCIMIWConversationType`.
    pub conversation_type: u32,
    /// Conversation id.
    pub target_id: &'a str,
    /// Ultra-group channel (ignored for other types).
    pub channel_id: Option<&'a str>,
}

impl Engine {
    /// `createTextMessage`.
    pub fn create_text_message(&self, to: Target<'_>, text: &str) -> Result<Message, Code> {
        build(to, message_type::TEXT, [("text", json!(text))])
    }

    /// `createImageMessage`: `local` = `path`; the thumbnail and `original` are set when it
    /// is sent.
    pub fn create_image_message(&self, to: Target<'_>, path: &str) -> Result<Message, Code> {
        build(
            to,
            message_type::IMAGE,
            [
                ("local", json!(path)),
                ("remote", json!("")),
                ("thumbnailBase64String", json!("")),
                ("original", json!(false)),
            ],
        )
    }

    /// `createFileMessage`: name, size and type (extension) from `path`.
    pub fn create_file_message(&self, to: Target<'_>, path: &str) -> Result<Message, Code> {
        let name = media::file_name(path);
        let file_type = name.rsplit_once('.').map_or("", |(_, ext)| ext);
        build(
            to,
            message_type::FILE,
            [
                ("local", json!(path)),
                ("remote", json!("")),
                ("name", json!(name)),
                ("fileType", json!(file_type)),
                ("size", json!(file_size(path))),
            ],
        )
    }

    /// `createGIFMessage`: size and dimensions are read from the file when it is sent.
    pub fn create_gif_message(&self, to: Target<'_>, path: &str) -> Result<Message, Code> {
        build(
            to,
            message_type::GIF,
            [
                ("local", json!(path)),
                ("remote", json!("")),
                ("dataSize", json!(file_size(path))),
                ("width", json!(0)),
                ("height", json!(0)),
            ],
        )
    }

    /// `createVoiceMessage` (high quality): `duration` in seconds (not negative).
    pub fn create_voice_message(
        &self,
        to: Target<'_>,
        path: &str,
        duration: i64,
    ) -> Result<Message, Code> {
        check(duration >= 0)?;
        build(
            to,
            message_type::VOICE,
            [
                ("local", json!(path)),
                ("remote", json!("")),
                ("duration", json!(duration)),
            ],
        )
    }

    /// `createSightMessage`: `duration` in seconds (not negative; over 120 s fails when sent,
    /// with the media code's checks).
    pub fn create_sight_message(
        &self,
        to: Target<'_>,
        path: &str,
        duration: i64,
    ) -> Result<Message, Code> {
        check(duration >= 0)?;
        build(
            to,
            message_type::SIGHT,
            [
                ("local", json!(path)),
                ("remote", json!("")),
                ("duration", json!(duration)),
                ("size", json!(file_size(path))),
                ("name", json!(media::file_name(path))),
                ("thumbnailBase64String", json!("")),
            ],
        )
    }

    /// `createReferenceMessage`: quotes `reference`, which must have been sent (a uid) and be
    /// a type that can be sent.
    pub fn create_reference_message(
        &self,
        to: Target<'_>,
        reference: &Message,
        text: &str,
    ) -> Result<Message, Code> {
        check(
            reference
                .message_uid
                .as_deref()
                .is_some_and(|u| !u.is_empty()),
        )?;
        check(codec::encode_content(reference).is_some())?;
        let reference = serde_json::to_value(reference).map_err(|_| Code::PARAM_ERROR)?;
        build(
            to,
            message_type::REFERENCE,
            [("text", json!(text)), ("referenceMessage", reference)],
        )
    }

    /// `createCustomMessage`: `identifier` non-empty, at most 32 characters, not `RC:...`;
    /// `policy` an `RCIMIWCustomMessagePolicy`; `fields` string values.
    pub fn create_custom_message(
        &self,
        to: Target<'_>,
        policy: u32,
        identifier: &str,
        fields: Map<String, Value>,
    ) -> Result<Message, Code> {
        check(custom::identifier_ok(identifier))?;
        check(custom::policy_ok(policy))?;
        check(custom::fields_ok(&fields))?;
        build(
            to,
            message_type::CUSTOM,
            [
                ("identifier", json!(identifier)),
                ("policy", json!(policy)),
                ("fields", Value::Object(fields)),
            ],
        )
    }

    /// `createLocationMessage`: coordinates in range. The wire thumbnail is made from the
    /// image at `thumbnail_path` off the caller's thread (see
    /// [`picture::location_thumbnail_base64`]); a path that is not a readable image leaves it
    /// empty (the message still carries its coordinates).
    pub fn create_location_message(
        &self,
        to: Target<'_>,
        longitude: f64,
        latitude: f64,
        poi_name: &str,
        thumbnail_path: &str,
    ) -> Result<Query<Message>, Code> {
        check(location::coordinates_ok(longitude, latitude))?;
        let mut message = build(
            to,
            message_type::LOCATION,
            [
                ("longitude", json!(longitude)),
                ("latitude", json!(latitude)),
                ("poiName", json!(poi_name)),
                ("thumbnailPath", json!(thumbnail_path)),
            ],
        )?;
        let compression = self.shared.config.compression;
        let path = thumbnail_path.to_string();
        let thumbnail = self.runtime.spawn_blocking(move || {
            if path.is_empty() {
                return String::new();
            }
            picture::location_thumbnail_base64(limits::local_path(&path), &compression)
                .unwrap_or_else(|e| {
                    tracing::debug!(error = %e, "no thumbnail for a location message");
                    String::new()
                })
        });
        Ok(Query::new(async move {
            let thumbnail = thumbnail.await.unwrap_or_default();
            message
                .fields
                .insert("thumbnailBase64String".into(), json!(thumbnail));
            Ok(message)
        }))
    }
}

fn check(ok: bool) -> Result<(), Code> {
    ok.then_some(()).ok_or(Code::PARAM_ERROR)
}

/// PARAM_ERROR unless `to` names a conversation with an acceptable channel id.
pub(crate) fn check_target(to: Target<'_>) -> Result<(), Code> {
    check(valid_conversation(to.conversation_type, to.target_id))?;
    check(codec::channel_id_ok(to.channel_id))
}

fn build<const N: usize>(
    to: Target<'_>,
    message_type: u32,
    fields: [(&str, Value); N],
) -> Result<Message, Code> {
    check_target(to)?;
    let fields = fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Ok(codec::new_message(
        to.conversation_type,
        to.target_id,
        to.channel_id,
        message_type,
        fields,
    ))
}

/// The size of the file at `path`, 0 when it cannot be read (the media code reports that
/// when sending).
fn file_size(path: &str) -> u64 {
    std::fs::metadata(limits::local_path(path)).map_or(0, |m| if m.is_file() { m.len() } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{EngineConfig, EngineOptions};
    use base64::Engine as _;

    fn to(channel_id: Option<&str>) -> Target<'_> {
        Target {
            conversation_type: 1,
            target_id: "bob",
            channel_id,
        }
    }

    /// An engine whose data dir is a fresh temporary directory, removed when the returned
    /// guard drops (after the engine: bind the pair as `(_data, e)`).
    fn engine() -> (tempfile::TempDir, Engine) {
        let dir = tempfile::tempdir().unwrap();
        let config = EngineConfig::new("app", &EngineOptions::default(), dir.path().into());
        (dir, Engine::new(config).0)
    }

    #[tokio::test]
    async fn creation_checks_its_arguments() {
        let (_data, e) = engine();
        let long = "c".repeat(21);
        assert_eq!(
            e.create_text_message(to(Some(&long)), "x").unwrap_err(),
            Code::PARAM_ERROR
        );
        let m = e.create_text_message(to(Some("c1")), "x").unwrap();
        assert_eq!(m.channel_id.as_deref(), Some(""));
        let bad_to = Target {
            conversation_type: 9,
            ..to(None)
        };
        assert!(e.create_text_message(bad_to, "x").is_err());
        for (policy, identifier) in [(1, "RC:X"), (1, ""), (4, "App:X")] {
            assert!(e
                .create_custom_message(to(None), policy, identifier, Map::new())
                .is_err());
        }
        let fields = Map::from_iter([("n".to_string(), json!(1))]);
        assert!(e
            .create_custom_message(to(None), 1, "App:X", fields)
            .is_err());
        assert!(e
            .create_location_message(to(None), 181.0, 0.0, "", "")
            .is_err());
        let unsent = codec::new_text_message(1, "bob", None, "q");
        assert!(e.create_reference_message(to(None), &unsent, "r").is_err());
        assert!(e.create_voice_message(to(None), "/v", -1).is_err());
    }

    #[tokio::test]
    async fn media_messages_record_what_the_path_tells() {
        let (_data, e) = engine();
        let files = tempfile::tempdir().unwrap();
        let dir = files.path();
        let path = dir.join("report.pdf");
        std::fs::write(&path, b"12345").unwrap();
        let path = path.to_str().unwrap();
        let file = e.create_file_message(to(None), path).unwrap();
        assert_eq!(file.message_type, message_type::FILE);
        assert_eq!(file.fields["name"], "report.pdf");
        assert_eq!(file.fields["fileType"], "pdf");
        assert_eq!(file.fields["size"], 5);
        assert_eq!(file.fields["local"], path);
        let sight = e.create_sight_message(to(None), path, 12).unwrap();
        assert_eq!(sight.fields["duration"], 12);
        // The location's wire thumbnail is a JPEG of the map picture within 408 × 240.
        let png = dir.join("map.png");
        image::RgbImage::from_pixel(300, 600, image::Rgb([10, 200, 30]))
            .save(&png)
            .unwrap();
        let loc = e
            .create_location_message(to(None), 116.3, 39.9, "P", png.to_str().unwrap())
            .unwrap()
            .await
            .unwrap();
        let b64 = loc.fields["thumbnailBase64String"].as_str().unwrap();
        let jpeg = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let thumb = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (120, 240));
        let (_, content) = codec::encode_content(&loc).unwrap();
        assert!(content.contains(b64));
        // Not an image: no thumbnail, still a location.
        let none = e
            .create_location_message(to(None), 1.0, 2.0, "", path)
            .unwrap()
            .await
            .unwrap();
        assert_eq!(none.fields["thumbnailBase64String"], "");
    }
}
