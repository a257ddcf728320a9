/** Every text a scenario may hand an executor: `.py` files (also inside zips and `write` steps) and `run` steps. */
import type { FileContent, FileMap, Scenario } from "../../../../src/scenario/index.js";
import type { SourceToCompile } from "./python.js";

function textOf(content: FileContent): string | null {
  if (typeof content === "string") return content;
  return "text" in content ? content.text : null;
}

function fromFiles(files: FileMap, prefix: string): SourceToCompile[] {
  const out: SourceToCompile[] = [];
  for (const [path, content] of Object.entries(files)) {
    if (typeof content === "object" && "zip" in content) {
      out.push(...fromFiles(content.zip, `${prefix}${path}/`));
      continue;
    }
    const text = textOf(content);
    // The source loader hands executors decoded text: BOM dropped, universal newlines.
    if (text !== null)
      out.push({ source: text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n"), filename: prefix + path });
  }
  return out;
}

export function scenarioSources(scenario: Scenario): SourceToCompile[] {
  const out = fromFiles(scenario.files, "");
  for (const step of scenario.steps) {
    if ("run" in step) out.push({ source: step.run, filename: "<run>" });
    if ("write" in step) out.push(...fromFiles(step.write, ""));
  }
  return out;
}
