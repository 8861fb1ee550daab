//! `RC:LBSMsg` `{content: base64 JPEG thumbnail, latitude, longitude, poi}`: LOCATION.
//!
//! The API's `thumbnailPath` is a local image on the sender's device (kept in the row, never
//! on the wire). The wire thumbnail rides in the message as `thumbnailBase64String` (the name
//! image and sight messages use); a received location has no local file, so its
//! `thumbnailPath` is the thumbnail as a `data:image/jpeg;base64,` URI, usable as an image
//! source as it is.

use super::{field_f64, field_str, media, set, take_f64, take_str, Body, Decoding, Family};
use crate::model::{message_type, Message};
use serde_json::{json, Map};

/// Object name of location messages.
pub const LOCATION_OBJECT_NAME: &str = "RC:LBSMsg";

const DATA_URI_PREFIX: &str = "data:image/jpeg;base64,";

pub(crate) const LOCATION: Family = Family {
    message_type: message_type::LOCATION,
    object_name: LOCATION_OBJECT_NAME,
    encode,
    decode,
};

fn encode(message: &Message) -> Option<Body> {
    let thumbnail = match field_str(message, "thumbnailBase64String") {
        "" => field_str(message, "thumbnailPath")
            .strip_prefix(DATA_URI_PREFIX)
            .unwrap_or(""),
        thumbnail => thumbnail,
    };
    Some(Map::from_iter([
        ("content".into(), json!(thumbnail)),
        (
            "latitude".into(),
            json!(field_f64(message, "latitude").unwrap_or(0.0)),
        ),
        (
            "longitude".into(),
            json!(field_f64(message, "longitude").unwrap_or(0.0)),
        ),
        ("poi".into(), json!(field_str(message, "poiName"))),
    ]))
}

fn decode(message: &mut Message, mut body: Body, _: &Decoding) {
    let thumbnail = take_str(&mut body, "content");
    let thumbnail = media::strip_data_uri(&thumbnail);
    set(message, "latitude", json!(take_f64(&mut body, "latitude")));
    set(
        message,
        "longitude",
        json!(take_f64(&mut body, "longitude")),
    );
    set(message, "poiName", json!(take_str(&mut body, "poi")));
    let path = if thumbnail.is_empty() {
        String::new()
    } else {
        format!("{DATA_URI_PREFIX}{thumbnail}")
    };
    // A stored outgoing location's local path replaces this (see `message_from_row`).
    set(message, "thumbnailPath", json!(path));
    set(message, "thumbnailBase64String", json!(thumbnail));
}

/// Whether `longitude` / `latitude` are coordinates.
pub fn coordinates_ok(longitude: f64, latitude: f64) -> bool {
    (-180.0..=180.0).contains(&longitude) && (-90.0..=90.0).contains(&latitude)
}
