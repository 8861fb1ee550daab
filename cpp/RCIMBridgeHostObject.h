// The JSI host object `global.__rcimBridge` (see docs/bridge.md):
//
//   createEngine(configJson: string) => number          // 0 = invalid config
//   call(handle: number, method: string, argsJson: string) => Promise<string>
//   setEventListener(handle: number, fn?: (eventJson: string) => void) => void
//   destroyEngine(handle: number) => void
//   debugStats() => string                               // event queue counters (JSON)
//   dataDir: string | undefined                          // the platform's default data directory
//
// It forwards strings to the C ABI of cpp/rcim_bridge.h and knows nothing of IM.
//
// Threads and lifetime (DESIGN.md contract 6):
// - Host functions run on the JS thread. Rust callbacks (any thread) copy the JSON and post a
//   job through the JSScheduler; jsi values are touched only inside those jobs, on the JS thread.
// - Promise resolve/reject functions, event listeners and the cached host functions live in a
//   RuntimeState owned by this runtime's host object. The host object's destructor (GC
//   finalization, at the latest when the runtime is destroyed) tears the state down: it marks it
//   dead, destroys the engines this runtime created (so no callback runs afterwards) and releases
//   every jsi value. Jobs that run after that find the state dead and do nothing.
// - Every host function converts C++ exceptions into jsi::JSError.
//
// Bounded (DESIGN.md contract 5): each engine has at most kMaxQueuedEvents events, and at most
// kMaxQueuedEventBytes bytes of their JSON, posted to the JS thread and not yet run (or dropped);
// an event larger than the byte bound passes alone. At a limit the event callback answers "full"
// without posting or blocking, and the Rust bridge offers the same event again about 1 ms later;
// the engine's own bounded event queue then fills and the engine slows down. Replies are not
// limited: there is one per call, so they are bounded by the calls JS has in flight.
#pragma once

#include <jsi/jsi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "RCIMJSScheduler.h"

namespace rcim {

// Most events of one engine that may wait for the JS thread at a time.
inline constexpr uint32_t kMaxQueuedEvents = 4096;

// Most bytes of event JSON of one engine that may wait for the JS thread at a time (8 MiB, as the
// engine's own event queue).
inline constexpr uint64_t kMaxQueuedEventBytes = 8u << 20;

struct RuntimeState;

class RCIMBridgeHostObject : public facebook::jsi::HostObject {
 public:
  RCIMBridgeHostObject(std::shared_ptr<JSScheduler> scheduler, std::string defaultDataDir);
  ~RCIMBridgeHostObject() override;

  facebook::jsi::Value get(facebook::jsi::Runtime &rt,
                           const facebook::jsi::PropNameID &name) override;
  void set(facebook::jsi::Runtime &rt, const facebook::jsi::PropNameID &name,
           const facebook::jsi::Value &value) override;
  std::vector<facebook::jsi::PropNameID> getPropertyNames(facebook::jsi::Runtime &rt) override;

  // Destroys this runtime's engines and releases its jsi values. Idempotent; called by the
  // destructor. Safe on any thread as long as the runtime has not been freed yet.
  void teardown();

 private:
  std::shared_ptr<RuntimeState> state_;
};

// Name of the global the host object is installed as.
inline constexpr const char *kBridgeGlobalName = "__rcimBridge";

// Installs `global.__rcimBridge` into `rt` (call on the JS thread). `defaultDataDir` is the
// directory the platform chose for engine data (Android filesDir, iOS Application Support,
// rcim-jshost RCIM_DATA_DIR); it is exposed as `__rcimBridge.dataDir` (undefined when empty) for
// the TypeScript layer to put into the createEngine config. Returns false, and changes nothing,
// when this runtime already has an RCIM bridge.
bool install(facebook::jsi::Runtime &rt, std::shared_ptr<JSScheduler> scheduler,
             std::string defaultDataDir = {});

}  // namespace rcim
