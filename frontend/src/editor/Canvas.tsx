import type { ReactFlowInstance } from "@xyflow/react";
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStore,
} from "@xyflow/react";
import type { DragEvent } from "react";
import { useCallback, useEffect, useRef, useState } from "react";

import type { FlowEdge, FlowNode } from "../graph/flow";
import { addNodeRefusal } from "../graph/problems";
import { isKnownKind, useNodeKinds } from "../graph/nodeKinds";
import { useEditor } from "../store/editor";
import { edgeTypes, FIT_VIEW, minimapColor, nodeTypesFor } from "./flowTypes";
import { PALETTE_MIME } from "./Palette";

/** Past this many nodes only what is on screen is rendered, so big graphs pan smoothly. */
const VISIBLE_ONLY_FROM = 200;
/** Below this zoom text is too small to read, so it is not painted (see styles.css). */
const TEXT_FROM_ZOOM = 0.35;
/** The smallest zoom a large graph opens at (node titles are still legible). */
const OPEN_MIN_ZOOM = 0.5;
const HINT_MS = 2500;
/** A performance mark (and the data-canvas-ready attribute) for tests and bench/canvas_load.py. */
const READY_MARK = "octograph:canvas-ready";

export function Canvas({ readOnly, defaultModel }: { readOnly: boolean; defaultModel: string }) {
  const compare = useEditor((s) => s.compare);
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const onConnect = useEditor((s) => s.connect);
  const isValidConnection = useEditor((s) => s.isValidConnection);
  const clearHint = useEditor((s) => s.clearHint);
  const addNode = useEditor((s) => s.addNode);
  const kindNames = useNodeKinds((s) => s.kinds.map((kind) => kind.name).join(" "));
  const { screenToFlowPosition, fitView } = useReactFlow<FlowNode, FlowEdge>();
  const [ready, setReady] = useState(false);
  const zoomedOut = useStore((s) => s.transform[2] < TEXT_FROM_ZOOM);
  const hintTimer = useRef<number | undefined>(undefined);

  const shownNodes = compare?.nodes ?? nodes;
  const shownEdges = compare?.edges ?? edges;

  // Which comparison is shown; its node objects change as React Flow measures them.
  const comparing = useEditor((s) => (s.compare === null ? null : `${s.compare.from}:${s.compare.to}`));
  const measured = useNodesInitialized();
  useEffect(() => {
    // A comparison is drawn from another spec: frame it as a whole once its nodes are measured.
    if (comparing !== null && measured) void fitView(FIT_VIEW);
  }, [comparing, measured, fitView]);

  useEffect(() => () => window.clearTimeout(hintTimer.current), []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      if (!isKnownKind(kind)) return;
      event.preventDefault();
      // The palette already refuses such a drag and says why; this covers a drop from elsewhere.
      if (addNodeRefusal(kind, useEditor.getState().nodes.map((node) => node.type)) !== null) return;
      addNode(kind, screenToFlowPosition({ x: event.clientX, y: event.clientY }), defaultModel);
    },
    [addNode, screenToFlowPosition, defaultModel],
  );

  const onInit = useCallback((instance: ReactFlowInstance<FlowNode, FlowEdge>) => {
    // A large graph opens at a readable zoom on its centre rather than shrunk to fit: that also
    // keeps most nodes off screen, so only the visible ones are rendered and panning stays smooth.
    const large = instance.getNodes().length >= VISIBLE_ONLY_FROM;
    void instance.fitView({ ...FIT_VIEW, minZoom: large ? OPEN_MIN_ZOOM : undefined }).then(() => {
      // Two frames: the first paints the nodes, the second runs after that paint, which is
      // when the canvas is interactive.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          performance.mark(READY_MARK);
          setReady(true);
        }),
      );
    });
  }, []);

  return (
    <div className={zoomedOut ? "canvas zoomed-out" : "canvas"} data-canvas-ready={ready} onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypesFor(kindNames)}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onConnectEnd={() => {
          window.clearTimeout(hintTimer.current);
          hintTimer.current = window.setTimeout(clearHint, HINT_MS);
        }}
        onInit={onInit}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        // Deleting goes through the store's deleteSelection (one undo step per delete).
        deleteKeyCode={null}
        onlyRenderVisibleElements={shownNodes.length >= VISIBLE_ONLY_FROM}
        minZoom={0.05}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap<FlowNode> pannable zoomable nodeColor={minimapColor} />
        <Controls showInteractive={false} />
      </ReactFlow>
      <ConnectHint />
    </div>
  );
}

function ConnectHint() {
  const hint = useEditor((s) => s.connectHint);
  if (hint === null) return null;
  return (
    <div className="connect-hint" role="status">
      Can’t connect: {hint}
    </div>
  );
}
