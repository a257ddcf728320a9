/** A failure the bench explains in one message (missing tool, wrong tree, a side that found too little): no stack. */
export class BenchError extends Error {
  override readonly name = "BenchError";
}
