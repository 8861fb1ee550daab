//! The client media pipeline: what a media message's file becomes before it is uploaded, and
//! the HTTP transfers to and from the file service.
//!
//! * [`limits`]: the client-side copy of the server's size limits and the checks of a local
//!   file (`sendMediaMessage` fails early with the documented codes).
//! * [`picture`]: images: EXIF orientation, compression to a JPEG of bounded size, and the
//!   base64 thumbnail RongCloud carries in the message.
//! * [`gif`]: GIF size and dimensions read from the header (no decode).
//! * [`prepare`]: per message type, the fields computed from the file and the file to upload.
//! * [`progress`]: percent arithmetic for progress events (integers 0..=100, strictly rising:
//!   a value is never reported twice).
//! * [`transfer`]: streaming upload (`PUT`) and download (`GET`, resumed with `Range`), both
//!   cancellable, reporting progress.
//! * [`video`]: short-video thumbnails, lent by the platform glue (Android
//!   `MediaMetadataRetriever`, iOS `AVAssetImageGenerator`) through the bridge's
//!   `rcim_set_video_thumbnailer`. The Linux host has no video decoder: a SIGHT message sent
//!   from it carries an empty `thumbnailBase64String` unless the app set one.

pub mod gif;
pub mod limits;
pub mod picture;
pub mod prepare;
pub mod progress;
pub mod transfer;
pub mod video;

/// The last component of a local path, `file://` URI or URL (what follows the last `/` or
/// `\`); "" when there is none. The one file-name rule of the media code: the wire `name`
/// of voice and GIF messages, the name of an uploaded file, the name of a downloaded one.
pub fn file_name(path: &str) -> &str {
    limits::local_path(path)
        .to_str()
        .unwrap_or(path)
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_the_last_component() {
        assert_eq!(super::file_name("/a/b/c.png"), "c.png");
        assert_eq!(super::file_name("file:///a/b.gif"), "b.gif");
        assert_eq!(super::file_name("C:\\x\\y.aac"), "y.aac");
        assert_eq!(super::file_name("http://h/media/id/a%20b.png"), "a%20b.png");
        assert_eq!(super::file_name("/a/"), "");
        assert_eq!(super::file_name(""), "");
    }
}
