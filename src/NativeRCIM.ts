/**
 * Access to the native side: the JSI host object `global.__rcimBridge` (docs/bridge.md).
 *
 * On Android/iOS the platform glue installs the host object synchronously when JS calls
 * the `install()` method of the `RCIM` native module. The Hermes test host and the Jest
 * mock install `global.__rcimBridge` themselves, so `react-native` is only required
 * lazily, when the host object is missing: importing this package never evaluates
 * `react-native`.
 */

/** The JSI host object installed by the C++ layer (see docs/bridge.md). */
export interface RCIMBridge {
  /** Creates an engine from `{"appKey", "options", "dataDir"?}`; returns its handle (0 = invalid config). */
  createEngine(configJson: string): number;
  /** Starts a call; resolves with the reply JSON `{"code": number, "value"?: any}`. */
  call(handle: number, method: string, argsJson: string): Promise<string>;
  /** One event function per engine handle; `undefined` clears it. */
  setEventListener(handle: number, fn?: (eventJson: string) => void): void;
  /** Destroys the engine; afterwards `call` resolves `{"code":2}`. */
  destroyEngine(handle: number): void;
  /**
   * The data directory chosen by the platform glue (Android filesDir, iOS Application
   * Support, rcim-jshost RCIM_DATA_DIR); put into every createEngine config.
   */
  readonly dataDir?: string;
}

declare global {
  var __rcimBridge: RCIMBridge | undefined;
}

const LINKING_ERROR =
  "react-native-rcim: the native module isn't linked (global.__rcimBridge is missing). " +
  'Rebuild the app after installing the package (pod install on iOS), and use the New ' +
  "Architecture. In Jest, add jest.mock('react-native-rcim', () => require('react-native-rcim/jest')).";

interface InstallableModule {
  install?: () => unknown;
}

// `require` is provided by Metro, Jest and esbuild's CommonJS shim; it is declared here so
// the library does not depend on Node's type definitions.
declare const require: (id: string) => unknown;

function installFromReactNative(): void {
  // Evaluated only when the host object is missing, i.e. inside a React Native app.
  if (typeof require !== 'function') return;
  const rn = require('react-native') as {
    TurboModuleRegistry?: { get?: (name: string) => InstallableModule | null };
    NativeModules?: { [name: string]: InstallableModule | undefined };
  };
  const mod: InstallableModule | null | undefined =
    rn.TurboModuleRegistry?.get?.('RCIM') ?? rn.NativeModules?.RCIM;
  if (mod && typeof mod.install === 'function') {
    mod.install();
  }
}

/** Returns the host object, installing it through the native module on first use. */
export function getBridge(): RCIMBridge {
  let bridge = globalThis.__rcimBridge;
  if (bridge) return bridge;
  installFromReactNative();
  bridge = globalThis.__rcimBridge;
  if (!bridge) throw new Error(LINKING_ERROR);
  return bridge;
}
