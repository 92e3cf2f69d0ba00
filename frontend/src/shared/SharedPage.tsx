import { Background, Controls, ReactFlow, ReactFlowProvider } from "@xyflow/react";
import { useEffect, useMemo, useState } from "react";

import type { ApiError } from "../api/client";
import { api } from "../api/endpoints";
import type { SharedVersion } from "../api/types";
import { edgeTypes, FIT_VIEW, nodeTypesFor } from "../editor/flowTypes";
import type { FlowEdge, FlowNode } from "../graph/flow";
import { specToFlow } from "../graph/flow";
import { loadNodeKinds } from "../graph/loadNodeKinds";
import { useNodeKinds } from "../graph/nodeKinds";

type State = { state: "loading" } | { state: "error"; error: ApiError } | { state: "ready"; shared: SharedVersion };

/** What a public link shows to anyone, signed in or not: one version, read-only. */
export function SharedPage({ token }: { token: string }) {
  const [state, setState] = useState<State>({ state: "loading" });

  useEffect(() => {
    // The kinds draw each node's ports; a failed fetch still shows the graph.
    void Promise.all([api.shared(token), loadNodeKinds()]).then(([result]) => {
      setState(result.ok ? { state: "ready", shared: result.value } : { state: "error", error: result.error });
    });
  }, [token]);

  if (state.state === "loading") return <main className="splash">Loading…</main>;
  if (state.state === "error") {
    return (
      <main className="splash">
        <p>{state.error.status === 404 ? "This link was revoked, or never existed." : state.error.message}</p>
      </main>
    );
  }
  return <SharedGraph shared={state.shared} />;
}

function SharedGraph({ shared }: { shared: SharedVersion }) {
  const { nodes, edges } = useMemo(() => specToFlow(shared.version.spec), [shared]);
  const kindNames = useNodeKinds((s) => s.kinds.map((kind) => kind.name).join(" "));
  return (
    <div className="editor">
      <header className="topbar">
        <span className="brand">Octograph</span>
        <span className="graph-title">{shared.name}</span>
        <span className="version-tag">v{shared.version.number} · read-only</span>
        {shared.description !== "" && <span className="muted small">{shared.description}</span>}
      </header>
      <div className="editor-body">
        <div className="canvas">
          <ReactFlowProvider>
            <ReactFlow<FlowNode, FlowEdge>
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypesFor(kindNames)}
              edgeTypes={edgeTypes}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable={false}
              fitView
              fitViewOptions={FIT_VIEW}
              minZoom={0.05}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} />
              <Controls showInteractive={false} />
            </ReactFlow>
          </ReactFlowProvider>
        </div>
      </div>
    </div>
  );
}
