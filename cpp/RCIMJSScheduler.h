// "Post a job to the JS thread": the only threading primitive the host object needs.
//
// React Native implements it with facebook::react::CallInvoker (RCIMInstallCallInvoker.h);
// rcim-jshost implements it with its own event-loop queue. This header needs only JSI.
#pragma once

#include <jsi/jsi.h>

#include <functional>

namespace rcim {

class JSScheduler {
 public:
  using Job = std::function<void(facebook::jsi::Runtime &)>;

  virtual ~JSScheduler() = default;

  // Runs `job` later on the JS thread, with that thread's runtime. Callable from any thread.
  // Never runs the job inline. A job may be dropped when the runtime is gone.
  virtual void post(Job job) = 0;
};

}  // namespace rcim
