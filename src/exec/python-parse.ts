/**
 * Lezer's Python parser, configured so that a long module parses as CPython parses it.
 *
 * Lezer guards against runaway left-associative trees (`a+a+a+…`) with a kludge: after 300 reductions of
 * one growing region of 2000+ characters it force-reduces the parse stack — for every term whose node type
 * is not anonymous, and a nonterminal with no node type at all (such as the blank-line skip rule) counts as
 * not anonymous. Each blank or comment line between statements re-reduces that rule over the whole run of
 * statements before it, so ~300 of them cut the next statement off and valid Python became "invalid
 * syntax" (600 `a = 1` lines with a blank line between each failed at character 4104). Giving those
 * nonterminals anonymous node types keeps the guard for real nodes (a BinaryExpression chain) and drops it
 * for the rest; no tree ever holds them, so the trees are unchanged.
 */
import { NodeSet, NodeType } from "@lezer/common";
import { parser } from "@lezer/python";

type LRParser = typeof parser;

/** The parser's fields this reads (public in @lezer/lr 1.x JavaScript, not all typed). */
interface LezerParserInternals {
  readonly maxTerm: number;
  nodeSet: NodeSet;
}

function withAnonymousNonterminals(base: LRParser): LRParser {
  const configured = base.configure({});
  const internals = configured as unknown as LezerParserInternals;
  if (typeof internals.maxTerm !== "number" || !(internals.nodeSet instanceof NodeSet))
    throw new Error("@lezer/lr changed its parser fields: update src/exec/python-parse.ts");
  const types = [...internals.nodeSet.types];
  for (let id = types.length; id <= internals.maxTerm; id++) types.push(NodeType.define({ id }));
  internals.nodeSet = new NodeSet(types);
  return configured;
}

/** Lezer's Python parser with error recovery (error nodes mark what did not parse). */
export const pythonParser: LRParser = withAnonymousNonterminals(parser);

/** The same, throwing lezer's "No parse at N" SyntaxError at the first error instead. */
export const strictPythonParser: LRParser = pythonParser.configure({ strict: true });
