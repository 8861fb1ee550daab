package com.rcim

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import android.os.Handler
import android.os.Looper
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner

/**
 * Tells the engines what only the platform knows (rcim_platform_event in cpp/rcim_bridge.h):
 * whether there is a usable network, when the default network changes, and when the app comes
 * to the foreground or goes to the background. Without network the engines stop trying to
 * reconnect; a network that returns or changes, or the app coming back, makes them reconnect at
 * once instead of waiting out their back-off.
 *
 * Started when the module is created, stopped when it is invalidated.
 */
internal class RCIMPlatformMonitor(context: Context) {
  private val connectivity =
    context.applicationContext.getSystemService(Context.CONNECTIVITY_SERVICE)
      as ConnectivityManager?
  private val mainHandler = Handler(Looper.getMainLooper())

  // Touched only on the ConnectivityManager's callback thread (one thread for all callbacks).
  private var current: Network? = null
  private var usable = false

  private val networkCallback =
    object : ConnectivityManager.NetworkCallback() {
      // The default network: a new one replaces the old (e.g. Wi-Fi -> cellular) without onLost.
      override fun onAvailable(network: Network) {
        val previous = current
        current = network
        usable = true
        val changed = previous != null && previous != network
        send(KIND_NETWORK, if (changed) NETWORK_CHANGED else NETWORK_AVAILABLE)
      }

      override fun onLost(network: Network) {
        if (network != current) return
        current = null
        usable = false
        send(KIND_NETWORK, NETWORK_NONE)
      }

      // A captive portal or a network without Internet access counts as none until validated.
      override fun onCapabilitiesChanged(network: Network, capabilities: NetworkCapabilities) {
        if (network != current) return
        val nowUsable =
          capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET) &&
            capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_VALIDATED)
        if (nowUsable == usable) return
        usable = nowUsable
        send(KIND_NETWORK, if (nowUsable) NETWORK_AVAILABLE else NETWORK_NONE)
      }
    }

  private val appStateObserver =
    object : DefaultLifecycleObserver {
      // The process-wide lifecycle: the first activity started / the last one stopped (with
      // the platform's delay for configuration changes), not every activity switch.
      override fun onStart(owner: LifecycleOwner) = send(KIND_APP_STATE, APP_FOREGROUND)

      override fun onStop(owner: LifecycleOwner) = send(KIND_APP_STATE, APP_BACKGROUND)
    }

  private var started = false

  fun start() {
    if (started) return
    started = true
    connectivity?.let { cm ->
      // An app that starts offline learns it now; with a network, onAvailable follows.
      if (cm.activeNetwork == null) send(KIND_NETWORK, NETWORK_NONE)
      try {
        cm.registerDefaultNetworkCallback(networkCallback)
      } catch (e: RuntimeException) {
        // Too many callbacks registered in the process (or no permission): the engines then
        // rely on their own reconnect schedule.
      }
    }
    // ProcessLifecycleOwner must be observed on the main thread.
    mainHandler.post { ProcessLifecycleOwner.get().lifecycle.addObserver(appStateObserver) }
  }

  fun stop() {
    if (!started) return
    started = false
    try {
      connectivity?.unregisterNetworkCallback(networkCallback)
    } catch (e: IllegalArgumentException) {
      // Never registered (registration failed above).
    }
    mainHandler.post { ProcessLifecycleOwner.get().lifecycle.removeObserver(appStateObserver) }
  }

  private fun send(kind: Int, value: Int) {
    RCIMModule.nativePlatformEvent(kind, value)
  }

  private companion object {
    const val KIND_NETWORK = 1
    const val KIND_APP_STATE = 2
    const val NETWORK_NONE = 0
    const val NETWORK_AVAILABLE = 1
    const val NETWORK_CHANGED = 2
    const val APP_BACKGROUND = 0
    const val APP_FOREGROUND = 1
  }
}
