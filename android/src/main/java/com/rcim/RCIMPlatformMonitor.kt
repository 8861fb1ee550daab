package com.rcim

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
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

  // The default network last reported; touched only on the ConnectivityManager's callback
  // thread (one thread for all callbacks).
  private var current: Network? = null

  // Only the default network's existence matters, not whether Android validated it: a
  // self-hosted server on an intranet without Internet, or a country where Android's
  // connectivity check is blocked, never gets NET_CAPABILITY_VALIDATED, and waiting for it would
  // keep the engines offline for good. The default request already requires
  // NET_CAPABILITY_INTERNET and not validation, so every network it reports is one to try, and
  // validation coming or going later (a captive portal signed in) is no change of network: it is
  // not reported, so a fresh connection is not closed for it.
  private val networkCallback =
    object : ConnectivityManager.NetworkCallback() {
      // A new default network replaces the old one (e.g. Wi-Fi -> cellular) without onLost
      // for the old: one "changed", so the engines reconnect over the new network once.
      override fun onAvailable(network: Network) {
        val previous = current
        if (previous == network) return
        current = network
        send(KIND_NETWORK, if (previous == null) NETWORK_AVAILABLE else NETWORK_CHANGED)
      }

      // Called for the default network only when nothing replaces it: no network at all. A
      // late onLost for a network already replaced is ignored.
      override fun onLost(network: Network) {
        if (network != current) return
        current = null
        send(KIND_NETWORK, NETWORK_NONE)
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
