/** Policies: ready-made plugins that change what may be imported, and how (see docs/policies.md). */
export { auditImports, vetoImports } from "./audit.js";
export { ignoreLonePyc } from "./ignore-lone-pyc.js";
export {
  AllowlistImporter,
  type RestrictedImportsOptions,
  restrictedImports,
  SourceOnlyFileLoader,
  sourceOnlyFileHook,
} from "./restricted-imports.js";
