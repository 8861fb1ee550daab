require "json"

package = JSON.parse(File.read(File.join(__dir__, "package.json")))
repository = package.dig("repository", "url").to_s.sub(/\Agit\+/, "")

# The Rust bridge (static library librcim_bridge.a per platform variant) ships prebuilt in the
# npm package; a git checkout builds it with `npm run build:ios` (scripts/build-ios.sh, macOS).
# Without it the app would only fail later, at link time, on the missing rcim_* symbols.
xcframework = "ios/RCIMBridge.xcframework"
unless File.exist?(File.join(__dir__, xcframework, "Info.plist"))
  raise Pod::Informative, "react-native-rcim: #{xcframework} (the prebuilt Rust bridge) is missing " \
    "in #{__dir__}. The npm package contains it; in a git checkout of react-native-rcim build " \
    "it with `npm run build:ios` (scripts/build-ios.sh; macOS with Xcode and rustup), then run " \
    "`pod install` again."
end

Pod::Spec.new do |s|
  s.name         = "react-native-rcim"
  s.version      = package["version"]
  s.summary      = package["description"]
  s.homepage     = package["homepage"]
  s.license      = package["license"]
  s.authors      = package["author"]
  s.platforms    = { :ios => min_ios_version_supported }
  s.source       = { :git => repository, :tag => "v#{s.version}" }

  # Platform glue + the JSI host object. cpp/rcim_bridge.h is the C ABI of the Rust bridge.
  s.source_files = "ios/**/*.{h,m,mm}", "cpp/**/*.{h,hpp,cpp}"
  s.private_header_files = "ios/**/*.h", "cpp/**/*.h"

  # The Rust bridge, vendored as an xcframework: device (arm64) and simulator (arm64 + x86_64).
  s.vendored_frameworks = xcframework
  # System frameworks the Rust engine's dependencies may link against (networking, TLS, proxies).
  s.frameworks = "Security", "SystemConfiguration", "CoreFoundation",
                 # The video thumbnailer lent to the engine (ios/RCIM.mm).
                 "AVFoundation", "CoreMedia", "UIKit",
                 # The network state the engine is told (NWPathMonitor, ios/RCIM.mm).
                 "Network"

  s.pod_target_xcconfig = {
    "HEADER_SEARCH_PATHS" => "\"$(PODS_TARGET_SRCROOT)/cpp\"",
    "CLANG_CXX_LANGUAGE_STANDARD" => "c++20",
  }

  s.dependency "React-callinvoker"
  s.dependency "React-jsi"

  # Adds React-Core, ReactCommon/turbomodule/core, ReactCodegen (the codegen spec RCIMSpec of
  # package.json's codegenConfig), the JS engine, ... and RCT_NEW_ARCH_ENABLED.
  # Must come after pod_target_xcconfig: it merges into it.
  install_modules_dependencies(s)
end
