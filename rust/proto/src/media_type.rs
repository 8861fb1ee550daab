//! Media message types (`RCIMIWMessageType` numbers of the messages sent with
//! `sendMediaMessage`) and the file service's default size limit of each.
//!
//! The server enforces the limits when it issues an upload ticket (its flags may raise or lower
//! them); the client engine knows the defaults only to refuse an oversized file early, before
//! it asks for a ticket.

use crate::codes;
use std::ops::RangeInclusive;

/// High-quality voice (`RC:HQVCMsg`).
pub const VOICE: u32 = 3;
/// Image (`RC:ImgMsg`).
pub const IMAGE: u32 = 4;
/// File (`RC:FileMsg`).
pub const FILE: u32 = 5;
/// Short video (`RC:SightMsg`).
pub const SIGHT: u32 = 6;
/// GIF (`RC:GIFMsg`).
pub const GIF: u32 = 7;

/// Every media type: the numbers are contiguous in `RCIMIWMessageType`, so stores may select
/// them with one range.
pub const RANGE: RangeInclusive<u32> = VOICE..=GIF;

/// Bytes in a MiB.
const MIB: u64 = 1024 * 1024;

/// Default largest image, bytes (beyond: [`codes::FILE_SIZE_OUT_OF_LIMIT`]).
pub const IMAGE_MAX_BYTES: u64 = 20 * MIB;
/// Default largest voice message, bytes (beyond: [`codes::FILE_SIZE_OUT_OF_LIMIT`]).
pub const VOICE_MAX_BYTES: u64 = 10 * MIB;
/// Default largest file, bytes (beyond: [`codes::FILE_SIZE_OUT_OF_LIMIT`]).
pub const FILE_MAX_BYTES: u64 = 100 * MIB;
/// Default largest short video, bytes (beyond: [`codes::FILE_SIZE_OUT_OF_LIMIT`]).
pub const SIGHT_MAX_BYTES: u64 = 100 * MIB;
/// Default largest GIF, bytes (beyond: [`codes::GIF_SIZE_OUT_OF_LIMIT`]).
pub const GIF_MAX_BYTES: u64 = 2 * MIB;
/// Longest short video, seconds (beyond: [`codes::SIGHT_DURATION_LIMIT_EXCEED`]).
pub const SIGHT_MAX_SECONDS: i64 = 120;

/// Whether `message_type` is a media type (sent with `sendMediaMessage`, its file uploaded).
pub fn is_media(message_type: u32) -> bool {
    RANGE.contains(&message_type)
}

/// The default largest file of `media_type`, `None` when it is not a media type.
pub fn default_max_bytes(media_type: u32) -> Option<u64> {
    match media_type {
        VOICE => Some(VOICE_MAX_BYTES),
        IMAGE => Some(IMAGE_MAX_BYTES),
        FILE => Some(FILE_MAX_BYTES),
        SIGHT => Some(SIGHT_MAX_BYTES),
        GIF => Some(GIF_MAX_BYTES),
        _ => None,
    }
}

/// The code of a file of `media_type` over its limit: 34003 for a GIF, 26106 otherwise.
pub fn too_large_code(media_type: u32) -> u32 {
    if media_type == GIF {
        codes::GIF_SIZE_OUT_OF_LIMIT
    } else {
        codes::FILE_SIZE_OUT_OF_LIMIT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_media_type_has_a_limit_and_nothing_else_does() {
        for t in 0..=20 {
            assert_eq!(is_media(t), default_max_bytes(t).is_some(), "type {t}");
        }
        assert_eq!(too_large_code(GIF), 34003);
        assert_eq!(too_large_code(FILE), 26106);
    }
}
