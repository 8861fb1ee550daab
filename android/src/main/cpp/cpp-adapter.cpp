// JNI entry of librcim.so: RCIMModule.nativeInstall(runtime, callInvokerHolder, dataDir),
// RCIMModule.nativePlatformEvent(kind, value) (network and app state, from RCIMPlatformMonitor),
// and the video thumbnailer the engine borrows from the platform (RCIMModule.videoThumbnail).
#include <ReactCommon/CallInvokerHolder.h>
#include <fbjni/fbjni.h>
#include <jni.h>
#include <jsi/jsi.h>

#include <cstdint>
#include <string>

#include "RCIMInstallCallInvoker.h"
#include "rcim_bridge.h"

namespace {

using namespace facebook;

struct RCIMModuleJni : jni::JavaClass<RCIMModuleJni> {
  static constexpr auto kJavaDescriptor = "Lcom/rcim/RCIMModule;";

  // Runs on the JS thread (a blocking synchronous native module method). fbjni turns a C++
  // exception into a Java exception, which React Native reports.
  static jboolean nativeInstall(jni::alias_ref<jni::JObject>, jlong runtime,
                                jni::alias_ref<react::CallInvokerHolder::javaobject> holder,
                                jni::alias_ref<jni::JString> dataDir) {
    auto *rt = reinterpret_cast<jsi::Runtime *>(runtime);
    if (rt == nullptr || !holder) return JNI_FALSE;
    std::shared_ptr<react::CallInvoker> invoker = holder->cthis()->getCallInvoker();
    return rcim::install(*rt, std::move(invoker), dataDir ? dataDir->toStdString() : std::string())
               ? JNI_TRUE
               : JNI_FALSE;
  }

  // Static; called from the ConnectivityManager's thread and the main thread. Never blocks.
  static void nativePlatformEvent(jni::alias_ref<jni::JClass>, jint kind, jint value) {
    rcim_platform_event(static_cast<uint32_t>(kind), static_cast<int32_t>(value));
  }

  static void registerNatives() {
    javaClassStatic()->registerNatives({
        makeNativeMethod("nativeInstall", nativeInstall),
        makeNativeMethod("nativePlatformEvent", nativePlatformEvent),
    });
  }

  // rcim_video_thumbnail_fn: runs on an engine worker thread, attached to the JVM for the call.
  // No exception may reach the Rust caller: any failure is "no thumbnail".
  static size_t videoThumbnail(const char *path, size_t pathLen, uint32_t maxEdge, uint32_t quality,
                               uint8_t *out, size_t outCap) noexcept {
    try {
      jni::ThreadScope attached;
      static const auto cls = javaClassStatic();
      static const auto make =
          cls->getStaticMethod<jni::JArrayByte(std::string, jint, jint)>("videoThumbnail");
      auto jpeg = make(cls, std::string(path, pathLen), static_cast<jint>(maxEdge),
                       static_cast<jint>(quality));
      if (!jpeg) return 0;
      size_t len = jpeg->size();
      if (len == 0 || len > outCap) return 0;
      jpeg->getRegion(0, len, reinterpret_cast<jbyte *>(out));
      return len;
    } catch (...) {
      return 0;
    }
  }
};

}  // namespace

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *) {
  return facebook::jni::initialize(vm, [] {
    RCIMModuleJni::registerNatives();
    rcim_set_video_thumbnailer(&RCIMModuleJni::videoThumbnail);
  });
}
