/**
 * The engine's methods resolve a status code at once (0 = accepted) and report their result
 * later through the per-call callback object. These helpers turn that pair into one Promise
 * for the hooks.
 */

/** A refused call or a failed result, with the engine's code. */
export class RCIMError extends Error {
  constructor(
    readonly operation: string,
    readonly code: number
  ) {
    super(`${operation} failed with code ${code}`);
    this.name = 'RCIMError';
  }
}

interface ValueCallback<T> {
  onSuccess: (value: T) => void;
  onError: (code: number) => void;
}

/**
 * For the `get*` methods: `query('getBlacklist', (cb) => engine.getBlacklist(cb))` resolves
 * the value given to `onSuccess`.
 */
export function query<T>(
  operation: string,
  start: (callback: ValueCallback<T>) => Promise<number>
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (code: number) => reject(new RCIMError(operation, code));
    start({ onSuccess: resolve, onError: fail }).then((status) => {
      if (status !== 0) fail(status);
    }, reject);
  });
}

/**
 * For the methods whose callback reports a code: `perform('addToBlacklist', (done) =>
 * engine.addToBlacklist(id, { onBlacklistAdded: done }))` resolves when the code is 0.
 */
export function perform(
  operation: string,
  start: (done: (code: number) => void) => Promise<number>
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (code: number) =>
      code === 0 ? resolve() : reject(new RCIMError(operation, code));
    start(done).then((status) => {
      if (status !== 0) reject(new RCIMError(operation, status));
    }, reject);
  });
}

/** For methods that have no result callback: resolves when the call was accepted. */
export async function accepted(operation: string, status: Promise<number>): Promise<void> {
  const code = await status;
  if (code !== 0) throw new RCIMError(operation, code);
}
