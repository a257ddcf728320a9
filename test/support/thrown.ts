/** The error `fn` throws (the test fails if it returns). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("no error");
}
