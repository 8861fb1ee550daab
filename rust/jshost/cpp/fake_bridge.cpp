// A stand-in for rust/bridge's C ABI (cpp/rcim_bridge.h), linked only by tests/asan.sh, to test
// the host object and the harness without the engine. Each engine has a worker
// thread; callbacks fire from it, as they do from Rust's runtime threads.
//   ping, pingAsync      -> {"code":0} (from the worker thread)
//   echo {..}            -> {"code":0,"value":{..}}
//   sleep {"ms":N}       -> {"code":0} after N ms
//   benchEvents {"count":N} -> N events {"name":"onBench","args":{"i":k}}, then {"code":0}
//                              (an event the host answers "full" is offered again 1 ms later)
//   anything else        -> {"code":1}
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "rcim_bridge.h"

namespace {

struct Call {
  uint64_t id;
  std::string method;
  std::string args;
};

long numberField(const std::string &json, const char *key) {
  std::string needle = std::string("\"") + key + "\":";
  size_t at = json.find(needle);
  return at == std::string::npos ? 0 : std::strtol(json.c_str() + at + needle.size(), nullptr, 10);
}

class FakeEngine {
 public:
  FakeEngine(rcim_reply_fn reply, rcim_event_fn event, void *ctx)
      : reply_(reply), event_(event), ctx_(ctx), worker_([this] { loop(); }) {}

  void push(Call call) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      calls_.push_back(std::move(call));
    }
    cv_.notify_one();
  }

  // Stops the worker and answers what is still queued with {"code":2}.
  void stop() {
    stopping_ = true;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_one();
    worker_.join();
    for (auto &call : calls_) reply(call.id, "{\"code\":2}");
    calls_.clear();
  }

 private:
  void reply(uint64_t id, const std::string &json) { reply_(ctx_, id, json.data(), json.size()); }

  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || !calls_.empty(); });
      if (stop_) return;
      Call call = std::move(calls_.front());
      calls_.pop_front();
      lock.unlock();
      handle(call);
      lock.lock();
    }
  }

  void handle(const Call &call) {
    if (call.method == "ping" || call.method == "pingAsync") {
      reply(call.id, "{\"code\":0}");
    } else if (call.method == "echo") {
      reply(call.id, "{\"code\":0,\"value\":" + call.args + "}");
    } else if (call.method == "sleep") {
      std::this_thread::sleep_for(std::chrono::milliseconds(numberField(call.args, "ms")));
      reply(call.id, "{\"code\":0}");
    } else if (call.method == "benchEvents") {
      long count = numberField(call.args, "count");
      for (long i = 0; i < count && !stopping_; ++i) {
        std::string event = "{\"name\":\"onBench\",\"args\":{\"i\":" + std::to_string(i) + "}}";
        while (event_(ctx_, event.data(), event.size()) == 1 && !stopping_) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
      reply(call.id, "{\"code\":0}");
    } else {
      reply(call.id, "{\"code\":1}");
    }
  }

  rcim_reply_fn reply_;
  rcim_event_fn event_;
  void *ctx_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Call> calls_;
  bool stop_ = false;
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

std::mutex gMutex;
std::map<uint64_t, std::shared_ptr<FakeEngine>> gEngines;
uint64_t gNextHandle = 1;

}  // namespace

extern "C" {

uint64_t rcim_engine_create(const char *config, size_t len, rcim_reply_fn on_reply,
                            rcim_event_fn on_event, void *ctx) {
  std::string json(config, len);
  if (json.find("\"appKey\"") == std::string::npos) return 0;
  std::lock_guard<std::mutex> lock(gMutex);
  uint64_t handle = gNextHandle++;
  gEngines[handle] = std::make_shared<FakeEngine>(on_reply, on_event, ctx);
  return handle;
}

int32_t rcim_engine_call(uint64_t handle, uint64_t call_id, const char *method, size_t method_len,
                         const char *args, size_t args_len) {
  std::shared_ptr<FakeEngine> engine;
  {
    std::lock_guard<std::mutex> lock(gMutex);
    auto it = gEngines.find(handle);
    if (it != gEngines.end()) engine = it->second;
  }
  if (!engine) return 2;
  engine->push(Call{call_id, std::string(method, method_len), std::string(args, args_len)});
  return 0;
}

void rcim_engine_destroy(uint64_t handle) {
  std::shared_ptr<FakeEngine> engine;
  {
    std::lock_guard<std::mutex> lock(gMutex);
    auto it = gEngines.find(handle);
    if (it == gEngines.end()) return;
    engine = std::move(it->second);
    gEngines.erase(it);
  }
  engine->stop();
}

void rcim_platform_event(uint32_t, int32_t) {}

}  // extern "C"
