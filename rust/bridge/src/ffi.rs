//! The C ABI (`cpp/rcim_bridge.h`). No panic crosses it: every entry point catches unwinds.

use crate::gate::{Offer, Sink};
use crate::registry::BridgeEngine;
use rcim_core::media::video::{self, Thumbnailer};
use std::collections::HashMap;
use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// Reply callback: `(ctx, call_id, json, len)`.
pub type ReplyFn = extern "C" fn(*mut c_void, u64, *const c_char, usize);
/// Event callback: `(ctx, json, len) -> 0 taken | 1 full (offer the same event again later)`.
pub type EventFn = extern "C" fn(*mut c_void, *const c_char, usize) -> i32;

/// `rcim_event_fn`'s "full" return value; 0 (and any other value) means taken.
const EVENT_FULL: i32 = 1;

struct CSink {
    on_reply: ReplyFn,
    on_event: EventFn,
    ctx: *mut c_void,
}

// SAFETY: the host guarantees that `ctx` and the callbacks may be used from any thread until
// `rcim_engine_destroy` returns; the bridge never uses them afterwards (the gate is closed).
unsafe impl Send for CSink {}
// SAFETY: see above; calls are serialised by the engine's gate.
unsafe impl Sync for CSink {}

impl Sink for CSink {
    fn reply(&self, call_id: u64, json: &str) {
        (self.on_reply)(self.ctx, call_id, json.as_ptr().cast(), json.len());
    }

    fn event(&self, json: &str) -> Offer {
        match (self.on_event)(self.ctx, json.as_ptr().cast(), json.len()) {
            EVENT_FULL => Offer::Full,
            _ => Offer::Taken,
        }
    }
}

static ENGINES: LazyLock<Mutex<HashMap<u64, Arc<BridgeEngine>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
static NEXT_HANDLE: AtomicU64 = AtomicU64::new(1);

fn engines() -> std::sync::MutexGuard<'static, HashMap<u64, Arc<BridgeEngine>>> {
    ENGINES.lock().unwrap_or_else(|e| e.into_inner())
}

/// # Safety
/// `ptr` must point to `len` readable bytes (or be null with `len` 0).
unsafe fn text<'a>(ptr: *const c_char, len: usize) -> Option<&'a str> {
    if ptr.is_null() {
        return (len == 0).then_some("");
    }
    // SAFETY: guaranteed by the caller.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).ok()
}

/// Creates an engine; returns its handle or 0 for an invalid configuration.
///
/// # Safety
/// `config_json` must point to `config_len` bytes; the callbacks and `ctx` must stay valid until
/// `rcim_engine_destroy` returns for the handle.
#[no_mangle]
pub unsafe extern "C" fn rcim_engine_create(
    config_json: *const c_char,
    config_len: usize,
    on_reply: ReplyFn,
    on_event: EventFn,
    ctx: *mut c_void,
) -> u64 {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded from the caller's contract.
        let Some(config) = (unsafe { text(config_json, config_len) }) else {
            return 0;
        };
        let sink = Arc::new(CSink {
            on_reply,
            on_event,
            ctx,
        });
        match BridgeEngine::create(config, sink) {
            Ok(engine) => {
                let handle = NEXT_HANDLE.fetch_add(1, Ordering::Relaxed);
                engines().insert(handle, Arc::new(engine));
                handle
            }
            Err(e) => {
                tracing::warn!(error = %e, "rcim_engine_create refused");
                0
            }
        }
    }))
    .unwrap_or(0)
}

/// Starts a call; 0 = taken (reply follows), 2 = unknown handle (no reply).
///
/// # Safety
/// `method` and `args_json` must point to `method_len` / `args_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn rcim_engine_call(
    handle: u64,
    call_id: u64,
    method: *const c_char,
    method_len: usize,
    args_json: *const c_char,
    args_len: usize,
) -> i32 {
    catch_unwind(AssertUnwindSafe(|| {
        let Some(engine) = engines().get(&handle).cloned() else {
            return rcim_core::codes::ENGINE_DESTROYED;
        };
        // SAFETY: forwarded from the caller's contract.
        let method = unsafe { text(method, method_len) }.unwrap_or("");
        // SAFETY: forwarded from the caller's contract.
        let args = unsafe { text(args_json, args_len) }.unwrap_or("");
        if engine.call(call_id, method, args) {
            0
        } else {
            rcim_core::codes::ENGINE_DESTROYED
        }
    }))
    .unwrap_or(rcim_core::codes::ENGINE_DESTROYED)
}

/// Destroys an engine; afterwards no callback for it runs. Idempotent.
#[no_mangle]
pub extern "C" fn rcim_engine_destroy(handle: u64) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let engine = engines().remove(&handle);
        if let Some(engine) = engine {
            engine.destroy();
        }
    }));
}

/// `rcim_video_thumbnail_fn`: `(path, path_len, max_edge, quality, out, out_cap) -> JPEG length`
/// (0 = none).
pub type VideoThumbnailFn =
    unsafe extern "C" fn(*const c_char, usize, u32, u32, *mut u8, usize) -> usize;

/// Registers the platform's video thumbnailer (`None` removes it); see
/// `rcim_core::media::video`.
/// A platform event for every live engine: kind 1 = network (value 0 none, 1 available,
/// 2 changed to another network), kind 2 = app state (value 1 foreground, 0 background).
/// Callable from any thread, at any time (before any engine exists it only records the
/// network state).
#[no_mangle]
pub extern "C" fn rcim_platform_event(kind: u32, value: i32) {
    let _ = catch_unwind(|| crate::registry::platform_event(kind, value));
}

#[no_mangle]
pub extern "C" fn rcim_set_video_thumbnailer(make: Option<VideoThumbnailFn>) {
    let _ = catch_unwind(|| {
        let thumbnailer = make.map(|make| -> Thumbnailer {
            Arc::new(move |path: &Path, max_edge: u32, quality: u8| {
                let path = path.to_str()?;
                let mut out = vec![0u8; video::MAX_THUMBNAIL_BYTES];
                // SAFETY: the path is `path.len()` readable bytes and `out` has room for
                // `out.len()`, as `rcim_video_thumbnail_fn` requires; both outlive the call.
                let len = unsafe {
                    make(
                        path.as_ptr().cast(),
                        path.len(),
                        max_edge,
                        u32::from(quality),
                        out.as_mut_ptr(),
                        out.len(),
                    )
                };
                (len > 0 && len <= out.len()).then(|| {
                    out.truncate(len);
                    out
                })
            })
        });
        video::set_thumbnailer(thumbnailer);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn fake_thumbnailer(
        path: *const c_char,
        path_len: usize,
        max_edge: u32,
        quality: u32,
        out: *mut u8,
        out_cap: usize,
    ) -> usize {
        // SAFETY: the bridge passes `path_len` readable bytes and `out_cap` writable ones.
        let path = unsafe { std::slice::from_raw_parts(path.cast::<u8>(), path_len) };
        let jpeg = [0xFF, 0xD8, 0xFF, max_edge as u8, quality as u8];
        if path != b"/clip.mp4" || out_cap < jpeg.len() {
            return 0;
        }
        // SAFETY: see above; `jpeg.len() <= out_cap`.
        unsafe { std::ptr::copy_nonoverlapping(jpeg.as_ptr(), out, jpeg.len()) };
        jpeg.len()
    }

    #[test]
    fn the_platform_thumbnailer_is_reached_through_the_c_abi() {
        rcim_set_video_thumbnailer(Some(fake_thumbnailer));
        let made = video::thumbnail_base64(Path::new("/clip.mp4"), 200, 40);
        let none = video::thumbnail_base64(Path::new("/other.mp4"), 200, 40);
        rcim_set_video_thumbnailer(None);
        assert_eq!(made, "/9j/yCg=");
        assert_eq!(none, "");
        assert_eq!(video::thumbnail_base64(Path::new("/clip.mp4"), 200, 40), "");
    }
}
