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
  'Rebuild the app after installing the package (pod install on iOS), use the New ' +
  'Architecture, and a development build rather than Expo Go.';

interface InstallableModule {
  install(): unknown;
}

// `require` is provided by Metro, Jest and esbuild's CommonJS shim; it is declared here so
// the library does not depend on Node's type definitions.
declare const require: (id: string) => unknown;

// Jest gives every module it loads a `jest` object; elsewhere it is undeclared.
declare const jest: { requireActual?: (id: string) => unknown } | undefined;
declare const process: { env?: { [name: string]: string | undefined } } | undefined;

/**
 * The RCIM native module (codegen spec `specs/NativeRCIM.ts`), or the reason it is missing.
 * Evaluated only when the host object is missing, i.e. inside a React Native app or a test.
 */
function nativeModule(): { module: InstallableModule } | { error: unknown } {
  try {
    const spec = require('./specs/NativeRCIM') as { default?: InstallableModule };
    const module = spec.default;
    if (module && typeof module.install === 'function') return { module };
    return { error: new Error('the RCIM native module has no install()') };
  } catch (error) {
    return { error };
  }
}

/**
 * Under Jest, with no native module, the package's in-memory fake bridge (the one
 * `react-native-rcim/jest` drives), as react-native-mmkv switches to its mock by itself. It is
 * loaded through `jest.requireActual`, which Metro does not follow: app bundles never contain
 * the mock.
 */
function installJestFake(): boolean {
  if (typeof jest === 'undefined' || typeof jest?.requireActual !== 'function') return false;
  // RCIM_JEST_MOCK=0 turns it off (a test of the linking error, or of a bridge of one's own).
  if (typeof process !== 'undefined' && process.env?.RCIM_JEST_MOCK === '0') return false;
  const { createFakeBridge } = jest.requireActual('react-native-rcim/jest/mock') as {
    createFakeBridge: () => RCIMBridge;
  };
  globalThis.__rcimBridge = createFakeBridge();
  return true;
}

/** Returns the host object, installing it through the native module on first use. */
export function getBridge(): RCIMBridge {
  let bridge = globalThis.__rcimBridge;
  if (bridge) return bridge;
  const found = nativeModule();
  if ('module' in found) found.module.install();
  bridge = globalThis.__rcimBridge;
  if (bridge) return bridge;
  if ('error' in found && installJestFake() && globalThis.__rcimBridge) {
    return globalThis.__rcimBridge;
  }
  const reason =
    'error' in found ? ` (${String((found.error as Error)?.message ?? found.error)})` : '';
  throw new Error(LINKING_ERROR + reason);
}
