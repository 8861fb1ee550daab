/**
 * JS-side logger, shaped as the official wrapper's `logger` (`enable`, `tag`, `log`,
 * `logObject`, `toString`; disabled by default). `warn` and `error` are RCIM additions used
 * by this package: errors thrown by app listeners/callbacks are always reported.
 */
// Every JS runtime has a console; declared here so the library needs no DOM/Node typings.
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};

export class Logger {
  /** Whether `log`, `logObject` and `warn` print anything (false by default). */
  enable = false;
  /** Printed in front of every line, in brackets. */
  readonly tag: string;

  constructor(tag: string) {
    this.tag = tag;
  }

  /** Prints `[tag] <ISO time> ...args` when enabled. */
  log(...args: unknown[]): void {
    if (this.enable) console.log(this.prefix(), ...args);
  }

  /** Prints `str` followed by `obj` as JSON, when enabled. */
  logObject(str: string, obj: unknown): void {
    if (this.enable) this.log(`${str} ${this.toString(obj)}`);
  }

  /** `obj` as JSON text; never throws (a cycle or a BigInt falls back to `String(obj)`). */
  toString(obj?: unknown): string {
    try {
      const json = JSON.stringify(obj);
      if (json !== undefined) return json;
    } catch {
      // fall through
    }
    return String(obj);
  }

  /** A warning, when enabled. */
  warn(...args: unknown[]): void {
    if (this.enable) console.warn(this.prefix(), ...args);
  }

  /** An error: always printed. */
  error(...args: unknown[]): void {
    console.error(this.prefix(), ...args);
  }

  private prefix(): string {
    return `[${this.tag}] ${new Date().toISOString()}`;
  }
}

export const logger = new Logger('RCIM');
