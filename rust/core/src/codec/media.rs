//! Media messages: `RC:ImgMsg` (IMAGE), `RC:HQVCMsg` (VOICE), `RC:FileMsg` (FILE),
//! `RC:SightMsg` (SIGHT), `RC:GIFMsg` (GIF). Their size and duration limits and the checks of
//! local files belong to the media code (`crate::media`).
//!
//! Every media message has `local` (the sender's file, kept in the row's `extra_json`, never
//! on the wire) and `remote` (the uploaded file's URL). Thumbnails travel as base64 without a
//! `data:` prefix, as RongCloud does.

use super::{field_i64, field_str, set, take_bool, take_i64, take_str, Body, Decoding, Family};
use crate::model::{message_type, Message};
use serde_json::{json, Map, Value};

/// Object name of image messages.
pub const IMAGE_OBJECT_NAME: &str = "RC:ImgMsg";
/// Object name of (high-quality) voice messages.
pub const VOICE_OBJECT_NAME: &str = "RC:HQVCMsg";
/// Object name of file messages.
pub const FILE_OBJECT_NAME: &str = "RC:FileMsg";
/// Object name of sight (short video) messages.
pub const SIGHT_OBJECT_NAME: &str = "RC:SightMsg";
/// Object name of GIF messages.
pub const GIF_OBJECT_NAME: &str = "RC:GIFMsg";

pub(crate) const IMAGE: Family = Family {
    message_type: message_type::IMAGE,
    object_name: IMAGE_OBJECT_NAME,
    encode: |m| {
        Some(body([
            ("content", json!(field_str(m, "thumbnailBase64String"))),
            ("imageUri", json!(field_str(m, "remote"))),
            (
                "full",
                json!(m.fields.get("original").and_then(Value::as_bool) == Some(true)),
            ),
        ]))
    },
    decode: |m, mut b, _| {
        media_common(m, &mut b, "imageUri");
        let thumbnail = take_str(&mut b, "content");
        set(
            m,
            "thumbnailBase64String",
            json!(strip_data_uri(&thumbnail)),
        );
        set(m, "original", json!(take_bool(&mut b, "full")));
    },
};

pub(crate) const VOICE: Family = Family {
    message_type: message_type::VOICE,
    object_name: VOICE_OBJECT_NAME,
    encode: |m| {
        let mut b = body([
            ("remoteUrl", json!(field_str(m, "remote"))),
            ("duration", json!(field_i64(m, "duration"))),
        ]);
        insert_name(&mut b, m);
        Some(b)
    },
    decode: |m, mut b, _| {
        media_common(m, &mut b, "remoteUrl");
        set(m, "duration", json!(take_i64(&mut b, "duration")));
    },
};

pub(crate) const FILE: Family = Family {
    message_type: message_type::FILE,
    object_name: FILE_OBJECT_NAME,
    encode: |m| {
        Some(body([
            ("name", json!(field_str(m, "name"))),
            ("size", json!(field_i64(m, "size"))),
            ("type", json!(field_str(m, "fileType"))),
            ("fileUrl", json!(field_str(m, "remote"))),
        ]))
    },
    decode: decode_file,
};

pub(crate) const SIGHT: Family = Family {
    message_type: message_type::SIGHT,
    object_name: SIGHT_OBJECT_NAME,
    encode: |m| {
        Some(body([
            ("sightUrl", json!(field_str(m, "remote"))),
            ("content", json!(field_str(m, "thumbnailBase64String"))),
            ("duration", json!(field_i64(m, "duration"))),
            ("size", json!(field_i64(m, "size"))),
            ("name", json!(field_str(m, "name"))),
        ]))
    },
    decode: |m, mut b, _| {
        media_common(m, &mut b, "sightUrl");
        let thumbnail = take_str(&mut b, "content");
        set(
            m,
            "thumbnailBase64String",
            json!(strip_data_uri(&thumbnail)),
        );
        set(m, "duration", json!(take_i64(&mut b, "duration")));
        set(m, "size", json!(take_i64(&mut b, "size")));
        set(m, "name", json!(take_str(&mut b, "name")));
    },
};

pub(crate) const GIF: Family = Family {
    message_type: message_type::GIF,
    object_name: GIF_OBJECT_NAME,
    encode: |m| {
        let mut b = body([
            ("remoteUrl", json!(field_str(m, "remote"))),
            ("gifDataSize", json!(field_i64(m, "dataSize"))),
            ("width", json!(field_i64(m, "width"))),
            ("height", json!(field_i64(m, "height"))),
        ]);
        insert_name(&mut b, m);
        Some(b)
    },
    decode: |m, mut b, _| {
        media_common(m, &mut b, "remoteUrl");
        set(m, "dataSize", json!(take_i64(&mut b, "gifDataSize")));
        set(m, "width", json!(take_i64(&mut b, "width")));
        set(m, "height", json!(take_i64(&mut b, "height")));
    },
};

fn decode_file(m: &mut Message, mut b: Body, _: &Decoding) {
    media_common(m, &mut b, "fileUrl");
    set(m, "name", json!(take_str(&mut b, "name")));
    set(m, "size", json!(take_i64(&mut b, "size")));
    set(m, "fileType", json!(take_str(&mut b, "type")));
}

fn body<const N: usize>(entries: [(&str, Value); N]) -> Body {
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect::<Map<String, Value>>()
}

/// `local` (unknown until the row's local fields or a download set it) and `remote`.
fn media_common(m: &mut Message, b: &mut Body, remote_key: &str) {
    set(m, "local", json!(""));
    set(m, "remote", json!(take_str(b, remote_key)));
}

/// Voice and GIF carry the file name when known (RongCloud's optional `name`).
fn insert_name(b: &mut Body, m: &Message) {
    let name = match field_str(m, "name") {
        "" => crate::media::file_name(field_str(m, "local")),
        name => name,
    };
    if !name.is_empty() {
        b.insert("name".into(), json!(name));
    }
}

/// A base64 thumbnail without a `data:...;base64,` prefix (some publishers add one).
pub(crate) fn strip_data_uri(s: &str) -> &str {
    match s.split_once(";base64,") {
        Some((prefix, data)) if prefix.starts_with("data:") => data,
        _ => s,
    }
}
