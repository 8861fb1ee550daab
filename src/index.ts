export { RCIMIWEngine } from './RCIMEngine';
export { logger } from './logger';
export * from './RCIMDefines';
export type { RCIMBridge } from './NativeRCIM';
