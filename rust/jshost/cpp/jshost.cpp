// rcim-jshost's C++ side: a Hermes runtime with the microtask queue on, the real RCIM host object
// (cpp/RCIMBridgeHostObject.cpp), a few host globals and a small event loop. The Rust main
// (src/main.rs) parses arguments, bundles the script with esbuild and calls rcim_jshost_run().
//
// Event loop, one turn (after the prelude and bundle were evaluated and __rcimStart() ran):
//   1. run every job posted through the JSScheduler queue (Rust replies/events), each followed by a
//      microtask checkpoint;
//   2. run due immediates/timers (prelude.js keeps them), each followed by a checkpoint;
//   3. block on the queue's condition variable until a job is posted or the next timer is due.
// The loop ends when JS calls __rcimHostExit(code) (main settled, unhandled rejection) or an
// uncaught exception escapes a task; without a main function, when no timer is left.
#include <hermes/hermes.h>
#include <jsi/jsi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "RCIMBridgeHostObject.h"
#include "RCIMJSScheduler.h"

extern char **environ;

namespace jsi = facebook::jsi;
using Clock = std::chrono::steady_clock;

namespace {

// The CallInvoker-style queue: any thread posts, the loop thread drains.
class LoopQueue final : public rcim::JSScheduler {
 public:
  void post(Job job) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

  std::deque<Job> takeAll() {
    std::deque<Job> jobs;
    std::lock_guard<std::mutex> lock(mutex_);
    jobs.swap(jobs_);
    return jobs;
  }

  // Blocks until a job is posted or `deadline` passes (no deadline: until a job is posted).
  void wait(bool hasDeadline, Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto ready = [this] { return !jobs_.empty(); };
    if (hasDeadline) {
      cv_.wait_until(lock, deadline, ready);
    } else {
      cv_.wait(lock, ready);
    }
  }

  bool empty() {
    std::lock_guard<std::mutex> lock(mutex_);
    return jobs_.empty();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
};

void writeOut(int fd, const std::string &text) {
  FILE *f = fd == 2 ? stderr : stdout;
  std::fwrite(text.data(), 1, text.size(), f);
  if (fd == 2) std::fflush(stdout), std::fflush(f);
}

class Host {
 public:
  Host(std::shared_ptr<LoopQueue> queue, Clock::time_point epoch)
      : queue_(std::move(queue)), epoch_(epoch) {}

  int run(const std::string &prelude, const std::string &bundle, const std::string &sourceUrl);

 private:
  void installGlobals(jsi::Runtime &rt);
  // Runs `task` then a microtask checkpoint; an uncaught JS error ends the loop with code 1.
  template <typename Task>
  void runTask(jsi::Runtime &rt, Task &&task);
  void requestExit(int code) {
    exitRequested_ = true;
    exitCode_ = std::max(exitCode_, code);
  }
  double nowMs() const {
    return std::chrono::duration<double, std::milli>(Clock::now() - epoch_).count();
  }

  std::shared_ptr<LoopQueue> queue_;
  Clock::time_point epoch_;
  bool exitRequested_ = false;
  int exitCode_ = 0;
};

template <typename Task>
void Host::runTask(jsi::Runtime &rt, Task &&task) {
  try {
    task();
    while (!rt.drainMicrotasks()) {
    }
  } catch (const jsi::JSError &e) {
    writeOut(2, std::string("Uncaught ") + e.what() + "\n");
    requestExit(1);
  } catch (const jsi::JSIException &e) {  // e.g. a syntax error in the bundle
    writeOut(2, std::string("rcim-jshost: ") + e.what() + "\n");
    requestExit(1);
  } catch (const std::exception &e) {
    writeOut(2, std::string("rcim-jshost: uncaught native exception: ") + e.what() + "\n");
    requestExit(1);
  }
}

void Host::installGlobals(jsi::Runtime &rt) {
  jsi::Object global = rt.global();
  auto fn = [&rt](const char *name, unsigned argc, jsi::HostFunctionType body) {
    return jsi::Function::createFromHostFunction(rt, jsi::PropNameID::forAscii(rt, name), argc,
                                                 std::move(body));
  };
  global.setProperty(
      rt, "__rcimHostWrite",
      fn("__rcimHostWrite", 2,
         [](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
           if (count >= 2) {
             int fd = args[0].isNumber() && args[0].getNumber() == 2 ? 2 : 1;
             writeOut(fd, args[1].toString(rt).utf8(rt));
           }
           return jsi::Value::undefined();
         }));
  global.setProperty(
      rt, "__rcimHostNow",
      fn("now", 0, [this](jsi::Runtime &, const jsi::Value &, const jsi::Value *, size_t) {
        return jsi::Value(nowMs());
      }));
  global.setProperty(
      rt, "__rcimHostExit",
      fn("__rcimHostExit", 1,
         [this](jsi::Runtime &, const jsi::Value &, const jsi::Value *args, size_t count) {
           int code = count >= 1 && args[0].isNumber() ? static_cast<int>(args[0].getNumber()) : 0;
           requestExit(code);
           return jsi::Value::undefined();
         }));
  global.setProperty(
      rt, "queueMicrotask",
      fn("queueMicrotask", 1,
         [](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
           if (count < 1 || !args[0].isObject() || !args[0].getObject(rt).isFunction(rt)) {
             throw jsi::JSError(rt, "queueMicrotask: callback must be a function");
           }
           rt.queueMicrotask(args[0].getObject(rt).getFunction(rt));
           return jsi::Value::undefined();
         }));
  jsi::Object env(rt);
  for (char **e = environ; e && *e; ++e) {
    const char *eq = std::strchr(*e, '=');
    if (eq && std::strncmp(*e, "RCIM_", 5) == 0) {
      std::string name(*e, eq - *e);
      env.setProperty(rt, name.c_str(), jsi::String::createFromUtf8(rt, eq + 1));
    }
  }
  global.setProperty(rt, "__rcimHostEnv", env);
  const char *dataDir = std::getenv("RCIM_DATA_DIR");
  rcim::install(rt, queue_, dataDir ? dataDir : "");
}

int Host::run(const std::string &prelude, const std::string &bundle, const std::string &sourceUrl) {
  auto config = ::hermes::vm::RuntimeConfig::Builder()
                    .withMicrotaskQueue(true)
                    .withES6BlockScoping(true)
                    .withEnableAsyncGenerators(true)
                    .withIntl(false)
                    .build();
  std::unique_ptr<facebook::hermes::HermesRuntime> runtime =
      facebook::hermes::makeHermesRuntime(config);
  jsi::Runtime &rt = *runtime;

  bool hasMain = false;
  runTask(rt, [&] {
    installGlobals(rt);
    rt.evaluateJavaScript(std::make_shared<jsi::StringBuffer>(prelude), "rcim-jshost/prelude.js");
  });
  if (!exitRequested_) {
    runTask(rt,
            [&] { rt.evaluateJavaScript(std::make_shared<jsi::StringBuffer>(bundle), sourceUrl); });
  }
  if (!exitRequested_) {
    runTask(rt, [&] {
      hasMain = rt.global().getPropertyAsFunction(rt, "__rcimStart").call(rt).getBool();
    });
  }

  while (!exitRequested_) {
    for (auto &job : queue_->takeAll()) {
      if (exitRequested_) break;
      runTask(rt, [&] { job(rt); });
    }
    // Timers: run what is due, with a budget so a chain of immediates cannot starve the queue.
    double next = -1;
    if (!exitRequested_) {
      jsi::Function tick = rt.global().getPropertyAsFunction(rt, "__rcimTimerTick");
      for (int budget = 1000; budget > 0 && !exitRequested_; --budget) {
        double r = -1;
        runTask(rt, [&] { r = tick.call(rt, nowMs()).getNumber(); });
        if (r != -2) {
          next = r;
          break;
        }
        next = 0;  // budget exhausted: come back right away
      }
    }
    if (exitRequested_) break;
    if (!hasMain && next < 0 && queue_->empty()) break;  // a plain script ran out of work
    if (next >= 0) {
      auto deadline = epoch_ + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double, std::milli>(next));
      queue_->wait(true, deadline);
    } else {
      queue_->wait(false, Clock::time_point());
    }
  }
  // Rejections still unhandled now would never be reported by the tracker's timers.
  runTask(rt, [&] { rt.global().getPropertyAsFunction(rt, "__rcimFlushRejections").call(rt); });

  // Destroying the runtime finalizes __rcimBridge, whose teardown destroys the engines this run
  // created and drops their late replies/events.
  runtime.reset();
  queue_->takeAll();
  return exitCode_;
}

}  // namespace

extern "C" {

// Runs one script on `repeat` fresh runtimes in turn (stopping at the first failure) and returns
// the process exit code: 0 success, 1 JS failure (uncaught error, rejected main, unhandled
// rejection), 124 timeout (the watchdog ends the process). Never throws.
int rcim_jshost_run(const char *prelude, size_t preludeLen, const char *bundle, size_t bundleLen,
                    const char *sourceUrl, double timeoutSecs, unsigned repeat) {
  try {
    if (timeoutSecs > 0) {
      std::thread([timeoutSecs] {
        std::this_thread::sleep_for(std::chrono::duration<double>(timeoutSecs));
        std::fflush(stdout);
        std::fprintf(stderr, "rcim-jshost: timed out after %g s\n", timeoutSecs);
        std::fflush(stderr);
        std::_Exit(124);
      }).detach();
    }
    std::string preludeText(prelude, preludeLen);
    std::string bundleText(bundle, bundleLen);
    auto epoch = Clock::now();
    for (unsigned i = 0; i < std::max(repeat, 1u); ++i) {
      Host host(std::make_shared<LoopQueue>(), epoch);
      int code = host.run(preludeText, bundleText, sourceUrl);
      std::fflush(stdout);
      if (code != 0) return code;
    }
    return 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "rcim-jshost: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "rcim-jshost: unknown native exception\n");
  }
  return 70;
}

}  // extern "C"
