// React Native entry point: installs `global.__rcimBridge` with RN's CallInvoker as the JS-thread
// scheduler. Only React Native builds compile this file (it needs ReactCommon/CallInvoker.h);
// rcim-jshost uses RCIMBridgeHostObject.h with its own scheduler instead.
#pragma once

#include <ReactCommon/CallInvoker.h>
#include <jsi/jsi.h>

#include <memory>
#include <string>

namespace rcim {

// Call on the JS thread (e.g. from a synchronous native module method). `defaultDataDir`: see
// RCIMBridgeHostObject.h. Returns false when the runtime already has the bridge.
bool install(facebook::jsi::Runtime &rt, std::shared_ptr<facebook::react::CallInvoker> jsInvoker,
             std::string defaultDataDir);

}  // namespace rcim
