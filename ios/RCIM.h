// The RCIM native module: its synchronous `install()` puts the JSI host object
// `global.__rcimBridge` (cpp/RCIMBridgeHostObject.h) into the JS runtime.
#import <React/RCTBridgeModule.h>

@interface RCIM : NSObject <RCTBridgeModule>
@end
