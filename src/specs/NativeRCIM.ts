/**
 * Codegen spec of the `RCIM` native module (package.json `codegenConfig`, `jsSrcsDir`
 * `src/specs`): React Native's codegen turns it into `NativeRCIMSpec` (Android, Java) and
 * `NativeRCIMSpec` / `NativeRCIMSpecJSI` (iOS), which the platform glue implements, so the
 * module is a real TurboModule on the New Architecture (no interop layer).
 *
 * Its one method, `install()`, runs synchronously on the JS thread and puts the JSI host object
 * `global.__rcimBridge` into the runtime (docs/bridge.md). Evaluating this file looks the module
 * up, so it is only ever required lazily, from `getBridge()` in `../NativeRCIM.ts`, when the
 * host object is missing: importing the package never evaluates `react-native`.
 */
import type { TurboModule } from 'react-native';
import { TurboModuleRegistry } from 'react-native';

export interface Spec extends TurboModule {
  /** Installs `global.__rcimBridge`; false when the runtime or CallInvoker is not available. */
  install(): boolean;
}

export default TurboModuleRegistry.getEnforcing<Spec>('RCIM');
