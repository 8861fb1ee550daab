// How the TypeScript layer finds the host object: global.__rcimBridge, else the RCIM
// TurboModule's install() (codegen spec src/specs/NativeRCIM.ts), else, under Jest, the
// package's fake bridge, else a readable linking error.
import type * as LibModule from '../src';
import { makeTestBridge } from './helpers';

type Lib = typeof LibModule;

beforeEach(() => {
  jest.resetModules();
  delete (globalThis as { __rcimDefaultEngine?: unknown }).__rcimDefaultEngine;
  delete globalThis.__rcimBridge;
  delete process.env.RCIM_JEST_MOCK;
});

afterAll(() => {
  delete process.env.RCIM_JEST_MOCK;
  delete globalThis.__rcimBridge;
});

test('installs the host object through the RCIM TurboModule when missing', () => {
  const tb = makeTestBridge();
  const install = jest.fn(() => {
    globalThis.__rcimBridge = tb.bridge;
    return true;
  });
  const getEnforcing = jest.fn(() => ({ install }));
  jest.doMock('react-native', () => ({ TurboModuleRegistry: { getEnforcing } }), {
    virtual: true,
  });
  const lib = require('../src') as Lib;
  // Importing the package neither looks the module up nor touches native.
  expect(getEnforcing).not.toHaveBeenCalled();
  expect(install).not.toHaveBeenCalled();
  lib.RCIMIWEngine.create('key');
  expect(getEnforcing).toHaveBeenCalledWith('RCIM');
  expect(install).toHaveBeenCalledTimes(1);
  expect(tb.bridge.createEngine).toHaveBeenCalledTimes(1);
  lib.RCIMIWEngine.createStandalone('key');
  expect(install).toHaveBeenCalledTimes(1);
  expect(globalThis.__rcimBridge).toBe(tb.bridge);
});

/** A react-native whose TurboModuleRegistry has no RCIM module (an app without the native part). */
function mockMissingNativeModule(): void {
  jest.doMock(
    'react-native',
    () => ({
      TurboModuleRegistry: {
        getEnforcing: (name: string) => {
          throw new Error(`'${name}' could not be found`);
        },
      },
    }),
    { virtual: true }
  );
}

test('under Jest, a missing native module means the fake bridge of react-native-rcim/jest', () => {
  mockMissingNativeModule();
  const lib = require('../src') as Lib;
  lib.RCIMIWEngine.create('key');
  expect(
    (globalThis.__rcimBridge as { __rcimMock?: unknown } | undefined)?.__rcimMock
  ).toBeDefined();
});

test('throws a linking error naming the cause when the native module is missing', () => {
  process.env.RCIM_JEST_MOCK = '0'; // the app's view: no Jest fallback
  mockMissingNativeModule();
  const lib = require('../src') as Lib;
  expect(() => lib.RCIMIWEngine.create('key')).toThrow(/isn't linked.*'RCIM' could not be found/);
  expect(globalThis.__rcimBridge).toBeUndefined();
});

test('throws a linking error when install() leaves no host object', () => {
  process.env.RCIM_JEST_MOCK = '0';
  const install = jest.fn(() => false);
  jest.doMock(
    'react-native',
    () => ({ TurboModuleRegistry: { getEnforcing: () => ({ install }) } }),
    {
      virtual: true,
    }
  );
  const lib = require('../src') as Lib;
  expect(() => lib.RCIMIWEngine.create('key')).toThrow(/isn't linked/);
  expect(install).toHaveBeenCalledTimes(1);
});
