/** 3.12+'s CALL_INTRINSIC_1: the few intrinsics module code of the subset uses. */

import type { HandlerTable } from "./handler.js";
import { listToTuple } from "./ops-build.js";
import { importAllFrom } from "./ops-import.js";
import { applyUnary } from "./ops-unary.js";
import { Refusal } from "./refusal.js";

export const intrinsicHandlers: HandlerTable = {
  CALL_INTRINSIC_1: (frame, instr) => {
    const value = frame.pop();
    switch (frame.table.intrinsic1(instr.arg)) {
      case "INTRINSIC_IMPORT_STAR":
        importAllFrom(frame, value);
        return frame.push(null);
      case "INTRINSIC_UNARY_POSITIVE":
        return frame.push(applyUnary(frame, "+", value));
      case "INTRINSIC_LIST_TO_TUPLE":
        return frame.push(listToTuple(value));
      default:
        throw new Refusal(`intrinsic ${instr.arg}`);
    }
  },
};
