/** Every supported instruction by name; any other opcode is refused before the code runs. */
import type { Handler } from "./handler.js";
import { attributeHandlers } from "./ops-attributes.js";
import { buildHandlers } from "./ops-build.js";
import { callHandlers } from "./ops-calls.js";
import { cellHandlers } from "./ops-cells.js";
import { exceptionHandlers } from "./ops-exceptions.js";
import { functionHandlers } from "./ops-functions.js";
import { importHandlers } from "./ops-import.js";
import { intrinsicHandlers } from "./ops-intrinsics.js";
import { jumpHandlers } from "./ops-jumps.js";
import { nameHandlers } from "./ops-names.js";
import { stackHandlers } from "./ops-stack.js";
import { unaryHandlers } from "./ops-unary.js";

export const handlers: ReadonlyMap<string, Handler> = new Map(
  Object.entries({
    ...stackHandlers,
    ...nameHandlers,
    ...attributeHandlers,
    ...unaryHandlers,
    ...buildHandlers,
    ...importHandlers,
    ...intrinsicHandlers,
    ...functionHandlers,
    ...callHandlers,
    ...exceptionHandlers,
    ...jumpHandlers,
    ...cellHandlers,
  }),
);
