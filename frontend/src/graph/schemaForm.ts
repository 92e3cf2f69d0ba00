/**
 * The fields of an inspector form generated from a kind's config JSON Schema
 * (graphs/nodes/json_schema.py), for kinds without a hand-written form: one field per property,
 * in the schema's order, chosen by what the property accepts.
 */
import type { JsonSchema } from "../api/types";

interface FieldBase {
  key: string;
  label: string;
  required: boolean;
}

export type FormField =
  | (FieldBase & { kind: "text"; placeholder?: string })
  | (FieldBase & { kind: "number"; integer: boolean; placeholder?: number })
  | (FieldBase & { kind: "boolean"; checkedByDefault: boolean })
  | (FieldBase & { kind: "choice"; options: string[]; placeholder?: string })
  /** Lists, objects and mixed types: edited as JSON text. */
  | (FieldBase & { kind: "json" });

export function formFields(schema: JsonSchema): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, property]) =>
    formField({ key, label: fieldLabel(key), required: required.has(key) }, property),
  );
}

/** `max_tokens` -> `Max tokens`. */
export function fieldLabel(key: string): string {
  const words = key.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formField(base: FieldBase, property: JsonSchema): FormField {
  // A nullable value is edited as its other type; clearing the field leaves the default.
  const members = (property.anyOf ?? [property]).filter((member) => member.type !== "null");
  const value = members.length === 1 ? { ...members[0], default: property.default } : property;
  if (value.enum !== undefined && value.enum.every((option) => typeof option === "string")) {
    return { ...base, kind: "choice", options: value.enum as string[], ...placeholder(value.default, "string") };
  }
  switch (value.type) {
    case "string":
      return { ...base, kind: "text", ...placeholder(value.default, "string") };
    case "integer":
    case "number":
      return { ...base, kind: "number", integer: value.type === "integer", ...placeholder(value.default, "number") };
    case "boolean":
      return { ...base, kind: "boolean", checkedByDefault: value.default === true };
    default:
      return { ...base, kind: "json" };
  }
}

function placeholder<T extends "string" | "number">(value: unknown, type: T): { placeholder?: T extends "string" ? string : number } {
  return typeof value === type ? { placeholder: value as T extends "string" ? string : number } : {};
}

/** The JSON text a json field shows for `value` (empty when unset). */
export function jsonText(value: unknown): string {
  return value === undefined ? "" : JSON.stringify(value);
}

/** The value typed into a json field: parsed JSON, undefined when blank, the text itself when
 *  it is not JSON (the server then names what is wrong). */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
