/**
 * Helpers of the tests of per-user settings, blacklist, receipts and moderation: event
 * recorders for listener slots, and the check that an argument error was refused.
 */
import { RCIMIWErrorCode } from 'react-native-rcim';
import { assert, waitFor } from './support';

/** The codes a refused argument may end with: refused by the engine (1) or the server (33003). */
export const PARAM_ERROR_CODES: readonly number[] = [RCIMIWErrorCode.PARAM_ERROR, 33003];

/** Asserts that `code` is an argument refusal (see PARAM_ERROR_CODES). */
export function assertParamError(code: number, what: string): void {
  assert(PARAM_ERROR_CODES.includes(code), `${what}: expected a parameter error, got ${code}`);
}

/**
 * Records the calls of one listener: `fn` is the listener to set, `calls` what it got (its
 * arguments, Maps turned into sorted [key, value] pairs), `next(what, pred)` waits for a call
 * after the ones already taken and returns it.
 */
export function recorder(name: string) {
  const calls: unknown[][] = [];
  let taken = 0;
  const plain = (v: unknown): unknown =>
    v instanceof Map
      ? [...v.entries()].sort((x, y) => String(x[0]).localeCompare(String(y[0])))
      : v;
  return {
    calls,
    fn: (...args: unknown[]) => {
      calls.push(args.map(plain));
    },
    /** Waits for the next call (matching `pred`, if given) and returns its arguments. */
    async next(what = name, pred: (args: unknown[]) => boolean = () => true, timeoutMs = 15000) {
      const found = await waitFor(
        `${name}: ${what}`,
        () => {
          for (let i = taken; i < calls.length; i++) {
            if (pred(calls[i])) {
              taken = i + 1;
              return { args: calls[i] };
            }
          }
          return undefined;
        },
        timeoutMs
      );
      return found.args;
    },
  };
}
