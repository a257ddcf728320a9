/** A value or a promise of it: the finder layer stays synchronous unless an async hook (a zip index, a remote source) needs to wait. */
export type Awaitable<T> = T | Promise<T>;

export function isPromise<T>(value: Awaitable<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/** `value.then(onValue, onError)` without making a synchronous value asynchronous. */
export function andThen<T, U>(
  value: Awaitable<T>,
  onValue: (value: T) => Awaitable<U>,
  onError?: (error: unknown) => Awaitable<U>,
): Awaitable<U> {
  if (isPromise(value)) return value.then(onValue, onError);
  return onValue(value);
}
