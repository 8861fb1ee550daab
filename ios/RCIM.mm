// Installs `global.__rcimBridge` with the runtime and JS CallInvoker React Native gives us.
//
// New Architecture (bridgeless or not): RCIM is a TurboModule whose `install` entry of the method
// map is replaced by a C++ host function, which runs on the JS thread with the jsi::Runtime and
// captures `params.jsInvoker` (the pattern uniffi-bindgen-react-native uses; works 0.74-0.88).
// Old Architecture (RN < 0.82 with newArchEnabled=false): a blocking synchronous method reads the
// runtime and CallInvoker from RCTCxxBridge. Installing also lends the engine the platform's video
// thumbnailer (rcim_set_video_thumbnailer).
#import "RCIM.h"

#import <AVFoundation/AVFoundation.h>
#import <Foundation/Foundation.h>
#import <ReactCommon/RCTTurboModule.h>
#import <UIKit/UIKit.h>
#include <jsi/jsi.h>

#include <memory>
#include <string>

#include "RCIMInstallCallInvoker.h"
#include "rcim_bridge.h"

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

// rcim_video_thumbnail_fn: the first frame of a short video as a JPEG (AVAssetImageGenerator).
// Runs on an engine worker thread; any failure is "no thumbnail".
static size_t RCIMVideoThumbnail(const char *path, size_t pathLen, uint32_t maxEdge,
                                 uint32_t quality, uint8_t *out, size_t outCap) {
  // No Objective-C exception may unwind into the Rust caller.
  @try {
    @autoreleasepool {
      NSString *text = [[NSString alloc] initWithBytes:path
                                                length:pathLen
                                              encoding:NSUTF8StringEncoding];
      if (text == nil) return 0;
      NSURL *url =
          [text hasPrefix:@"file://"] ? [NSURL URLWithString:text] : [NSURL fileURLWithPath:text];
      if (url == nil) return 0;
      AVAssetImageGenerator *generator = [AVAssetImageGenerator
          assetImageGeneratorWithAsset:[AVURLAsset URLAssetWithURL:url options:nil]];
      generator.appliesPreferredTrackTransform = YES;
      generator.maximumSize = CGSizeMake(maxEdge, maxEdge);
      CGImageRef frame = [generator copyCGImageAtTime:kCMTimeZero actualTime:NULL error:NULL];
      if (frame == NULL) return 0;
      NSData *jpeg = UIImageJPEGRepresentation([UIImage imageWithCGImage:frame], quality / 100.0);
      CGImageRelease(frame);
      if (jpeg == nil || jpeg.length == 0 || jpeg.length > outCap) return 0;
      memcpy(out, jpeg.bytes, jpeg.length);
      return jpeg.length;
    }
  } @catch (NSException *) {
    return 0;
  }
}

static void RCIMLendVideoThumbnailer(void) {
  static dispatch_once_t once;
  dispatch_once(&once, ^{
    rcim_set_video_thumbnailer(&RCIMVideoThumbnail);
  });
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
    RCIMLendVideoThumbnailer();
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
  RCIMLendVideoThumbnailer();
  return @(rcim::install(rt, cxxBridge.jsCallInvoker, RCIMDefaultDataDir()));
}
#endif

@end
