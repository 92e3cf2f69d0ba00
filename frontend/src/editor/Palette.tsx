import { useReactFlow } from "@xyflow/react";
import type { DragEvent } from "react";

import type { NodeKind } from "../graph/spec";
import { KIND_SUMMARY, NODE_KINDS } from "../graph/spec";
import { useEditor } from "../store/editor";

export const PALETTE_MIME = "application/x-octograph-kind";

/** Node kinds to drag onto the canvas; a click drops one in the middle of the view instead. */
export function Palette({ defaultModel }: { defaultModel: string }) {
  const addNode = useEditor((s) => s.addNode);
  const { screenToFlowPosition } = useReactFlow();

  const onDragStart = (event: DragEvent, kind: NodeKind) => {
    event.dataTransfer.setData(PALETTE_MIME, kind);
    event.dataTransfer.effectAllowed = "move";
  };

  const addAtCentre = (kind: NodeKind) => {
    const canvas = document.querySelector(".canvas")?.getBoundingClientRect();
    if (canvas === undefined) return;
    const centre = { x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 };
    addNode(kind, screenToFlowPosition(centre), defaultModel);
  };

  return (
    <aside className="palette" aria-label="Node palette">
      <h2>Nodes</h2>
      {NODE_KINDS.map((kind) => (
        <button
          key={kind}
          className={`palette-item kind-${kind}`}
          draggable
          data-kind={kind}
          title={KIND_SUMMARY[kind]}
          onDragStart={(event) => onDragStart(event, kind)}
          onClick={() => addAtCentre(kind)}
        >
          <span className="kind-badge">{kind}</span>
          <span className="small muted">{KIND_SUMMARY[kind]}</span>
        </button>
      ))}
    </aside>
  );
}
