package com.rcim

import com.facebook.react.bridge.ReactApplicationContext
import com.facebook.react.bridge.ReactContextBaseJavaModule
import com.facebook.react.bridge.ReactMethod
import com.facebook.react.common.annotations.FrameworkAPI
import com.facebook.react.module.annotations.ReactModule
import com.facebook.react.turbomodule.core.CallInvokerHolderImpl
import java.io.File

/**
 * Installs the JSI host object `global.__rcimBridge` (cpp/RCIMBridgeHostObject.h).
 *
 * The TypeScript layer calls `install()` once, when `global.__rcimBridge` is missing. It is a
 * blocking synchronous method, so it runs on the JS thread, where the runtime may be touched.
 */
@OptIn(FrameworkAPI::class) // CallInvokerHolderImpl
@ReactModule(name = RCIMModule.NAME)
class RCIMModule(reactContext: ReactApplicationContext) :
  ReactContextBaseJavaModule(reactContext) {

  override fun getName(): String = NAME

  @ReactMethod(isBlockingSynchronousMethod = true)
  fun install(): Boolean {
    val context = reactApplicationContext
    val runtime = context.javaScriptContextHolder?.get() ?: 0L
    if (runtime == 0L) return false
    val callInvokerHolder = context.jsCallInvokerHolder as? CallInvokerHolderImpl ?: return false
    val dataDir = File(context.filesDir, "rcim").apply { mkdirs() }.absolutePath
    return nativeInstall(runtime, callInvokerHolder, dataDir)
  }

  private external fun nativeInstall(
    runtime: Long,
    callInvokerHolder: CallInvokerHolderImpl,
    dataDir: String,
  ): Boolean

  companion object {
    const val NAME = "RCIM"

    init {
      System.loadLibrary("rcim")
    }
  }
}
