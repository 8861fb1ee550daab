// See RCIMBridgeHostObject.h for the contract, threads and lifetime rules.
#include "RCIMBridgeHostObject.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rcim_bridge.h"

namespace rcim {

namespace jsi = facebook::jsi;

namespace {

// What `call` resolves with for a handle this runtime does not own (never created here, or
// destroyed): the same reply rust/bridge gives for an unknown handle.
constexpr const char *kEngineDestroyedReply = "{\"code\":2}";

constexpr const char *kCreateEngine = "createEngine";
constexpr const char *kCall = "call";
constexpr const char *kSetEventListener = "setEventListener";
constexpr const char *kDestroyEngine = "destroyEngine";
constexpr const char *kDebugStats = "debugStats";
constexpr const char *kDataDir = "dataDir";

// rcim_event_fn's return values (cpp/rcim_bridge.h).
constexpr int32_t kEventTaken = 0;
constexpr int32_t kEventFull = 1;

struct PendingCall {
  jsi::Function resolve;
  jsi::Function reject;
};

jsi::String utf8(jsi::Runtime &rt, const std::string &s) {
  return jsi::String::createFromUtf8(rt, reinterpret_cast<const uint8_t *>(s.data()), s.size());
}

}  // namespace

struct EngineContext;

// Everything the host object keeps for one runtime. `alive` and `scheduler` may be read from any
// thread; the rest is guarded by `mutex` and used on the JS thread (or by teardown()).
struct RuntimeState {
  RuntimeState(std::shared_ptr<JSScheduler> s, std::string dir)
      : scheduler(std::move(s)), dataDir(std::move(dir)) {}

  const std::shared_ptr<JSScheduler> scheduler;
  const std::string dataDir;
  std::atomic<bool> alive{true};

  std::mutex mutex;
  uint64_t nextCallId = 1;
  uint64_t executorCallId = 0;  // the call id the shared Promise executor registers under
  std::unordered_map<uint64_t, PendingCall> pending;
  std::unordered_map<uint64_t, std::shared_ptr<EngineContext>> engines;
  std::unordered_map<std::string, jsi::Function> members;  // cached host functions
  std::optional<jsi::Function> promiseCtor;
  std::optional<jsi::Function> executor;

  void teardown();
  void resolveCall(jsi::Runtime &rt, uint64_t callId, const std::string &reply);
};

// The `ctx` handed to Rust for one engine. Rust may use it until rcim_engine_destroy() returns;
// jobs keep it alive with a shared_ptr and only read `handle`, `listener` and the counters.
struct EngineContext : std::enable_shared_from_this<EngineContext> {
  std::weak_ptr<RuntimeState> state;
  std::atomic<uint64_t> handle{0};          // set right after rcim_engine_create returns
  std::shared_ptr<jsi::Function> listener;  // guarded by state->mutex

  // Events posted to the JS thread and not yet run or dropped (at most kMaxQueuedEvents), their
  // bytes (at most kMaxQueuedEventBytes, unless one event alone is larger), the highest count it
  // reached, and how many offers were answered "full".
  std::atomic<uint32_t> queuedEvents{0};
  std::atomic<uint64_t> queuedBytes{0};
  std::atomic<uint32_t> maxQueuedEvents{0};
  std::atomic<uint64_t> fullOffers{0};

  // Takes a queue slot for one event of `bytes` bytes; false (and nothing taken) when the queue
  // is full.
  bool reserveEventSlot(uint64_t bytes) {
    uint32_t queued = queuedEvents.load(std::memory_order_relaxed);
    do {
      if (queued >= kMaxQueuedEvents) {
        fullOffers.fetch_add(1, std::memory_order_relaxed);
        return false;
      }
    } while (!queuedEvents.compare_exchange_weak(queued, queued + 1, std::memory_order_acq_rel,
                                                 std::memory_order_relaxed));
    // Over the byte bound: refused, unless the queue was empty (a large event passes alone).
    uint64_t held = queuedBytes.fetch_add(bytes, std::memory_order_acq_rel);
    if (queued > 0 && held + bytes > kMaxQueuedEventBytes) {
      releaseEventSlot(bytes);
      fullOffers.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    uint32_t max = maxQueuedEvents.load(std::memory_order_relaxed);
    while (queued + 1 > max &&
           !maxQueuedEvents.compare_exchange_weak(max, queued + 1, std::memory_order_relaxed)) {
    }
    return true;
  }

  // Bytes first: a count seen at 0 then means no bytes are held either.
  void releaseEventSlot(uint64_t bytes) {
    queuedBytes.fetch_sub(bytes, std::memory_order_acq_rel);
    queuedEvents.fetch_sub(1, std::memory_order_acq_rel);
  }
};

// One event on its way to the JS thread. It holds one of its engine's queue slots until the job
// runs or, whichever comes first, the scheduler drops the job (runtime gone, loop ended): the
// scheduler may copy the job, so the slot is released once, by settle() or the destructor.
struct QueuedEvent {
  QueuedEvent(std::shared_ptr<EngineContext> e, std::string j)
      : engine(std::move(e)), json(std::move(j)) {}
  QueuedEvent(const QueuedEvent &) = delete;
  QueuedEvent &operator=(const QueuedEvent &) = delete;
  ~QueuedEvent() { settle(); }

  void settle() {
    if (!settled.exchange(true)) engine->releaseEventSlot(json.size());
  }

  const std::shared_ptr<EngineContext> engine;
  const std::string json;
  std::atomic<bool> settled{false};
};

void RuntimeState::teardown() {
  if (!alive.exchange(false)) return;
  std::unordered_map<uint64_t, std::shared_ptr<EngineContext>> ownEngines;
  std::unordered_map<uint64_t, PendingCall> ownPending;
  std::unordered_map<std::string, jsi::Function> ownMembers;
  std::optional<jsi::Function> ownCtor, ownExecutor;
  std::vector<std::shared_ptr<jsi::Function>> listeners;
  {
    std::lock_guard<std::mutex> lock(mutex);
    ownEngines.swap(engines);
    ownPending.swap(pending);
    ownMembers.swap(members);
    ownCtor.swap(promiseCtor);
    ownExecutor.swap(executor);
    for (auto &entry : ownEngines) listeners.push_back(std::move(entry.second->listener));
  }
  // Not holding the mutex: Rust callbacks may run until destroy returns (they see !alive).
  for (auto &entry : ownEngines) rcim_engine_destroy(entry.first);
  // The jsi values are released here, when the locals go out of scope; destroying jsi values
  // from a HostObject destructor is explicitly allowed by jsi.h.
}

void RuntimeState::resolveCall(jsi::Runtime &rt, uint64_t callId, const std::string &reply) {
  if (!alive.load()) return;
  std::optional<PendingCall> call;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = pending.find(callId);
    if (it == pending.end()) return;
    call.emplace(std::move(it->second));
    pending.erase(it);
  }
  jsi::Value value;
  try {
    value = utf8(rt, reply);
  } catch (const std::exception &e) {
    call->reject.call(rt, jsi::JSError(rt, std::string("__rcimBridge.call: ") + e.what()).value());
    return;
  }
  call->resolve.call(rt, value);
}

namespace {

void emitEvent(jsi::Runtime &rt, const std::shared_ptr<EngineContext> &engine,
               const std::string &json) {
  auto state = engine->state.lock();
  if (!state || !state->alive.load()) return;
  std::shared_ptr<jsi::Function> listener;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    listener = engine->listener;
  }
  // An exception thrown by the listener propagates to the scheduler, which reports it like any
  // other uncaught JS error (React Native: ErrorUtils; rcim-jshost: exit code 1).
  if (listener) listener->call(rt, utf8(rt, json));
}

extern "C" void rcimOnReply(void *ctx, uint64_t callId, const char *json, size_t len) {
  // Called by Rust from any thread: copy, hop to the JS thread, never unwind into Rust.
  try {
    auto state = static_cast<EngineContext *>(ctx)->state.lock();
    if (!state || !state->alive.load()) return;
    std::string reply(json, len);
    state->scheduler->post([state, callId, reply = std::move(reply)](jsi::Runtime &rt) {
      state->resolveCall(rt, callId, reply);
    });
  } catch (...) {
  }
}

// Called by Rust from any thread, one call at a time per engine. Never blocks: when the engine
// already has kMaxQueuedEvents events waiting for the JS thread it answers "full" and Rust offers
// the same event again later, so a slow JS thread slows the engine down instead of growing a queue.
extern "C" int32_t rcimOnEvent(void *ctx, const char *json, size_t len) {
  try {
    auto engine = static_cast<EngineContext *>(ctx)->shared_from_this();
    auto state = engine->state.lock();
    if (!state || !state->alive.load()) return kEventTaken;  // torn down: dropped
    if (!engine->reserveEventSlot(len)) return kEventFull;
    std::shared_ptr<QueuedEvent> event;
    try {
      event = std::make_shared<QueuedEvent>(engine, std::string(json, len));
    } catch (...) {
      engine->releaseEventSlot(len);
      throw;
    }
    // If post throws, the job and `event` are destroyed, which releases the slot.
    state->scheduler->post([event = std::move(event)](jsi::Runtime &rt) {
      event->settle();
      emitEvent(rt, event->engine, event->json);
    });
    return kEventTaken;
  } catch (...) {
    return kEventFull;  // nothing was taken (e.g. out of memory): offered again later
  }
}

uint64_t handleArg(jsi::Runtime &rt, const jsi::Value *args, size_t count) {
  if (count < 1 || !args[0].isNumber()) throw jsi::JSError(rt, "handle must be a number");
  double d = args[0].getNumber();
  if (!(d >= 0) || d > 9007199254740991.0 || std::floor(d) != d) {
    throw jsi::JSError(rt, "handle must be a non-negative integer");
  }
  return static_cast<uint64_t>(d);
}

std::string stringArg(jsi::Runtime &rt, const jsi::Value *args, size_t count, size_t i,
                      const char *what) {
  if (count <= i || !args[i].isString())
    throw jsi::JSError(rt, std::string(what) + " must be a string");
  return args[i].getString(rt).utf8(rt);
}

std::shared_ptr<RuntimeState> lockAlive(jsi::Runtime &rt, const std::weak_ptr<RuntimeState> &weak) {
  auto state = weak.lock();
  if (!state || !state->alive.load()) throw jsi::JSError(rt, "the RCIM bridge was torn down");
  return state;
}

// Runs a host function body; any C++ exception becomes a JS Error named after the member.
template <typename Body>
jsi::Value guarded(jsi::Runtime &rt, const char *member, Body &&body) {
  try {
    return body();
  } catch (const jsi::JSError &) {
    throw;
  } catch (const std::exception &e) {
    throw jsi::JSError(rt, std::string("__rcimBridge.") + member + ": " + e.what());
  } catch (...) {
    throw jsi::JSError(rt, std::string("__rcimBridge.") + member + ": unknown C++ exception");
  }
}

jsi::Value createEngine(jsi::Runtime &rt, const std::weak_ptr<RuntimeState> &weak,
                        const jsi::Value *args, size_t count) {
  auto state = lockAlive(rt, weak);
  std::string config = stringArg(rt, args, count, 0, "configJson");
  auto engine = std::make_shared<EngineContext>();
  engine->state = state;
  uint64_t handle =
      rcim_engine_create(config.data(), config.size(), &rcimOnReply, &rcimOnEvent, engine.get());
  if (handle == 0) return jsi::Value(0);
  engine->handle.store(handle);
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    state->engines[handle] = std::move(engine);
  }
  return jsi::Value(static_cast<double>(handle));
}

jsi::Function &promiseCtor(jsi::Runtime &rt, RuntimeState &state) {
  if (!state.promiseCtor) {
    state.promiseCtor.emplace(rt.global().getPropertyAsFunction(rt, "Promise"));
  }
  return *state.promiseCtor;
}

jsi::Function &executor(jsi::Runtime &rt, const std::shared_ptr<RuntimeState> &state) {
  if (!state->executor) {
    // One executor for every call: `new Promise(executor)` runs it synchronously, and it files
    // resolve/reject under state.executorCallId, which call() sets just before.
    std::weak_ptr<RuntimeState> weak = state;
    state->executor.emplace(jsi::Function::createFromHostFunction(
        rt, jsi::PropNameID::forAscii(rt, "rcimExecutor"), 2,
        [weak](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args,
               size_t count) -> jsi::Value {
          auto state = lockAlive(rt, weak);
          if (count < 2) throw jsi::JSError(rt, "Promise executor expects resolve and reject");
          PendingCall call{args[0].getObject(rt).getFunction(rt),
                           args[1].getObject(rt).getFunction(rt)};
          std::lock_guard<std::mutex> lock(state->mutex);
          state->pending.emplace(state->executorCallId, std::move(call));
          return jsi::Value::undefined();
        }));
  }
  return *state->executor;
}

jsi::Value call(jsi::Runtime &rt, const std::weak_ptr<RuntimeState> &weak, const jsi::Value *args,
                size_t count) {
  auto state = lockAlive(rt, weak);
  uint64_t handle = handleArg(rt, args, count);
  std::string method = stringArg(rt, args, count, 1, "method");
  std::string argsJson = stringArg(rt, args, count, 2, "argsJson");
  bool owned;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    owned = state->engines.count(handle) != 0;
  }
  jsi::Function &ctor = promiseCtor(rt, *state);
  if (!owned) {
    // Not an engine of this runtime: never route it to another runtime's callbacks.
    return ctor.getPropertyAsFunction(rt, "resolve")
        .callWithThis(rt, ctor, jsi::String::createFromAscii(rt, kEngineDestroyedReply));
  }
  uint64_t callId = state->nextCallId++;
  state->executorCallId = callId;
  jsi::Value promise = ctor.callAsConstructor(rt, executor(rt, state));
  int32_t status = rcim_engine_call(handle, callId, method.data(), method.size(), argsJson.data(),
                                    argsJson.size());
  if (status != 0) {
    // Not taken (e.g. 2 = unknown handle): no reply will come, so settle it here.
    std::optional<PendingCall> call;
    {
      std::lock_guard<std::mutex> lock(state->mutex);
      auto it = state->pending.find(callId);
      if (it != state->pending.end()) {
        call.emplace(std::move(it->second));
        state->pending.erase(it);
      }
    }
    if (call) {
      std::string reply = "{\"code\":" + std::to_string(status) + "}";
      call->resolve.call(rt, jsi::String::createFromAscii(rt, reply));
    }
  }
  return promise;
}

jsi::Value setEventListener(jsi::Runtime &rt, const std::weak_ptr<RuntimeState> &weak,
                            const jsi::Value *args, size_t count) {
  auto state = lockAlive(rt, weak);
  uint64_t handle = handleArg(rt, args, count);
  std::shared_ptr<jsi::Function> listener;
  if (count >= 2 && args[1].isObject() && args[1].getObject(rt).isFunction(rt)) {
    listener = std::make_shared<jsi::Function>(args[1].getObject(rt).getFunction(rt));
  } else if (count >= 2 && !args[1].isUndefined() && !args[1].isNull()) {
    throw jsi::JSError(rt, "listener must be a function or undefined");
  }
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    auto it = state->engines.find(handle);
    if (it != state->engines.end()) it->second->listener.swap(listener);
  }
  return jsi::Value::undefined();  // the previous listener is released here, unlocked
}

jsi::Value destroyEngine(jsi::Runtime &rt, const std::weak_ptr<RuntimeState> &weak,
                         const jsi::Value *args, size_t count) {
  auto state = lockAlive(rt, weak);
  uint64_t handle = handleArg(rt, args, count);
  std::shared_ptr<EngineContext> engine;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    auto it = state->engines.find(handle);
    if (it == state->engines.end()) return jsi::Value::undefined();
    engine = std::move(it->second);
    state->engines.erase(it);
  }
  // Pending calls are answered {"code":2} through rcimOnReply before this returns; those replies
  // are resolved by later jobs. No callback for `engine` runs after it returns.
  rcim_engine_destroy(handle);
  std::shared_ptr<jsi::Function> listener;
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    listener.swap(engine->listener);
  }
  return jsi::Value::undefined();
}

// {"eventQueueLimit": N, "eventQueueByteLimit": B, "engines": {"<handle>": {"queued",
// "queuedBytes", "maxQueued", "full"}}} for the engines this runtime owns: events (and their
// bytes) waiting for the JS thread now, the most there ever were, and how many
// offers were answered "full". Read-only, for tests and diagnostics.
jsi::Value debugStats(jsi::Runtime &rt, const std::weak_ptr<RuntimeState> &weak, const jsi::Value *,
                      size_t) {
  auto state = lockAlive(rt, weak);
  std::string json = "{\"eventQueueLimit\":" + std::to_string(kMaxQueuedEvents) +
                     ",\"eventQueueByteLimit\":" + std::to_string(kMaxQueuedEventBytes) +
                     ",\"engines\":{";
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    bool first = true;
    for (const auto &entry : state->engines) {
      const EngineContext &engine = *entry.second;
      if (!first) json += ',';
      first = false;
      json += "\"" + std::to_string(entry.first) +
              "\":{\"queued\":" + std::to_string(engine.queuedEvents.load()) +
              ",\"queuedBytes\":" + std::to_string(engine.queuedBytes.load()) +
              ",\"maxQueued\":" + std::to_string(engine.maxQueuedEvents.load()) +
              ",\"full\":" + std::to_string(engine.fullOffers.load()) + "}";
    }
  }
  json += "}}";
  return utf8(rt, json);
}

using Member = jsi::Value (*)(jsi::Runtime &, const std::weak_ptr<RuntimeState> &,
                              const jsi::Value *, size_t);

struct MemberInfo {
  const char *name;
  unsigned int argc;
  Member fn;
};

constexpr MemberInfo kMembers[] = {
    {kCreateEngine, 1, &createEngine},
    {kCall, 3, &call},
    {kSetEventListener, 2, &setEventListener},
    {kDestroyEngine, 1, &destroyEngine},
    {kDebugStats, 0, &debugStats},
};

}  // namespace

RCIMBridgeHostObject::RCIMBridgeHostObject(std::shared_ptr<JSScheduler> scheduler,
                                           std::string defaultDataDir)
    : state_(std::make_shared<RuntimeState>(std::move(scheduler), std::move(defaultDataDir))) {}

RCIMBridgeHostObject::~RCIMBridgeHostObject() {
  teardown();
}

void RCIMBridgeHostObject::teardown() {
  state_->teardown();
}

jsi::Value RCIMBridgeHostObject::get(jsi::Runtime &rt, const jsi::PropNameID &propName) {
  std::string name = propName.utf8(rt);
  if (name == kDataDir) {
    if (state_->dataDir.empty()) return jsi::Value::undefined();
    return utf8(rt, state_->dataDir);
  }
  for (const MemberInfo &member : kMembers) {
    if (name != member.name) continue;
    return guarded(rt, member.name, [&]() -> jsi::Value {
      auto state = lockAlive(rt, state_);
      {
        std::lock_guard<std::mutex> lock(state->mutex);
        auto it = state->members.find(name);
        if (it != state->members.end()) return jsi::Value(rt, it->second);
      }
      std::weak_ptr<RuntimeState> weak = state_;
      Member fn = member.fn;
      const char *memberName = member.name;
      jsi::Function function = jsi::Function::createFromHostFunction(
          rt, jsi::PropNameID::forAscii(rt, member.name), member.argc,
          [weak, fn, memberName](jsi::Runtime &rt, const jsi::Value &, const jsi::Value *args,
                                 size_t count) {
            return guarded(rt, memberName, [&] { return fn(rt, weak, args, count); });
          });
      jsi::Value result(rt, function);
      std::lock_guard<std::mutex> lock(state->mutex);
      state->members.emplace(name, std::move(function));
      return result;
    });
  }
  return jsi::Value::undefined();
}

void RCIMBridgeHostObject::set(jsi::Runtime &rt, const jsi::PropNameID &name, const jsi::Value &) {
  throw jsi::JSError(rt, "__rcimBridge is read-only (tried to set " + name.utf8(rt) + ")");
}

std::vector<jsi::PropNameID> RCIMBridgeHostObject::getPropertyNames(jsi::Runtime &rt) {
  std::vector<jsi::PropNameID> names;
  for (const MemberInfo &member : kMembers) {
    names.push_back(jsi::PropNameID::forAscii(rt, member.name));
  }
  names.push_back(jsi::PropNameID::forAscii(rt, kDataDir));
  return names;
}

bool install(jsi::Runtime &rt, std::shared_ptr<JSScheduler> scheduler, std::string defaultDataDir) {
  jsi::Object global = rt.global();
  jsi::Value existing = global.getProperty(rt, kBridgeGlobalName);
  if (existing.isObject() && existing.getObject(rt).isHostObject<RCIMBridgeHostObject>(rt)) {
    return false;
  }
  auto host =
      std::make_shared<RCIMBridgeHostObject>(std::move(scheduler), std::move(defaultDataDir));
  global.setProperty(rt, kBridgeGlobalName, jsi::Object::createFromHostObject(rt, host));
  return true;
}

}  // namespace rcim
