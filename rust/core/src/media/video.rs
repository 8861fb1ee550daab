//! Short-video thumbnails come from the platform: decoding video frames needs the phone's
//! codecs (Android `MediaMetadataRetriever`, iOS `AVAssetImageGenerator`), which a portable
//! Rust build does not carry. The platform glue registers a [`Thumbnailer`] once at start-up
//! (through the bridge's C ABI, `rcim_set_video_thumbnailer`); `sendMediaMessage` of a SIGHT
//! message without a `thumbnailBase64String` asks it for a JPEG of the first frame.
//!
//! Where none is registered (the Linux test host) or it gives nothing, the message goes without
//! a thumbnail: the field is optional in RongCloud's `RC:SightMsg`.

use base64::Engine as _;
use std::path::Path;
use std::sync::{Arc, RwLock};

/// Makes a JPEG of a video's first frame whose longest edge is at most `max_edge` px, of JPEG
/// `quality` (1..=100); `None` when the platform cannot. Called on a blocking worker thread.
pub type Thumbnailer = Arc<dyn Fn(&Path, u32, u8) -> Option<Vec<u8>> + Send + Sync>;

static THUMBNAILER: RwLock<Option<Thumbnailer>> = RwLock::new(None);

/// Largest JPEG accepted from a thumbnailer: the thumbnail travels inside the message, whose
/// content is capped at 128 KiB.
pub const MAX_THUMBNAIL_BYTES: usize = 64 * 1024;

/// Registers the platform's thumbnailer for every engine of the process (`None` removes it).
pub fn set_thumbnailer(thumbnailer: Option<Thumbnailer>) {
    *THUMBNAILER.write().unwrap_or_else(|e| e.into_inner()) = thumbnailer;
}

/// The base64 JPEG thumbnail of the video at `path`, or "" when no thumbnailer is registered or
/// it gave nothing usable (empty, larger than [`MAX_THUMBNAIL_BYTES`], not a JPEG).
pub fn thumbnail_base64(path: &Path, max_edge: u32, quality: u8) -> String {
    let thumbnailer = THUMBNAILER
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let Some(thumbnailer) = thumbnailer else {
        return String::new();
    };
    match thumbnailer(path, max_edge, quality) {
        Some(jpeg) if is_jpeg(&jpeg) && jpeg.len() <= MAX_THUMBNAIL_BYTES => {
            base64::engine::general_purpose::STANDARD.encode(jpeg)
        }
        Some(other) => {
            tracing::warn!(
                len = other.len(),
                "the platform's video thumbnail is not a JPEG within 64 KiB"
            );
            String::new()
        }
        None => String::new(),
    }
}

fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// The thumbnailer is process-wide: tests that set it take this lock, one at a time.
#[cfg(test)]
pub(crate) static TEST_SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_thumbnailer_there_is_no_thumbnail() {
        let _one = TEST_SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        set_thumbnailer(None);
        assert_eq!(thumbnail_base64(Path::new("/v.mp4"), 240, 30), "");
    }

    #[test]
    fn the_platform_jpeg_becomes_base64_and_anything_else_is_dropped() {
        let _one = TEST_SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        set_thumbnailer(Some(Arc::new(|path: &Path, max_edge, quality| {
            assert_eq!((max_edge, quality), (160, 40));
            match path.to_str() {
                Some("/ok.mp4") => Some(vec![0xFF, 0xD8, 0xFF, 0xE0]),
                Some("/png.mp4") => Some(b"\x89PNG".to_vec()),
                Some("/huge.mp4") => {
                    let mut big = vec![0xFF, 0xD8, 0xFF];
                    big.resize(MAX_THUMBNAIL_BYTES + 1, 0);
                    Some(big)
                }
                _ => None,
            }
        })));
        assert_eq!(thumbnail_base64(Path::new("/ok.mp4"), 160, 40), "/9j/4A==");
        assert_eq!(thumbnail_base64(Path::new("/png.mp4"), 160, 40), "");
        assert_eq!(thumbnail_base64(Path::new("/huge.mp4"), 160, 40), "");
        assert_eq!(thumbnail_base64(Path::new("/none.mp4"), 160, 40), "");
        set_thumbnailer(None);
    }
}
