//! The client media pipeline: what a media message's file becomes before it is uploaded, and
//! the HTTP transfers to and from the file service.
//!
//! * [`limits`]: the client-side copy of the server's size limits and the checks of a local
//!   file (`sendMediaMessage` fails early with the documented codes).
//! * [`picture`]: images: EXIF orientation, compression to a JPEG of bounded size, and the
//!   base64 thumbnail RongCloud carries in the message.
//! * [`gif`]: GIF size and dimensions read from the header (no decode).
//! * [`prepare`]: per message type, the fields computed from the file and the file to upload.
//! * [`progress`]: percent arithmetic for progress events (integers 0..=100, rising).
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
