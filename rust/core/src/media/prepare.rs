//! What a media message's file becomes before upload, per type: the fields computed from the
//! file (`Message.fields` names of the API) and the file to upload.
//!
//! * IMAGE: a thumbnail (always). The file itself is sent untouched when `original` is set or
//!   when it is at most `originalImageMaxSize` KiB; otherwise a JPEG scaled to
//!   `originalImageSize` px on its longest edge is written to the user's media directory and
//!   uploaded instead (the original is kept if compressing does not make it smaller). `local`
//!   stays the app's path either way.
//! * GIF: `dataSize`, `width`, `height` from the header. FILE: `name`, `size`, `fileType` (the
//!   extension, lower case). SIGHT: `size`, `name`, and the platform's thumbnail when the app
//!   gave none (see [`video`]). VOICE: nothing.

use super::{gif, limits, picture, video};
use crate::codes::{self, Code};
use crate::config::Compression;
use crate::model::{message_type, Message};
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// The result of preparing a media message.
#[derive(Debug, PartialEq)]
pub struct Prepared {
    /// Fields to set on the message.
    pub fields: Map<String, Value>,
    /// The file to upload.
    pub upload: PathBuf,
    /// The file made here to be uploaded (a compressed image), if any: deleted when the
    /// `Prepared` is dropped, whatever becomes of the send.
    pub temporary: Option<TempFile>,
    /// The name the file gets on the server (and in its download URL).
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
}

/// The `local` field of a media message.
pub fn local_of(message: &Message) -> &str {
    message
        .fields
        .get("local")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// A file that is deleted when this value is dropped.
#[derive(Debug, PartialEq, Eq)]
pub struct TempFile(PathBuf);

impl TempFile {
    /// Takes charge of the file at `path`.
    pub fn new(path: PathBuf) -> Self {
        Self(path)
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        match std::fs::remove_file(&self.0) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(error = %e, path = %self.0.display(), "cannot remove a temporary file");
            }
        }
    }
}

/// Prepares `message` (already checked with [`limits::check_file`]); compressed images go to
/// `work_dir`. Blocking: run it off the async threads. 34019 (media type invalid) when an
/// IMAGE or GIF file is not one.
pub fn prepare(
    message: &Message,
    compression: &Compression,
    work_dir: &Path,
) -> Result<Prepared, Code> {
    let path = limits::local_path(local_of(message)).to_path_buf();
    let size = limits::check_file(message.message_type, local_of(message))?;
    let file_name = match super::file_name(local_of(message)) {
        "" => "file",
        name => name,
    };
    let mut prepared = Prepared {
        fields: Map::new(),
        file_name: file_name.to_string(),
        upload: path.clone(),
        temporary: None,
        size,
    };
    let invalid = |e: &dyn std::fmt::Display| {
        tracing::info!(error = %e, path = %path.display(), "not a usable media file");
        Code::of(codes::MEDIA_TYPE_INVALID)
    };
    match message.message_type {
        message_type::IMAGE => {
            let image = picture::decode(&path).map_err(|e| invalid(&e))?;
            let thumbnail =
                picture::thumbnail_base64(&image, compression).map_err(|e| invalid(&e))?;
            prepared
                .fields
                .insert("thumbnailBase64String".into(), json!(thumbnail));
            let original = message
                .fields
                .get("original")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if !original && size > compression.original_max_bytes {
                let jpeg = picture::compressed(&image, compression).map_err(|e| invalid(&e))?;
                if (jpeg.len() as u64) < size {
                    std::fs::create_dir_all(work_dir).map_err(|e| local_error(&e))?;
                    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("image");
                    let upload = work_dir.join(format!("{}.jpg", uuid::Uuid::new_v4().simple()));
                    // In charge from before the write: a failed write leaves nothing either.
                    let temporary = TempFile::new(upload.clone());
                    std::fs::write(&upload, &jpeg).map_err(|e| local_error(&e))?;
                    prepared.file_name = format!("{stem}.jpg");
                    prepared.size = jpeg.len() as u64;
                    prepared.upload = upload;
                    prepared.temporary = Some(temporary);
                }
            }
        }
        message_type::GIF => {
            let info = gif::read(&path).ok_or_else(|| invalid(&"no GIF header"))?;
            prepared.fields.insert("dataSize".into(), json!(info.size));
            prepared.fields.insert("width".into(), json!(info.width));
            prepared.fields.insert("height".into(), json!(info.height));
        }
        message_type::FILE => {
            let name = message
                .fields
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| prepared.file_name.clone());
            let extension = Path::new(&name)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_lowercase();
            prepared.fields.insert("name".into(), json!(name));
            prepared.fields.insert("fileType".into(), json!(extension));
            prepared.fields.insert("size".into(), json!(size));
        }
        message_type::SIGHT => {
            prepared.fields.insert("size".into(), json!(size));
            prepared
                .fields
                .insert("name".into(), json!(prepared.file_name.clone()));
            // The app's own thumbnail wins; otherwise the platform's, if it lends one.
            let given = message
                .fields
                .get("thumbnailBase64String")
                .and_then(Value::as_str)
                .is_some_and(|t| !t.is_empty());
            if !given {
                let thumbnail = video::thumbnail_base64(
                    &path,
                    compression.thumbnail_max_edge,
                    compression.thumbnail_quality,
                );
                if !thumbnail.is_empty() {
                    prepared
                        .fields
                        .insert("thumbnailBase64String".into(), json!(thumbnail));
                }
            }
        }
        _ => {}
    }
    Ok(prepared)
}

fn local_error(e: &std::io::Error) -> Code {
    tracing::warn!(error = %e, "cannot write a compressed image");
    Code::of(codes::FILE_SAVE_FAILED)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn media(message_type: u32, local: &Path) -> Message {
        let mut message = Message {
            message_type,
            ..Message::default()
        };
        message
            .fields
            .insert("local".into(), json!(local.to_str().unwrap()));
        message
    }

    #[test]
    fn images_are_compressed_unless_small_or_original() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        image::RgbImage::from_fn(1600, 1200, |x, y| {
            image::Rgb([((x * 7) ^ (y * 13)) as u8, (x * y) as u8, (x + y) as u8])
        })
        .save(&big)
        .unwrap();
        let work = dir.path().join("work");
        let compression = Compression::default();
        let prepared = prepare(&media(message_type::IMAGE, &big), &compression, &work).unwrap();
        assert_eq!(
            prepared.temporary.as_ref().map(TempFile::path),
            Some(prepared.upload.as_path())
        );
        assert_eq!(prepared.file_name, "big.jpg");
        let sent = image::open(&prepared.upload).unwrap();
        assert_eq!((sent.width(), sent.height()), (1080, 810));
        assert!(prepared.fields["thumbnailBase64String"]
            .as_str()
            .is_some_and(|s| !s.is_empty() && !s.starts_with("data:")));
        // The compressed copy goes with the `Prepared`.
        drop(prepared);
        assert_eq!(std::fs::read_dir(&work).unwrap().count(), 0);

        let mut original = media(message_type::IMAGE, &big);
        original.fields.insert("original".into(), json!(true));
        let prepared = prepare(&original, &compression, &work).unwrap();
        assert_eq!(
            (prepared.upload.as_path(), prepared.temporary.is_some()),
            (big.as_path(), false)
        );

        let generous = Compression {
            original_max_bytes: u64::MAX,
            ..compression
        };
        let prepared = prepare(&media(message_type::IMAGE, &big), &generous, &work).unwrap();
        assert!(prepared.temporary.is_none());
    }

    #[test]
    fn sights_get_the_platform_thumbnail_unless_the_app_gave_one() {
        let _one = video::TEST_SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("clip.mp4");
        std::fs::write(&clip, b"not really a video").unwrap();
        let compression = Compression::default();
        let sight = media(message_type::SIGHT, &clip);
        video::set_thumbnailer(None);
        let prepared = prepare(&sight, &compression, dir.path()).unwrap();
        assert!(!prepared.fields.contains_key("thumbnailBase64String"));

        video::set_thumbnailer(Some(std::sync::Arc::new(|path: &Path, edge, quality| {
            (path.ends_with("clip.mp4") && (edge, quality) == (240, 30))
                .then(|| vec![0xFF, 0xD8, 0xFF, 0xDB])
        })));
        let prepared = prepare(&sight, &compression, dir.path()).unwrap();
        assert_eq!(prepared.fields["thumbnailBase64String"], "/9j/2w==");
        let mut own = sight.clone();
        own.fields
            .insert("thumbnailBase64String".into(), json!("AAAA"));
        let prepared = prepare(&own, &compression, dir.path()).unwrap();
        assert!(!prepared.fields.contains_key("thumbnailBase64String"));
        video::set_thumbnailer(None);
        assert_eq!(prepared.fields["name"], "clip.mp4");
    }

    #[test]
    fn files_and_gifs_get_their_fields() {
        let dir = tempfile::tempdir().unwrap();
        let doc = dir.path().join("Report.PDF");
        std::fs::write(&doc, b"%PDF").unwrap();
        let prepared = prepare(
            &media(message_type::FILE, &doc),
            &Compression::default(),
            dir.path(),
        )
        .unwrap();
        assert_eq!(prepared.fields["name"], "Report.PDF");
        assert_eq!(prepared.fields["fileType"], "pdf");
        assert_eq!(prepared.fields["size"], 4);

        let not_gif = prepare(
            &media(message_type::GIF, &doc),
            &Compression::default(),
            dir.path(),
        );
        assert_eq!(not_gif, Err(Code::of(codes::MEDIA_TYPE_INVALID)));
        let not_image = prepare(
            &media(message_type::IMAGE, &doc),
            &Compression::default(),
            dir.path(),
        );
        assert_eq!(not_image, Err(Code::of(codes::MEDIA_TYPE_INVALID)));
    }
}
