'use strict';
/**
 * Jest mock of react-native-rcim: the real TypeScript API over an in-memory fake native
 * bridge. Under Jest the package installs the fake by itself when no native module is found
 * (src/NativeRCIM.ts), so no setup is needed; the explicit forms still work, in a test file or
 * a setupFiles entry:
 *
 *   jest.mock('react-native-rcim', () => require('react-native-rcim/jest'));
 *
 * (or add 'react-native-rcim/jest/setup' to setupFiles). Then `RCIMIWEngine.create(...)`
 * works without a device, and `require('react-native-rcim/jest').RCIMMock` drives the fake:
 * inject received messages, register tokens, script replies, inspect calls.
 */
const { createFakeBridge } = require('./mock');

let bridge = globalThis.__rcimBridge;
if (!bridge || !bridge.__rcimMock) {
  bridge = createFakeBridge();
  globalThis.__rcimBridge = bridge;
}

function loadImplementation() {
  // Published package: the CommonJS build. Inside the RCIM repository the Jest config maps
  // this path to the TypeScript sources. requireActual: never the mock of the package itself.
  return typeof jest !== 'undefined' && typeof jest.requireActual === 'function'
    ? jest.requireActual('../lib/commonjs/index.js')
    : require('../lib/commonjs/index.js');
}

module.exports = {
  ...loadImplementation(),
  RCIMMock: bridge.__rcimMock,
  createFakeBridge,
};
