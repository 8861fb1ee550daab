//! The size limits of the file service (server defaults; the server's flags may lower or raise
//! them, the client only knows the defaults to fail early) and the checks of a local file.

use crate::codes::{self, Code};
use rcim_proto::media_type;
use std::path::Path;

// The default limits are shared with the server (its defaults).
pub use rcim_proto::media_type::{
    FILE_MAX_BYTES, GIF_MAX_BYTES, IMAGE_MAX_BYTES, SIGHT_MAX_BYTES, SIGHT_MAX_SECONDS,
    VOICE_MAX_BYTES,
};

/// Whether `message_type` is sent with `sendMediaMessage` (VOICE, IMAGE, FILE, SIGHT, GIF).
pub use rcim_proto::media_type::is_media;

/// The largest file of `message_type` and the code of a file over it (the server's defaults).
pub fn limit(message_type: u32) -> (u64, Code) {
    let max = media_type::default_max_bytes(message_type).unwrap_or(FILE_MAX_BYTES);
    (max, Code::of(media_type::too_large_code(message_type)))
}

/// Checks the local file of a media message of `message_type` and returns its size: 34234
/// when `path` is empty, missing or not a regular file; 34018 when it is empty; 26106 (34003
/// for a GIF) when it is over the type's limit.
pub fn check_file(message_type: u32, path: &str) -> Result<u64, Code> {
    if path.is_empty() {
        return Err(Code::of(codes::INVALID_LOCAL_PATH));
    }
    let meta =
        std::fs::metadata(local_path(path)).map_err(|_| Code::of(codes::INVALID_LOCAL_PATH))?;
    if !meta.is_file() {
        return Err(Code::of(codes::INVALID_LOCAL_PATH));
    }
    let size = meta.len();
    if size == 0 {
        return Err(Code::of(codes::MEDIA_EMPTY));
    }
    let (max, code) = limit(message_type);
    if size > max {
        return Err(code);
    }
    Ok(size)
}

/// A `local` value as a file system path: apps may pass `file://` URIs (as RongCloud's
/// examples do); both forms are accepted.
pub fn local_path(local: &str) -> &Path {
    Path::new(local.strip_prefix("file://").unwrap_or(local))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::message_type;

    #[test]
    fn files_are_checked_with_the_documented_codes() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::write(&empty, b"").unwrap();
        let small = dir.path().join("small.gif");
        std::fs::write(&small, b"GIF89a").unwrap();
        let p = |p: &Path| p.to_str().unwrap().to_string();
        assert_eq!(check_file(message_type::FILE, ""), Err(Code(34234)));
        assert_eq!(
            check_file(message_type::FILE, &p(&dir.path().join("none"))),
            Err(Code(34234))
        );
        assert_eq!(
            check_file(message_type::FILE, &p(dir.path())),
            Err(Code(34234))
        );
        assert_eq!(check_file(message_type::FILE, &p(&empty)), Err(Code(34018)));
        assert_eq!(check_file(message_type::GIF, &p(&small)), Ok(6));
        assert_eq!(
            check_file(message_type::GIF, &format!("file://{}", p(&small))),
            Ok(6)
        );
        let big = dir.path().join("big.gif");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(GIF_MAX_BYTES + 1).unwrap();
        assert_eq!(check_file(message_type::GIF, &p(&big)), Err(Code(34003)));
        assert_eq!(
            check_file(message_type::IMAGE, &p(&big)),
            Ok(GIF_MAX_BYTES + 1)
        );
        f.set_len(IMAGE_MAX_BYTES + 1).unwrap();
        assert_eq!(check_file(message_type::IMAGE, &p(&big)), Err(Code(26106)));
        assert!(is_media(message_type::SIGHT) && !is_media(message_type::TEXT));
    }
}
