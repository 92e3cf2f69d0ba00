/**
 * Tool node configs (graphs/nodes/tool.py): the built-in functions and their fixed argument
 * schemas (served as the tool kind's `builtins` fact, from graphs/tools/builtins.py), signatures
 * for the canvas, and the pure edits the inspector makes.
 */
import { nodeKind } from "./nodeKinds";
import type { ToolArgument, ToolConfig, WebhookConfig } from "./spec";

export interface BuiltinTool {
  name: string;
  summary: string;
  arguments: readonly ToolArgument[];
}

/** The built-in functions, in the server's order; none before the node kinds are loaded. */
export function builtinTools(): readonly BuiltinTool[] {
  const builtins = nodeKind("tool")?.facts.builtins;
  return Array.isArray(builtins) ? (builtins as BuiltinTool[]) : [];
}

export function builtinTool(name: string): BuiltinTool | undefined {
  return builtinTools().find((tool) => tool.name === name);
}

export function isWebhook(config: ToolConfig): boolean {
  return config.webhook !== undefined && config.webhook !== null;
}

/** The arguments a call binds to: the webhook's own, or the built-in's. */
export function toolArguments(config: ToolConfig): readonly ToolArgument[] {
  return isWebhook(config) ? (config.arguments ?? []) : (builtinTool(config.function)?.arguments ?? []);
}

/** `convert_units(value: number, from_unit: string, to_unit: string)`; `?` marks optional ones. */
export function toolSignature(config: ToolConfig): string {
  const args = toolArguments(config).map(
    (arg) => `${arg.name}${arg.required === false ? "?" : ""}: ${arg.type ?? "string"}`,
  );
  return `${config.function || "?"}(${args.join(", ")})`;
}

/** The config patch that turns a tool into a webhook (keeping its name) or back into a built-in. */
export function switchBackend(config: ToolConfig, webhook: boolean): Partial<ToolConfig> {
  if (webhook) {
    const name = builtinTool(config.function) === undefined ? config.function : "";
    return { function: name, webhook: { url: "" }, arguments: [] };
  }
  const name = builtinTool(config.function) === undefined ? "calculator" : config.function;
  return { function: name, webhook: undefined, arguments: undefined };
}

/** `headers_from_env` as lines `Header: ENV_VARIABLE`, for a textarea. */
export function headersToText(headers: WebhookConfig["headers_from_env"]): string {
  return Object.entries(headers ?? {})
    .map(([header, variable]) => `${header}: ${variable}`)
    .join("\n");
}

/** Lines `Header: ENV_VARIABLE` back to `headers_from_env`; blank lines are skipped, a line
 *  without a colon keeps its text as the header name (the server names what is wrong). */
export function headersFromText(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const colon = line.indexOf(":");
    const header = (colon < 0 ? line : line.slice(0, colon)).trim();
    headers[header] = colon < 0 ? "" : line.slice(colon + 1).trim();
  }
  return headers;
}

/** A new argument named `arg<n>` with the first free n. */
export function addArgument(args: readonly ToolArgument[]): ToolArgument[] {
  const names = new Set(args.map((arg) => arg.name));
  let n = args.length + 1;
  while (names.has(`arg${n}`)) n += 1;
  return [...args, { name: `arg${n}`, type: "string" }];
}

/** Argument `index` with `patch` applied; a key patched to undefined is removed (the server's
 *  default applies). */
export function updateArgument(args: readonly ToolArgument[], index: number, patch: Partial<ToolArgument>): ToolArgument[] {
  return args.map((arg, i) => {
    if (i !== index) return arg;
    const { name, type, description, required } = { ...arg, ...patch };
    const next: ToolArgument = { name };
    if (type !== undefined) next.type = type;
    if (description !== undefined) next.description = description;
    if (required !== undefined) next.required = required;
    return next;
  });
}

export function removeArgument(args: readonly ToolArgument[], index: number): ToolArgument[] {
  return args.filter((_, i) => i !== index);
}
