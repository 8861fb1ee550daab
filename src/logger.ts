/**
 * JS-side logger, as exported by the official wrapper (`logger.enable` is false by
 * default). Errors thrown by app listeners/callbacks are always reported.
 */
// Every JS runtime has a console; declared here so the library needs no DOM/Node typings.
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};

export const logger = {
  enable: false,
  log(...args: unknown[]): void {
    if (logger.enable) console.log('[RCIM]', ...args);
  },
  warn(...args: unknown[]): void {
    if (logger.enable) console.warn('[RCIM]', ...args);
  },
  error(...args: unknown[]): void {
    console.error('[RCIM]', ...args);
  },
};
