//! GIF facts read from the file's header: the logical screen size (no frame is decoded).

use std::io::Read;
use std::path::Path;

/// Size and dimensions of a GIF file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GifInfo {
    /// File size in bytes.
    pub size: u64,
    /// Logical screen width.
    pub width: u32,
    /// Logical screen height.
    pub height: u32,
}

/// Parses the 10 first bytes of a GIF: `GIF87a`/`GIF89a`, then width and height (u16 LE).
pub fn parse_header(header: &[u8]) -> Option<(u32, u32)> {
    if header.len() < 10 || !(header.starts_with(b"GIF87a") || header.starts_with(b"GIF89a")) {
        return None;
    }
    let width = u16::from_le_bytes([header[6], header[7]]);
    let height = u16::from_le_bytes([header[8], header[9]]);
    Some((u32::from(width), u32::from(height)))
}

/// Reads the header of the GIF at `path`; `None` when it is not a GIF (or unreadable).
pub fn read(path: &Path) -> Option<GifInfo> {
    let mut file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut header = [0u8; 10];
    file.read_exact(&mut header).ok()?;
    let (width, height) = parse_header(&header)?;
    Some(GifInfo {
        size,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_give_the_logical_screen_size() {
        assert_eq!(
            parse_header(b"GIF89a\x40\x01\xf0\x00\x80\x00"),
            Some((320, 240))
        );
        assert_eq!(parse_header(b"GIF87a\x01\x00\x02\x00"), Some((1, 2)));
        assert_eq!(parse_header(b"PNG89a\x01\x00\x02\x00"), None);
        assert_eq!(parse_header(b"GIF89a\x01"), None);
    }

    #[test]
    fn a_real_gif_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.gif");
        let frame = image::RgbaImage::from_pixel(7, 5, image::Rgba([1, 2, 3, 255]));
        let mut out = std::fs::File::create(&path).unwrap();
        image::codecs::gif::GifEncoder::new(&mut out)
            .encode_frame(image::Frame::new(frame))
            .unwrap();
        drop(out);
        let info = read(&path).unwrap();
        assert_eq!((info.width, info.height), (7, 5));
        assert_eq!(info.size, std::fs::metadata(&path).unwrap().len());
        assert!(read(&dir.path().join("missing.gif")).is_none());
    }
}
