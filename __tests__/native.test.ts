// How the TypeScript layer finds the host object: global.__rcimBridge, else the RCIM native
// module's install(), else a readable linking error.
import type * as LibModule from '../src';
import { makeTestBridge } from './helpers';

type Lib = typeof LibModule;

beforeEach(() => {
  jest.resetModules();
  delete (globalThis as { __rcimDefaultEngine?: unknown }).__rcimDefaultEngine;
  delete globalThis.__rcimBridge;
});

test('installs the host object through NativeModules.RCIM.install() when missing', () => {
  const tb = makeTestBridge();
  const install = jest.fn(() => {
    globalThis.__rcimBridge = tb.bridge;
    return true;
  });
  jest.doMock('react-native', () => ({ NativeModules: { RCIM: { install } } }), { virtual: true });
  const lib = require('../src') as Lib;
  expect(install).not.toHaveBeenCalled(); // importing the package does not touch native
  lib.RCIMIWEngine.create('key');
  expect(install).toHaveBeenCalledTimes(1);
  expect(tb.bridge.createEngine).toHaveBeenCalledTimes(1);
  lib.RCIMIWEngine.createStandalone('key');
  expect(install).toHaveBeenCalledTimes(1);
});

test('prefers the TurboModule registry', () => {
  const tb = makeTestBridge();
  const install = jest.fn(() => {
    globalThis.__rcimBridge = tb.bridge;
  });
  const legacy = jest.fn();
  jest.doMock(
    'react-native',
    () => ({
      TurboModuleRegistry: { get: (name: string) => (name === 'RCIM' ? { install } : null) },
      NativeModules: { RCIM: { install: legacy } },
    }),
    { virtual: true }
  );
  const lib = require('../src') as Lib;
  lib.RCIMIWEngine.create('key');
  expect(install).toHaveBeenCalledTimes(1);
  expect(legacy).not.toHaveBeenCalled();
});

test('throws a linking error when the native module is missing', () => {
  jest.doMock('react-native', () => ({ NativeModules: {} }), { virtual: true });
  const lib = require('../src') as Lib;
  expect(() => lib.RCIMIWEngine.create('key')).toThrow(/isn't linked/);
});
