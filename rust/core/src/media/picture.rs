//! Images: decoding with EXIF orientation applied, the compressed JPEG sent in place of a
//! large original, and the base64 JPEG thumbnail carried in the message (RongCloud's
//! `RC:ImgMsg.content`, no `data:` prefix).

use crate::config::Compression;
use base64::Engine as _;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader};
use std::io::Cursor;
use std::path::Path;

/// Why an image could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    /// The file could not be read.
    #[error("cannot read the image: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not an image this build decodes (JPEG, PNG, WebP, GIF).
    #[error("cannot decode the image: {0}")]
    Decode(#[from] image::ImageError),
}

/// Decodes the image at `path` (the first frame of an animation), turned upright per its
/// EXIF orientation.
pub fn decode(path: &Path) -> Result<DynamicImage, PictureError> {
    let mut decoder = ImageReader::open(path)?
        .with_guessed_format()?
        .into_decoder()?;
    // A missing or unreadable EXIF block just means "already upright".
    let orientation = decoder.orientation().ok();
    let mut image = DynamicImage::from_decoder(decoder)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image)
}

/// The dimensions of `(width, height)` scaled so the longest edge is at most `max_edge`
/// (never enlarged; each edge at least 1).
pub fn fit(width: u32, height: u32, max_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_edge || long == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = |edge: u32| ((u64::from(edge) * u64::from(max_edge)) / u64::from(long)).max(1);
    (scale(width) as u32, scale(height) as u32)
}

/// Encodes `image` as a JPEG of `quality` (alpha is dropped: JPEG has none).
pub fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, PictureError> {
    let mut out = Vec::new();
    let rgb = image.to_rgb8();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut Cursor::new(&mut out), quality)
        .encode_image(&rgb)?;
    Ok(out)
}

/// The thumbnail of `image`: longest edge at most `thumbnail_max_edge`; a long thin image
/// keeps its shortest edge at `thumbnail_min_edge` (when it has that much) and is cropped
/// around its centre instead of becoming a sliver. JPEG of `thumbnail_quality`, base64.
pub fn thumbnail_base64(
    image: &DynamicImage,
    compression: &Compression,
) -> Result<String, PictureError> {
    let max_edge = compression.thumbnail_max_edge;
    let (w, h) = (image.width(), image.height());
    let (tw, th) = fit(w, h, max_edge);
    let min_edge = compression.thumbnail_min_edge.min(max_edge);
    let thumb = if tw.min(th) < min_edge && w.min(h) >= min_edge {
        // Scale the short edge to `min_edge`, then crop the long one to `max_edge`.
        let short = w.min(h);
        let scale = |edge: u32| ((u64::from(edge) * u64::from(min_edge)) / u64::from(short)) as u32;
        let scaled = image.resize_exact(scale(w).max(1), scale(h).max(1), FilterType::Triangle);
        let (cw, ch) = (scaled.width().min(max_edge), scaled.height().min(max_edge));
        scaled.crop_imm(
            (scaled.width() - cw) / 2,
            (scaled.height() - ch) / 2,
            cw,
            ch,
        )
    } else {
        image.thumbnail_exact(tw, th)
    };
    let bytes = jpeg(&thumb, compression.thumbnail_quality)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// The thumbnail of a location message (RongCloud's `RC:LBSMsg.content`): the map image at
/// `path` scaled down to fit `location_width` × `location_height` (aspect kept), a JPEG of
/// `location_quality`, base64.
pub fn location_thumbnail_base64(
    path: &Path,
    compression: &Compression,
) -> Result<String, PictureError> {
    let image = decode(path)?;
    let (w, h) = (compression.location_width, compression.location_height);
    let image = if image.width() > w || image.height() > h {
        image.thumbnail(w, h)
    } else {
        image
    };
    let bytes = jpeg(&image, compression.location_quality)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// `image` scaled down so its longest edge is at most `compression.image_max_edge`, as a JPEG
/// of `compression.image_quality`.
pub fn compressed(
    image: &DynamicImage,
    compression: &Compression,
) -> Result<Vec<u8>, PictureError> {
    let (w, h) = fit(image.width(), image.height(), compression.image_max_edge);
    if (w, h) == (image.width(), image.height()) {
        return jpeg(image, compression.image_quality);
    }
    jpeg(
        &image.resize_exact(w, h, FilterType::Triangle),
        compression.image_quality,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GenericImageView, RgbImage};

    fn noisy(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let v = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503);
            image::Rgb([v as u8, (v >> 8) as u8, (x + y) as u8])
        })
    }

    fn decoded_base64(b64: &str) -> DynamicImage {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        image::load_from_memory(&bytes).unwrap()
    }

    #[test]
    fn fitting_keeps_the_aspect_and_never_enlarges() {
        assert_eq!(fit(4000, 3000, 1080), (1080, 810));
        assert_eq!(fit(3000, 4000, 240), (180, 240));
        assert_eq!(fit(100, 50, 240), (100, 50));
        assert_eq!(fit(10_000, 1, 240), (240, 1));
    }

    #[test]
    fn thumbnails_of_png_and_jpeg_files_decode_within_the_size() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("a.png");
        noisy(800, 600).save(&png).unwrap();
        let jpg = dir.path().join("b.jpg");
        noisy(300, 1200).save(&jpg).unwrap();
        let compression = Compression::default();
        for (path, expect) in [(&png, (240, 180)), (&jpg, (60, 240))] {
            let image = decode(path).unwrap();
            let thumb = decoded_base64(&thumbnail_base64(&image, &compression).unwrap());
            // The 300x1200 image keeps a 100 px short edge and is cropped to 240.
            let expect = if expect.0 < compression.thumbnail_min_edge {
                (100, 240)
            } else {
                expect
            };
            assert_eq!(thumb.dimensions(), expect, "{path:?}");
        }
    }

    #[test]
    fn large_images_are_compressed_to_the_long_edge() {
        let image = DynamicImage::ImageRgb8(noisy(2000, 1500));
        let compression = Compression {
            image_max_edge: 1000,
            ..Compression::default()
        };
        let jpeg = compressed(&image, &compression).unwrap();
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!(back.dimensions(), (1000, 750));
    }

    #[test]
    fn exif_orientation_is_applied() {
        // A 4x2 JPEG tagged "rotate 90° clockwise" (orientation 6) decodes as 2x4.
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut Cursor::new(&mut bytes))
            .encode_image(&noisy(4, 2))
            .unwrap();
        let exif: &[u8] = &[
            0xFF, 0xE1, 0x00, 0x22, b'E', b'x', b'i', b'f', 0, 0, b'M', b'M', 0, 42, 0, 0, 0, 8, 0,
            1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0,
        ];
        let tagged: Vec<u8> = bytes[..2]
            .iter()
            .chain(exif)
            .chain(&bytes[2..])
            .copied()
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jpg");
        std::fs::write(&path, tagged).unwrap();
        assert_eq!(decode(&path).unwrap().dimensions(), (2, 4));
    }
}
