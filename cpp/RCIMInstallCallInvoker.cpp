#include "RCIMInstallCallInvoker.h"

#include <utility>

#include "RCIMBridgeHostObject.h"
#include "RCIMJSScheduler.h"

namespace rcim {

namespace {

class CallInvokerScheduler final : public JSScheduler {
 public:
  explicit CallInvokerScheduler(std::shared_ptr<facebook::react::CallInvoker> invoker)
      : invoker_(std::move(invoker)) {}

  void post(Job job) override {
    // invokeAsync(CallFunc) hands the job the runtime it runs on (RN >= 0.75); RN drops queued
    // jobs once the runtime is gone, and our jobs check the runtime state before touching jsi.
    invoker_->invokeAsync([job = std::move(job)](facebook::jsi::Runtime &rt) { job(rt); });
  }

 private:
  const std::shared_ptr<facebook::react::CallInvoker> invoker_;
};

}  // namespace

bool install(facebook::jsi::Runtime &rt, std::shared_ptr<facebook::react::CallInvoker> jsInvoker,
             std::string defaultDataDir) {
  if (!jsInvoker) return false;
  return install(rt, std::make_shared<CallInvokerScheduler>(std::move(jsInvoker)),
                 std::move(defaultDataDir));
}

}  // namespace rcim
