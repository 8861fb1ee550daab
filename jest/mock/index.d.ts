import type { RCIMBridge } from 'react-native-rcim';

/** A new in-memory fake of the native bridge (`global.__rcimBridge`); `.__rcimMock` drives it. */
export declare function createFakeBridge(): RCIMBridge;
/** Names of the bridge methods the fake implements. */
export declare function methodNames(): string[];
