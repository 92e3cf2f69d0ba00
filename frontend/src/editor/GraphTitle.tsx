import type { FormEvent } from "react";
import { useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { GraphDetail } from "../api/types";
import { useEditor } from "../store/editor";

/** The graph's name; editors rename it in place (Enter or leaving the field saves). */
export function GraphTitle({ graph, readOnly }: { graph: GraphDetail; readOnly: boolean }) {
  const [name, setName] = useState(graph.name);
  const [error, setError] = useState<string | null>(null);
  const setGraphMeta = useEditor((s) => s.setGraphMeta);

  const commit = async (event?: FormEvent) => {
    event?.preventDefault();
    const trimmed = name.trim();
    if (trimmed === graph.name) return;
    if (trimmed === "") {
      setName(graph.name);
      return;
    }
    const result = await api.renameGraph(graph.id, trimmed);
    if (result.ok) setGraphMeta(result.value);
    else setError(errorText(result.error));
  };

  if (readOnly) return <span className="graph-title">{graph.name}</span>;
  return (
    <form onSubmit={commit} className="graph-title-form">
      <input
        className="graph-title"
        aria-label="Graph name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onBlur={() => void commit()}
        title={error ?? "Rename the graph"}
      />
    </form>
  );
}
