/**
 * The editor's one store: the graph being edited (as React Flow nodes and edges), what it was
 * loaded from (graph, base version), undo/redo history, the dirty flag, the clipboard, the
 * server's validation problems and the version being compared. Components read slices with
 * selectors so that dragging one node does not re-render the panels.
 */
import type { Connection, EdgeChange, NodeChange, XYPosition } from "@xyflow/react";
import { applyEdgeChanges, applyNodeChanges } from "@xyflow/react";
import { create } from "zustand";

import type { GraphDetail } from "../api/types";
import type { CopiedSelection } from "../graph/clipboard";
import { copySelection, pasteSelection } from "../graph/clipboard";
import type { ConnectionGraph } from "../graph/connect";
import { checkConnection, newEdgeData } from "../graph/connect";
import type { DiffMarks } from "../graph/diff";
import type { FlowEdge, FlowNode } from "../graph/flow";
import { flowToSpec, specToFlow } from "../graph/flow";
import { freshEdgeId, freshNodeId } from "../graph/ids";
import { layoutByDepth } from "../graph/layout";
import type { Problem, ProblemIndex } from "../graph/problems";
import { indexProblems } from "../graph/problems";
import { defaultConfig } from "../graph/nodeKinds";
import type { ConfigOf, EdgeData, GraphSpec, NodeKind } from "../graph/spec";

const HISTORY_LIMIT = 100;
/** Edits of the same field within this window undo together, not one keystroke at a time. */
const COALESCE_MS = 1000;

interface Snapshot {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** A read-only view of another version drawn over the canvas, with diff highlights. */
export interface CompareView {
  from: number;
  to: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  marks: DiffMarks;
  /** One line per change, as `describeDiff` words them. */
  changes: string[];
}

interface EditorState {
  graph: GraphDetail | null;
  baseVersion: number;
  nodes: FlowNode[];
  edges: FlowEdge[];
  meta: Record<string, unknown> | undefined;
  past: Snapshot[];
  future: Snapshot[];
  dirty: boolean;
  /** Counts edits, so a save knows whether more were made while it was in flight. */
  revision: number;
  problems: Problem[];
  /** `problems` by node and edge id, so each node reads only its own. */
  problemIndex: ProblemIndex;
  compare: CompareView | null;
  clipboard: CopiedSelection | null;
  /** Why the connection being dragged is refused; null while it is allowed. */
  connectHint: string | null;
  /** Undo state of an unfinished gesture (a drag): pushed once, when it ends. */
  pending: Snapshot | null;
  lastEdit: { key: string; at: number } | null;
}

interface EditorActions {
  load(graph: GraphDetail): void;
  /** `version` holds the spec as it was at `revision`; later edits keep the editor dirty. */
  markSaved(version: number, revision: number): void;
  /** New metadata (a rename) for the loaded graph; the spec being edited is kept. */
  setGraphMeta(graph: GraphDetail): void;
  spec(): GraphSpec;
  onNodesChange(changes: NodeChange<FlowNode>[]): void;
  onEdgesChange(changes: EdgeChange<FlowEdge>[]): void;
  /** React Flow's isValidConnection: whether to allow it, keeping the reason when not. */
  isValidConnection(connection: Connection | FlowEdge): boolean;
  connect(connection: Connection): void;
  clearHint(): void;
  addNode(kind: NodeKind, position: XYPosition, model: string): void;
  updateConfig<K extends NodeKind>(id: string, kind: K, patch: Partial<ConfigOf<K>>): void;
  updateLabel(id: string, label: string): void;
  updateEdge(id: string, patch: Partial<EdgeData>): void;
  deleteSelection(): void;
  selectOnly(id: string, what: "node" | "edge"): void;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  autoLayout(): void;
  setProblems(problems: Problem[]): void;
  setCompare(compare: CompareView | null): void;
}

type EditorStore = EditorState & EditorActions;

const EMPTY: EditorState = {
  graph: null,
  baseVersion: 0,
  nodes: [],
  edges: [],
  meta: undefined,
  past: [],
  future: [],
  dirty: false,
  revision: 0,
  problems: [],
  problemIndex: indexProblems([]),
  compare: null,
  clipboard: null,
  connectHint: null,
  pending: null,
  lastEdit: null,
};

/** A cleared optional field is dropped from the spec, so the server applies its default. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function connectionGraph(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): ConnectionGraph {
  return {
    nodes: nodes.map((node) =>
      node.type === "router"
        ? { id: node.id, type: node.type, routerMode: node.data.config.mode ?? "in-context" }
        : { id: node.id, type: node.type },
    ),
    edges,
  };
}

export const useEditor = create<EditorStore>()((set, get) => {
  /** Apply an edit: remember the state before it for undo, clear redo, mark dirty. */
  function commit(next: Partial<Snapshot> & Partial<EditorState>, coalesceKey?: string): void {
    const state = get();
    const now = Date.now();
    const coalesce =
      coalesceKey !== undefined &&
      state.lastEdit?.key === coalesceKey &&
      now - state.lastEdit.at < COALESCE_MS;
    const past = coalesce
      ? state.past
      : [...state.past, { nodes: state.nodes, edges: state.edges }].slice(-HISTORY_LIMIT);
    set({
      ...next,
      past,
      future: [],
      dirty: true,
      revision: state.revision + 1,
      lastEdit: coalesceKey === undefined ? null : { key: coalesceKey, at: now },
    });
  }

  function mapNode(id: string, change: (node: FlowNode) => FlowNode): FlowNode[] {
    return get().nodes.map((node) => (node.id === id ? change(node) : node));
  }

  return {
    ...EMPTY,

    load(graph) {
      const spec = graph.latest.spec;
      const { nodes, edges } = specToFlow(spec);
      set({ ...EMPTY, graph, baseVersion: graph.latest_version, nodes, edges, meta: spec.meta });
    },

    markSaved(version, revision) {
      const graph = get().graph;
      set({
        baseVersion: version,
        dirty: get().revision !== revision,
        problems: [],
        problemIndex: indexProblems([]),
        graph: graph === null ? null : { ...graph, latest_version: version },
      });
    },

    setGraphMeta(graph) {
      set({ graph: { ...graph, latest_version: get().baseVersion } });
    },

    spec() {
      const { nodes, edges, meta } = get();
      return flowToSpec(nodes, edges, meta);
    },

    onNodesChange(changes) {
      const state = get();
      if (state.compare !== null) {
        // A comparison is read-only: only React Flow's measurements and selection arrive.
        set({ compare: { ...state.compare, nodes: applyNodeChanges(changes, state.compare.nodes) } });
        return;
      }
      const nodes = applyNodeChanges(changes, state.nodes);
      const removes = changes.some((change) => change.type === "remove");
      const dragging = changes.some((c) => c.type === "position" && c.dragging === true);
      const dropped = changes.some((c) => c.type === "position" && c.dragging === false);
      if (removes) {
        const gone = new Set(changes.flatMap((c) => (c.type === "remove" ? [c.id] : [])));
        const edges = state.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
        commit({ nodes, edges });
      } else if (dragging) {
        set({ nodes, pending: state.pending ?? { nodes: state.nodes, edges: state.edges } });
      } else if (dropped && state.pending !== null) {
        set({
          nodes,
          past: [...state.past, state.pending].slice(-HISTORY_LIMIT),
          future: [],
          pending: null,
          dirty: true,
          revision: state.revision + 1,
          lastEdit: null,
        });
      } else {
        // Selection and measured dimensions: not edits.
        set({ nodes });
      }
    },

    onEdgesChange(changes) {
      const { compare } = get();
      if (compare !== null) {
        set({ compare: { ...compare, edges: applyEdgeChanges(changes, compare.edges) } });
        return;
      }
      const edges = applyEdgeChanges(changes, get().edges);
      if (changes.some((change) => change.type === "remove")) commit({ edges });
      else set({ edges });
    },

    isValidConnection(connection) {
      const { nodes, edges } = get();
      const check = checkConnection(connectionGraph(nodes, edges), connection.source, connection.target);
      const hint = check.ok ? null : check.reason;
      if (hint !== get().connectHint) set({ connectHint: hint });
      return check.ok;
    },

    connect(connection) {
      const { nodes, edges } = get();
      const graph = connectionGraph(nodes, edges);
      const check = checkConnection(graph, connection.source, connection.target);
      if (!check.ok) {
        set({ connectHint: check.reason });
        return;
      }
      const id = freshEdgeId(connection.source, connection.target, new Set(edges.map((e) => e.id)));
      const edge: FlowEdge = { id, source: connection.source, target: connection.target };
      const data = newEdgeData(graph, connection.source);
      // A router edge is unusable until described, so it opens in the inspector right away.
      if (data !== undefined) {
        edge.data = data;
        edge.selected = true;
      }
      commit({
        edges: [...edges.map((e) => (data !== undefined && e.selected ? { ...e, selected: false } : e)), edge],
        nodes: data === undefined ? nodes : nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
        connectHint: null,
      });
    },

    clearHint() {
      if (get().connectHint !== null) set({ connectHint: null });
    },

    addNode(kind, position, model) {
      const { nodes } = get();
      const id = freshNodeId(kind, new Set(nodes.map((node) => node.id)));
      const deselected = nodes.map((node) => (node.selected ? { ...node, selected: false } : node));
      const node = {
        id,
        type: kind,
        position,
        selected: true,
        data: { config: defaultConfig(kind, model) },
      } as FlowNode;
      commit({ nodes: [...deselected, node] });
    },

    updateConfig(id, kind, patch) {
      const nodes = mapNode(id, (node) => {
        if (node.type !== kind) return node;
        const config = withoutUndefined({ ...node.data.config, ...patch });
        return { ...node, data: { ...node.data, config } } as FlowNode;
      });
      commit({ nodes }, `config:${id}:${Object.keys(patch).join(",")}`);
    },

    updateLabel(id, label) {
      const nodes = mapNode(id, (node) => {
        const data = { ...node.data };
        if (label === "") delete data.label;
        else data.label = label;
        return { ...node, data } as FlowNode;
      });
      commit({ nodes }, `label:${id}`);
    },

    updateEdge(id, patch) {
      const edges = get().edges.map((edge) => {
        if (edge.id !== id) return edge;
        return { ...edge, data: withoutUndefined({ ...edge.data, ...patch }) };
      });
      commit({ edges }, `edge:${id}:${Object.keys(patch).join(",")}`);
    },

    deleteSelection() {
      const { nodes, edges } = get();
      const gone = new Set(nodes.filter((node) => node.selected).map((node) => node.id));
      const keptEdges = edges.filter(
        (edge) => !edge.selected && !gone.has(edge.source) && !gone.has(edge.target),
      );
      if (gone.size === 0 && keptEdges.length === edges.length) return;
      commit({ nodes: nodes.filter((node) => !gone.has(node.id)), edges: keptEdges });
    },

    selectOnly(id, what) {
      const { nodes, edges } = get();
      set({
        nodes: nodes.map((n) => {
          const selected = what === "node" && n.id === id;
          return n.selected === selected ? n : { ...n, selected };
        }),
        edges: edges.map((e) => {
          const selected = what === "edge" && e.id === id;
          return e.selected === selected ? e : { ...e, selected };
        }),
      });
    },

    undo() {
      const { past, future, nodes, edges, revision } = get();
      const previous = past.at(-1);
      if (previous === undefined) return;
      set({
        ...previous,
        past: past.slice(0, -1),
        future: [{ nodes, edges }, ...future],
        dirty: true,
        revision: revision + 1,
        lastEdit: null,
      });
    },

    redo() {
      const { past, future, nodes, edges, revision } = get();
      const next = future[0];
      if (next === undefined) return;
      set({
        ...next,
        past: [...past, { nodes, edges }],
        future: future.slice(1),
        dirty: true,
        revision: revision + 1,
        lastEdit: null,
      });
    },

    copy() {
      const { nodes, edges } = get();
      const clip = copySelection(nodes, edges);
      if (clip !== null) set({ clipboard: clip });
    },

    paste() {
      const { clipboard, nodes, edges } = get();
      if (clipboard === null) return;
      const pasted = pasteSelection(clipboard, nodes, edges);
      commit({
        nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes],
        edges: [...edges, ...pasted.edges],
      });
      // Pasting again offsets again, rather than stacking copies on one spot.
      set({ clipboard: pasted });
    },

    autoLayout() {
      const { nodes, edges } = get();
      const positions = layoutByDepth(nodes, edges);
      commit({
        nodes: nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position })),
      });
    },

    setProblems(problems) {
      set({ problems, problemIndex: indexProblems(problems) });
    },

    setCompare(compare) {
      set({ compare });
    },
  };
});
