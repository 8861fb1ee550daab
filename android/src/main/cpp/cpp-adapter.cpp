// JNI entry of librcim.so: RCIMModule.nativeInstall(runtime, callInvokerHolder, dataDir).
#include <ReactCommon/CallInvokerHolder.h>
#include <fbjni/fbjni.h>
#include <jni.h>
#include <jsi/jsi.h>

#include <string>

#include "RCIMInstallCallInvoker.h"

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

  static void registerNatives() {
    javaClassStatic()->registerNatives({makeNativeMethod("nativeInstall", nativeInstall)});
  }
};

}  // namespace

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *) {
  return facebook::jni::initialize(vm, [] { RCIMModuleJni::registerNatives(); });
}
