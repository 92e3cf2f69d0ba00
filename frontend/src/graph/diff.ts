/**
 * Showing the API's diff (graphs/diff.py) on the canvas: a status per node and edge id, and a
 * merged spec that also holds what was removed, so removals can be drawn as ghosts.
 */
import type { GraphSpec } from "./spec";

export interface FieldChange {
  from: unknown;
  to: unknown;
}

export interface ElementDiff {
  added: string[];
  removed: string[];
  changed: { id: string; fields: Record<string, FieldChange> }[];
}

export interface SpecDiff {
  from: number;
  to: number;
  nodes: ElementDiff & {
    moved: { id: string; from: unknown; to: unknown }[];
  };
  edges: ElementDiff;
  meta: Record<string, FieldChange>;
}

export type DiffStatus = "added" | "removed" | "changed" | "moved";

export interface DiffMarks {
  nodes: Map<string, DiffStatus>;
  edges: Map<string, DiffStatus>;
}

/** Status per id; a node both changed and moved reads as changed (behaviour beats looks). */
export function diffMarks(diff: SpecDiff): DiffMarks {
  const nodes = new Map<string, DiffStatus>();
  for (const { id } of diff.nodes.moved) nodes.set(id, "moved");
  for (const { id } of diff.nodes.changed) nodes.set(id, "changed");
  for (const id of diff.nodes.added) nodes.set(id, "added");
  for (const id of diff.nodes.removed) nodes.set(id, "removed");
  const edges = new Map<string, DiffStatus>();
  for (const { id } of diff.edges.changed) edges.set(id, "changed");
  for (const id of diff.edges.added) edges.set(id, "added");
  for (const id of diff.edges.removed) edges.set(id, "removed");
  return { nodes, edges };
}

/** `newer` plus the nodes and edges only `older` has, at their old positions. */
export function mergeForCompare(older: GraphSpec, newer: GraphSpec): GraphSpec {
  const nodeIds = new Set(newer.nodes.map((node) => node.id));
  const edgeIds = new Set(newer.edges.map((edge) => edge.id));
  const nodes = [...newer.nodes, ...older.nodes.filter((node) => !nodeIds.has(node.id))];
  const present = new Set(nodes.map((node) => node.id));
  const edges = [
    ...newer.edges,
    ...older.edges.filter(
      (edge) => !edgeIds.has(edge.id) && present.has(edge.source) && present.has(edge.target),
    ),
  ];
  return { ...newer, nodes, edges };
}

/** How long a value may read in a change line before it is cut (with "…"). */
const VALUE_CHARS = 160;

/** A field's value as a change line shows it: strings quoted, objects as JSON, an absent
 *  field as "(none)", anything longer than `VALUE_CHARS` cut. */
export function formatFieldValue(value: unknown): string {
  if (value === null || value === undefined) return "(none)";
  const text = JSON.stringify(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}

/** "config.system: "old" → "new"": a changed field with its old and new values. */
function fieldLines(fields: Record<string, FieldChange>): string[] {
  return Object.entries(fields).map(
    ([field, change]) => `${field}: ${formatFieldValue(change.from)} → ${formatFieldValue(change.to)}`,
  );
}

/** One line per change, for the conflict dialog and the version comparison; a changed field
 *  reads with its old and new values: `node model-2: config.system: "a" → "b"`. */
export function describeDiff(diff: SpecDiff): string[] {
  const lines: string[] = [];
  for (const id of diff.nodes.added) lines.push(`node ${id} added`);
  for (const id of diff.nodes.removed) lines.push(`node ${id} removed`);
  for (const { id, fields } of diff.nodes.changed) {
    for (const line of fieldLines(fields)) lines.push(`node ${id}: ${line}`);
  }
  if (diff.nodes.moved.length > 0) lines.push(`${diff.nodes.moved.length} node(s) moved`);
  for (const id of diff.edges.added) lines.push(`edge ${id} added`);
  for (const id of diff.edges.removed) lines.push(`edge ${id} removed`);
  for (const { id, fields } of diff.edges.changed) {
    for (const line of fieldLines(fields)) lines.push(`edge ${id}: ${line}`);
  }
  for (const line of fieldLines(diff.meta)) lines.push(`meta.${line}`);
  return lines;
}
