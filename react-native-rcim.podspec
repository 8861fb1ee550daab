require "json"

package = JSON.parse(File.read(File.join(__dir__, "package.json")))

Pod::Spec.new do |s|
  s.name         = "react-native-rcim"
  s.version      = package["version"]
  s.summary      = package["description"]
  s.homepage     = package["homepage"] || "https://github.com/rcim/react-native-rcim"
  s.license      = package["license"] || "MIT"
  s.authors      = package["author"] || "RCIM contributors"
  s.platforms    = { :ios => min_ios_version_supported }
  s.source       = { :git => (package.dig("repository", "url") || "#{s.homepage}.git"), :tag => "#{s.version}" }

  # Platform glue + the JSI host object. cpp/rcim_bridge.h is the C ABI of the Rust bridge.
  s.source_files = "ios/**/*.{h,m,mm}", "cpp/**/*.{h,hpp,cpp}"
  s.private_header_files = "ios/**/*.h", "cpp/**/*.h"

  # The Rust bridge (static library librcim_bridge.a per platform), built by scripts/build-ios.sh.
  s.vendored_frameworks = "ios/RCIMBridge.xcframework"
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

  # Adds React-Core, ReactCommon/turbomodule/core, the JS engine, ... and RCT_NEW_ARCH_ENABLED.
  # Must come after pod_target_xcconfig: it merges into it.
  install_modules_dependencies(s)
end
