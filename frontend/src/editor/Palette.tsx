import { useReactFlow } from "@xyflow/react";
import type { DragEvent } from "react";

import { useNodeKinds } from "../graph/nodeKinds";
import { addNodeRefusal } from "../graph/problems";
import type { NodeKind } from "../graph/spec";
import { useEditor } from "../store/editor";

export const PALETTE_MIME = "application/x-octograph-kind";

/** The node kinds the server runs, to drag onto the canvas; a click drops one in the middle of
 *  the view instead. */
export function Palette({ defaultModel }: { defaultModel: string }) {
  const addNode = useEditor((s) => s.addNode);
  const kinds = useNodeKinds((s) => s.kinds);
  // A string, so the palette re-renders only when the set of kinds on the canvas changes.
  const presentKinds = useEditor((s) => [...new Set(s.nodes.map((node) => node.type))].sort().join(" "));
  const { screenToFlowPosition } = useReactFlow();

  const onDragStart = (event: DragEvent, kind: string) => {
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
      {kinds.map(({ name, summary }) => {
        const refusal = addNodeRefusal(name, presentKinds.split(" "));
        // aria-disabled rather than disabled: a disabled button shows no tooltip in some
        // browsers, and the reason should be readable both in place and on hover.
        return (
          <button
            key={name}
            className={`palette-item kind-${name}${refusal === null ? "" : " refused"}`}
            draggable={refusal === null}
            aria-disabled={refusal !== null}
            data-kind={name}
            title={refusal ?? summary}
            onDragStart={(event) => (refusal === null ? onDragStart(event, name) : event.preventDefault())}
            onClick={() => refusal === null && addAtCentre(name as NodeKind)}
          >
            <span className="kind-badge">{name}</span>
            <span className={refusal === null ? "small muted" : "small palette-refusal"}>{refusal ?? summary}</span>
          </button>
        );
      })}
    </aside>
  );
}
