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

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "RCIMBridgeHostObject.h"
#include "RCIMJSScheduler.h"
#include "rcim_bridge.h"

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

// Written through at once, as Node does: a process reading our piped stdout sees each console
// line when it is logged (not at exit), and stdout and stderr interleave in call order.
void writeOut(int fd, const std::string &text) {
  FILE *f = fd == 2 ? stderr : stdout;
  std::fwrite(text.data(), 1, text.size(), f);
  std::fflush(f);
}

// ---- __rcimHostFs: read-only file helpers for the integration tests -------------------------
// The tests compare downloaded media with the fixtures the runner wrote (hashes), read image
// headers and the runner's file-proxy log. Test host only: the SDK never reads files from JS.

// SHA-256 (FIPS 180-4), streaming, so large downloads are hashed without a JS round trip.
class Sha256 {
 public:
  void update(const unsigned char *data, size_t len) {
    total_ += len;
    while (len > 0) {
      size_t take = std::min(len, sizeof(block_) - used_);
      std::memcpy(block_ + used_, data, take);
      used_ += take;
      data += take;
      len -= take;
      if (used_ == sizeof(block_)) {
        compress(block_);
        used_ = 0;
      }
    }
  }

  std::string hex() {
    uint64_t bits = total_ * 8;
    unsigned char pad = 0x80;
    update(&pad, 1);
    unsigned char zero = 0;
    while (used_ != 56) update(&zero, 1);
    unsigned char len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(bits >> (56 - 8 * i));
    update(len, 8);
    static const char *digits = "0123456789abcdef";
    std::string out;
    for (uint32_t word : h_) {
      for (int shift = 28; shift >= 0; shift -= 4) out += digits[(word >> shift) & 0xf];
    }
    return out;
  }

 private:
  static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

  void compress(const unsigned char *p) {
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = (uint32_t(p[4 * i]) << 24) | (uint32_t(p[4 * i + 1]) << 16) |
             (uint32_t(p[4 * i + 2]) << 8) | uint32_t(p[4 * i + 3]);
    }
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6], h = h_[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t t1 =
          h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
      uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h_[0] += a, h_[1] += b, h_[2] += c, h_[3] += d, h_[4] += e, h_[5] += f, h_[6] += g, h_[7] += h;
  }

  std::array<uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  unsigned char block_[64] = {};
  size_t used_ = 0;
  uint64_t total_ = 0;
};

// The bytes of a file as an ArrayBuffer's backing store.
class FileBuffer final : public jsi::MutableBuffer {
 public:
  explicit FileBuffer(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  size_t size() const override { return bytes_.size(); }
  uint8_t *data() override { return bytes_.data(); }

 private:
  std::vector<uint8_t> bytes_;
};

std::string pathArg(jsi::Runtime &rt, const char *fn, const jsi::Value *args, size_t count) {
  if (count < 1 || !args[0].isString()) {
    throw jsi::JSError(rt, std::string("__rcimHostFs.") + fn + ": path must be a string");
  }
  return args[0].getString(rt).utf8(rt);
}

std::ifstream openOrThrow(jsi::Runtime &rt, const char *fn, const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw jsi::JSError(rt, std::string("__rcimHostFs.") + fn + ": cannot read " + path);
  return in;
}

//   stat(path)     {size, isDirectory}, or null when nothing is there
//   readFile(path) the file's bytes as an ArrayBuffer
//   sha256(path)   lowercase hex SHA-256 of the file
jsi::Object makeHostFs(jsi::Runtime &rt) {
  jsi::Object fs(rt);
  auto fn = [&rt](const char *name, jsi::HostFunctionType body) {
    return jsi::Function::createFromHostFunction(rt, jsi::PropNameID::forAscii(rt, name), 1,
                                                 std::move(body));
  };
  fs.setProperty(rt, "stat",
                 fn("stat",
                    [](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args,
                       size_t count) -> jsi::Value {
                      std::string path = pathArg(rt, "stat", args, count);
                      struct stat st {};
                      if (::stat(path.c_str(), &st) != 0) return jsi::Value::null();
                      jsi::Object out(rt);
                      out.setProperty(rt, "size", static_cast<double>(st.st_size));
                      out.setProperty(rt, "isDirectory", S_ISDIR(st.st_mode));
                      return out;
                    }));
  fs.setProperty(rt, "readFile",
                 fn("readFile",
                    [](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
                      std::string path = pathArg(rt, "readFile", args, count);
                      std::ifstream in = openOrThrow(rt, "readFile", path);
                      std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                                 std::istreambuf_iterator<char>());
                      return jsi::Value(
                          rt, jsi::ArrayBuffer(rt, std::make_shared<FileBuffer>(std::move(bytes))));
                    }));
  fs.setProperty(
      rt, "sha256",
      fn("sha256", [](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
        std::string path = pathArg(rt, "sha256", args, count);
        std::ifstream in = openOrThrow(rt, "sha256", path);
        Sha256 hash;
        std::vector<char> chunk(1 << 16);
        while (in) {
          in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
          hash.update(reinterpret_cast<const unsigned char *>(chunk.data()),
                      static_cast<size_t>(in.gcount()));
        }
        return jsi::Value(rt, jsi::String::createFromAscii(rt, hash.hex()));
      }));
  return fs;
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
  // What the Android/iOS glue feeds the engines (network and app state), driven by the tests.
  global.setProperty(
      rt, "__rcimPlatformEvent",
      fn("__rcimPlatformEvent", 2,
         [](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args, size_t count) {
           if (count < 2 || !args[0].isNumber() || !args[1].isNumber()) {
             throw jsi::JSError(rt, "__rcimPlatformEvent(kind, value): two numbers");
           }
           rcim_platform_event(static_cast<uint32_t>(args[0].getNumber()),
                               static_cast<int32_t>(args[1].getNumber()));
           return jsi::Value::undefined();
         }));
  global.setProperty(rt, "__rcimHostEnv", env);
  global.setProperty(rt, "__rcimHostFs", makeHostFs(rt));
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
