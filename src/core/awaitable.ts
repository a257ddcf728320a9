/** A value or a promise of it: the finder layer stays synchronous unless an async hook (a zip index, a remote source) needs to wait. */
export type Awaitable<T> = T | Promise<T>;

export function isPromise<T>(value: Awaitable<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
