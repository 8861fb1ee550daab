package com.rcim

import android.graphics.Bitmap
import android.media.MediaMetadataRetriever
import com.facebook.react.bridge.ReactApplicationContext
import com.facebook.react.bridge.ReactContextBaseJavaModule
import com.facebook.react.bridge.ReactMethod
import com.facebook.react.common.annotations.FrameworkAPI
import com.facebook.react.module.annotations.ReactModule
import com.facebook.react.turbomodule.core.CallInvokerHolderImpl
import java.io.ByteArrayOutputStream
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

    /**
     * The first frame of the video at [path] as a JPEG whose longest edge is at most [maxEdge]
     * px, of JPEG [quality]; null when the platform cannot read it. The engine calls this from
     * a worker thread (cpp-adapter.cpp) for short-video messages sent without a thumbnail.
     */
    @JvmStatic
    fun videoThumbnail(path: String, maxEdge: Int, quality: Int): ByteArray? {
      val retriever = MediaMetadataRetriever()
      return try {
        retriever.setDataSource(path.removePrefix("file://"))
        val frame =
          retriever.getFrameAtTime(0, MediaMetadataRetriever.OPTION_CLOSEST_SYNC) ?: return null
        val longest = maxOf(frame.width, frame.height)
        val scaled =
          if (longest > maxEdge && maxEdge > 0) {
            val scale = maxEdge.toFloat() / longest
            Bitmap.createScaledBitmap(
              frame,
              (frame.width * scale).toInt().coerceAtLeast(1),
              (frame.height * scale).toInt().coerceAtLeast(1),
              true,
            )
          } else {
            frame
          }
        ByteArrayOutputStream().use { out ->
          scaled.compress(Bitmap.CompressFormat.JPEG, quality.coerceIn(1, 100), out)
          out.toByteArray()
        }
      } catch (e: Exception) {
        null
      } finally {
        retriever.release()
      }
    }

    init {
      System.loadLibrary("rcim")
    }
  }
}
