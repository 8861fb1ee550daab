// Installs `global.__rcimBridge` with the runtime and JS CallInvoker React Native gives us.
//
// New Architecture (bridgeless or not): RCIM is a TurboModule implementing the codegen spec
// (NativeRCIMSpec / NativeRCIMSpecJSI, from src/specs/NativeRCIM.ts); the `install` entry of its
// method map is replaced by a C++ host function, which runs on the JS thread with the
// jsi::Runtime and captures `params.jsInvoker` (the pattern uniffi-bindgen-react-native uses).
// Old Architecture (RN < 0.82 with newArchEnabled=false): a blocking synchronous method reads the
// runtime and CallInvoker from RCTCxxBridge. Installing also lends the engine the platform's video
// thumbnailer (rcim_set_video_thumbnailer). While the module lives it tells the engines the
// network and app state (rcim_platform_event): an NWPathMonitor and the UIApplication
// foreground/background notifications.
#import "RCIM.h"

#import <AVFoundation/AVFoundation.h>
#import <Foundation/Foundation.h>
#import <Network/Network.h>
#import <React/RCTInvalidating.h>
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

// rcim_platform_event kinds and values (cpp/rcim_bridge.h).
static const uint32_t RCIMPlatformNetwork = 1;
static const uint32_t RCIMPlatformAppState = 2;
static const int32_t RCIMNetworkNone = 0;
static const int32_t RCIMNetworkAvailable = 1;
static const int32_t RCIMNetworkChanged = 2;

// The interface a path prefers (the first of its interfaces, the one new connections use), as its
// index, or 0 for none: a different one while connected is a network change (e.g. Wi-Fi ->
// cellular), after which the engines reconnect at once. A second interface becoming available
// behind the preferred one (cellular while on Wi-Fi) is no change.
static uint32_t RCIMPathPreferredInterface(nw_path_t path) {
  __block uint32_t index = 0;
  nw_path_enumerate_interfaces(path, ^bool(nw_interface_t interface) {
    index = nw_interface_get_index(interface);
    return false;
  });
  return index;
}

namespace {

#ifdef RCT_NEW_ARCH_ENABLED
// The codegen class (RCIMSpec.h): its method map calls -install, which has no runtime.
using RCIMTurboModuleBase = react::NativeRCIMSpecJSI;
#else
using RCIMTurboModuleBase = react::ObjCTurboModule;
#endif

class RCIMTurboModule final : public RCIMTurboModuleBase {
 public:
  explicit RCIMTurboModule(const react::ObjCTurboModule::InitParams &params)
      : RCIMTurboModuleBase(params) {
    // Replaces the spec's entry: the host function gets the jsi::Runtime it installs into.
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

@interface RCIM () <RCTTurboModule, RCTInvalidating>
@end

@implementation RCIM {
  // The path monitor and what it last reported; the three ivars below only on _pathQueue.
  nw_path_monitor_t _pathMonitor;
  dispatch_queue_t _pathQueue;
  BOOL _hasPath;
  BOOL _pathUnsatisfied;
  uint32_t _pathInterface;
  NSArray<id<NSObject>> *_appStateObservers;
}

RCT_EXPORT_MODULE(RCIM)

@synthesize bridge = _bridge;

+ (BOOL)requiresMainQueueSetup {
  return NO;
}

- (instancetype)init {
  if ((self = [super init])) {
    [self startPlatformMonitor];
  }
  return self;
}

- (void)invalidate {
  [self stopPlatformMonitor];
}

- (void)dealloc {
  [self stopPlatformMonitor];
}

// Without network the engines stop trying to reconnect; a network that returns or changes, or
// the app coming to the foreground, makes them reconnect at once instead of waiting out their
// back-off.
- (void)startPlatformMonitor {
  if (_pathMonitor != nil) return;
  _pathQueue = dispatch_queue_create("rcim.network", DISPATCH_QUEUE_SERIAL);
  _pathMonitor = nw_path_monitor_create();
  nw_path_monitor_set_queue(_pathMonitor, _pathQueue);
  __weak RCIM *weakSelf = self;
  nw_path_monitor_set_update_handler(_pathMonitor, ^(nw_path_t path) {
    [weakSelf pathUpdated:path];
  });
  nw_path_monitor_start(_pathMonitor);

  NSNotificationCenter *center = [NSNotificationCenter defaultCenter];
  _appStateObservers = @[
    [center addObserverForName:UIApplicationWillEnterForegroundNotification
                        object:nil
                         queue:nil
                    usingBlock:^(NSNotification *) {
                      rcim_platform_event(RCIMPlatformAppState, 1);
                    }],
    [center addObserverForName:UIApplicationDidEnterBackgroundNotification
                        object:nil
                         queue:nil
                    usingBlock:^(NSNotification *) {
                      rcim_platform_event(RCIMPlatformAppState, 0);
                    }],
  ];
}

- (void)stopPlatformMonitor {
  if (_pathMonitor != nil) {
    nw_path_monitor_cancel(_pathMonitor);
    _pathMonitor = nil;
  }
  for (id<NSObject> observer in _appStateObservers) {
    [[NSNotificationCenter defaultCenter] removeObserver:observer];
  }
  _appStateObservers = nil;
}

// On _pathQueue, at every change of the path, most of which (a DNS server, expensive or
// constrained, another interface behind the preferred one) are no change of network and are not
// reported. Only "unsatisfied" is no network: a path that is satisfiable (VPN on demand, cellular
// being brought up) gets its route when the engines connect, so it is one to try.
- (void)pathUpdated:(nw_path_t)path {
  nw_path_status_t status = nw_path_get_status(path);
  if (status == nw_path_status_invalid) return;
  BOOL unsatisfied = status == nw_path_status_unsatisfied;
  uint32_t interface = RCIMPathPreferredInterface(path);
  BOOL first = !_hasPath;
  BOOL wasUnsatisfied = _pathUnsatisfied;
  uint32_t previousInterface = _pathInterface;
  _hasPath = YES;
  _pathUnsatisfied = unsatisfied;
  // A path that names no interface says nothing about which one is preferred.
  if (interface != 0) _pathInterface = interface;
  if (unsatisfied) {
    if (first || !wasUnsatisfied) rcim_platform_event(RCIMPlatformNetwork, RCIMNetworkNone);
  } else if (first || wasUnsatisfied) {
    rcim_platform_event(RCIMPlatformNetwork, RCIMNetworkAvailable);
  } else if (interface != previousInterface && interface != 0 && previousInterface != 0) {
    rcim_platform_event(RCIMPlatformNetwork, RCIMNetworkChanged);
  }
}

- (std::shared_ptr<react::TurboModule>)getTurboModule:
    (const react::ObjCTurboModule::InitParams &)params {
  return std::make_shared<RCIMTurboModule>(params);
}

#ifdef RCT_NEW_ARCH_ENABLED
// NativeRCIMSpec's method. Never reached: RCIMTurboModule's method map sends `install` to its
// C++ host function, which needs the runtime this method would not get.
- (NSNumber *)install {
  return @NO;
}
#endif

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
