export * from "./define.ts";
export { ToolError } from "./errors.ts";
export { ALL_TOOLS, toolByName } from "./registry.ts";
