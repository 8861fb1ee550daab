// Installs `global.__rcimBridge` with the runtime and JS CallInvoker React Native gives us.
//
// New Architecture (bridgeless or not): RCIM is a TurboModule whose `install` entry of the method
// map is replaced by a C++ host function, which runs on the JS thread with the jsi::Runtime and
// captures `params.jsInvoker` (the pattern uniffi-bindgen-react-native uses; works 0.74-0.88).
// Old Architecture (RN < 0.82 with newArchEnabled=false): a blocking synchronous method reads the
// runtime and CallInvoker from RCTCxxBridge.
#import "RCIM.h"

#import <Foundation/Foundation.h>
#import <ReactCommon/RCTTurboModule.h>
#include <jsi/jsi.h>

#include <memory>
#include <string>

#include "RCIMInstallCallInvoker.h"

#if !defined(RCT_NEW_ARCH_ENABLED) && __has_include(<React/RCTBridge+Private.h>)
#import <React/RCTBridge+Private.h>
#define RCIM_OLD_ARCH_INSTALL 1
#endif

using namespace facebook;

// Application Support/rcim (created, excluded from iCloud backup): the engines' data directory.
static std::string RCIMDefaultDataDir(void) {
  NSFileManager *fm = [NSFileManager defaultManager];
  NSURL *support =
      [fm URLsForDirectory:NSApplicationSupportDirectory inDomains:NSUserDomainMask].firstObject;
  if (support == nil) return {};
  NSURL *dir = [support URLByAppendingPathComponent:@"rcim" isDirectory:YES];
  [fm createDirectoryAtURL:dir withIntermediateDirectories:YES attributes:nil error:nil];
  [dir setResourceValue:@YES forKey:NSURLIsExcludedFromBackupKey error:nil];
  return std::string(dir.path.UTF8String ?: "");
}

namespace {

class RCIMTurboModule final : public react::ObjCTurboModule {
 public:
  explicit RCIMTurboModule(const react::ObjCTurboModule::InitParams &params)
      : react::ObjCTurboModule(params) {
    methodMap_["install"] = MethodMetadata{0, &RCIMTurboModule::installHostFunction};
  }

 private:
  static jsi::Value installHostFunction(jsi::Runtime &rt, react::TurboModule &module,
                                        const jsi::Value *, size_t) {
    auto &self = static_cast<RCIMTurboModule &>(module);
    return jsi::Value(rcim::install(rt, self.jsInvoker_, RCIMDefaultDataDir()));
  }
};

}  // namespace

@interface RCIM () <RCTTurboModule>
@end

@implementation RCIM

RCT_EXPORT_MODULE(RCIM)

@synthesize bridge = _bridge;

+ (BOOL)requiresMainQueueSetup {
  return NO;
}

- (std::shared_ptr<react::TurboModule>)getTurboModule:
    (const react::ObjCTurboModule::InitParams &)params {
  return std::make_shared<RCIMTurboModule>(params);
}

#ifdef RCIM_OLD_ARCH_INSTALL
RCT_EXPORT_BLOCKING_SYNCHRONOUS_METHOD(install) {
  RCTCxxBridge *cxxBridge = (RCTCxxBridge *)self.bridge;
  if (cxxBridge == nil || cxxBridge.runtime == nullptr) return @NO;
  auto &rt = *static_cast<jsi::Runtime *>(cxxBridge.runtime);
  return @(rcim::install(rt, cxxBridge.jsCallInvoker, RCIMDefaultDataDir()));
}
#endif

@end
