package com.rcim

import android.graphics.Bitmap
import android.media.MediaMetadataRetriever
import android.os.Build
import com.facebook.react.bridge.ReactApplicationContext
import com.facebook.react.common.annotations.FrameworkAPI
import com.facebook.react.module.annotations.ReactModule
import com.facebook.react.turbomodule.core.CallInvokerHolderImpl
import java.io.ByteArrayOutputStream
import java.io.File

/**
 * Installs the JSI host object `global.__rcimBridge` (cpp/RCIMBridgeHostObject.h), and feeds the
 * engines the network and app state (RCIMPlatformMonitor) while the module lives.
 *
 * It implements NativeRCIMSpec, which React Native's codegen generates from the TypeScript spec
 * src/specs/NativeRCIM.ts (package.json `codegenConfig`): a TurboModule on the New Architecture.
 * The TypeScript layer calls `install()` once, when `global.__rcimBridge` is missing. It is a
 * blocking synchronous method (the spec's annotation), so it runs on the JS thread, where the
 * runtime may be touched.
 */
@OptIn(FrameworkAPI::class) // CallInvokerHolderImpl
@ReactModule(name = RCIMModule.NAME)
class RCIMModule(reactContext: ReactApplicationContext) : NativeRCIMSpec(reactContext) {

  // Network and app state for the engines, for as long as the module lives.
  private val platformMonitor = RCIMPlatformMonitor(reactContext).also { it.start() }

  override fun getName(): String = NAME

  override fun invalidate() {
    platformMonitor.stop()
    super.invalidate()
  }

  override fun install(): Boolean {
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
    const val NAME = "RCIM" // NativeRCIMSpec.NAME, the name in src/specs/NativeRCIM.ts

    init {
      // librcim.so (android/CMakeLists.txt): the host object, the bridge, the JNI natives.
      System.loadLibrary("rcim")
    }

    /** rcim_platform_event (cpp/rcim_bridge.h): reaches every live engine; any thread. */
    @JvmStatic external fun nativePlatformEvent(kind: Int, value: Int)

    /**
     * The first frame of the video at [path] as a JPEG whose longest edge is at most [maxEdge]
     * px, of JPEG [quality]; null when the platform cannot read it. The engine calls this from
     * a worker thread (cpp-adapter.cpp) for short-video messages sent without a thumbnail.
     */
    @JvmStatic
    fun videoThumbnail(path: String, maxEdge: Int, quality: Int): ByteArray? {
      val retriever = MediaMetadataRetriever()
      var frame: Bitmap? = null
      return try {
        retriever.setDataSource(path.removePrefix("file://"))
        val first = firstFrame(retriever, maxEdge) ?: return null
        frame = first
        ByteArrayOutputStream().use { out ->
          first.compress(Bitmap.CompressFormat.JPEG, quality.coerceIn(1, 100), out)
          out.toByteArray()
        }
      } catch (e: Throwable) {
        // Including OutOfMemoryError: a missing thumbnail is better than a crash.
        null
      } finally {
        frame?.recycle()
        retriever.release()
      }
    }

    /** The first frame, decoded at most [maxEdge] px on its longest edge. */
    private fun firstFrame(retriever: MediaMetadataRetriever, maxEdge: Int): Bitmap? {
      val time = 0L
      val option = MediaMetadataRetriever.OPTION_CLOSEST_SYNC
      if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O_MR1 && maxEdge > 0) {
        // Decoded small: no full-resolution frame in memory.
        return retriever.getScaledFrameAtTime(time, option, maxEdge, maxEdge)
      }
      val full = retriever.getFrameAtTime(time, option) ?: return null
      val longest = maxOf(full.width, full.height)
      if (maxEdge <= 0 || longest <= maxEdge) return full
      val scale = maxEdge.toFloat() / longest
      val scaled =
        Bitmap.createScaledBitmap(
          full,
          (full.width * scale).toInt().coerceAtLeast(1),
          (full.height * scale).toInt().coerceAtLeast(1),
          true,
        )
      if (scaled !== full) full.recycle()
      return scaled
    }
  }
}
