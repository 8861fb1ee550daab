// The RCIM native module: its synchronous `install()` puts the JSI host object
// `global.__rcimBridge` (cpp/RCIMBridgeHostObject.h) into the JS runtime.
//
// On the New Architecture it implements the codegen spec NativeRCIMSpec (src/specs/NativeRCIM.ts,
// package.json `codegenConfig` RCIMSpec), so it is a TurboModule without the interop layer.
#ifdef RCT_NEW_ARCH_ENABLED
#import <RCIMSpec/RCIMSpec.h>

@interface RCIM : NSObject <NativeRCIMSpec>
@end
#else
#import <React/RCTBridgeModule.h>

@interface RCIM : NSObject <RCTBridgeModule>
@end
#endif
