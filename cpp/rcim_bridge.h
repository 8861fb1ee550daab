// The C ABI of the Rust bridge (crate rust/bridge, static library librcim_bridge.a).
//
// This is the only surface C++ uses to reach the engine. It never grows with the API:
// every IM method goes through rcim_engine_call with a method name and a JSON argument
// object; every result and event comes back as JSON through the two callbacks. The one other
// entry, rcim_set_video_thumbnailer, lets the platform glue lend the engine what only the
// platform has (a video decoder).
// See docs/bridge.md for the JSON shapes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Called with the JSON reply of call `call_id` (from any thread, exactly once per call).
// The bytes are valid only during the callback. Replies are unconditional (no "full" answer):
// there is one per call, so the replies in flight are bounded by the calls in flight.
typedef void (*rcim_reply_fn)(void *ctx, uint64_t call_id, const char *json, size_t len);

// Offers one JSON event (from any thread; never concurrently for one engine). The bytes are valid
// only during the callback, which must not block. Returns:
//   0  the event was taken (queued for the listener, or dropped because the runtime is gone);
//   1  full (or another transient failure, e.g. out of memory): nothing was taken. The bridge
//      offers the SAME event again later (after about 1 ms) and offers no later event of this
//      engine before it. While the host keeps answering 1, the engine's own bounded event
//      queue fills and the engine slows down (backpressure).
// Other values are reserved and treated as 0. After rcim_engine_destroy(handle) has returned
// nothing is offered again, taken or not.
typedef int32_t (*rcim_event_fn)(void *ctx, const char *json, size_t len);

// Creates an engine. `config_json` is {"appKey": string, "options": RCIMIWEngineOptions,
// "dataDir": string}. Returns a non-zero handle, or 0 when the config is invalid.
// Callbacks may fire from any thread until rcim_engine_destroy(handle) has returned.
uint64_t rcim_engine_create(const char *config_json, size_t config_len, rcim_reply_fn on_reply,
                            rcim_event_fn on_event, void *ctx);

// Starts `method` with JSON `args`. Returns 0 when the call was taken: its reply then arrives
// exactly once through on_reply(ctx, call_id, ...), possibly before this function returns (on
// the calling thread). Returns 2 (ENGINE_DESTROYED) when `handle` is unknown (never created or
// destroyed): no reply will come. Callbacks must not call back into rcim_* synchronously.
int32_t rcim_engine_call(uint64_t handle, uint64_t call_id, const char *method, size_t method_len,
                         const char *args_json, size_t args_len);

// Destroys the engine. When it returns no callback for this handle is running or will run.
// Idempotent. Pending calls are answered {"code":2} before it returns.
void rcim_engine_destroy(uint64_t handle);

// Makes a JPEG of the first frame of the video at `path` (UTF-8, `path_len` bytes, not
// NUL-terminated) whose longest edge is at most `max_edge` px, of JPEG quality `quality`
// (1..100), into `out` (room for `out_cap` bytes). Returns the JPEG's length, or 0 when there is
// none or it does not fit. Called on an engine worker thread, never the JS thread; may block.
typedef size_t (*rcim_video_thumbnail_fn)(const char *path, size_t path_len, uint32_t max_edge,
                                          uint32_t quality, uint8_t *out, size_t out_cap);

// Registers the platform's video thumbnailer for every engine of the process (NULL removes it):
// short-video messages sent without a thumbnail get one from it. The platform glue calls it once
// at start-up; without it (the Linux test host) such messages go without a thumbnail.
void rcim_set_video_thumbnailer(rcim_video_thumbnail_fn make);

// Tells every live engine what the platform saw: kind 1 = network (value 0 none, 1 available,
// 2 changed to another network), kind 2 = app state (value 1 foreground, 0 background). No
// network closes the connection (status NETWORK_UNAVAILABLE) and stops reconnecting until a
// network comes back; a network or the foreground while not connected reconnects at once,
// restarting the reconnect intervals. Any thread, any time; unknown values are ignored.
void rcim_platform_event(uint32_t kind, int32_t value);

#ifdef __cplusplus
}
#endif
