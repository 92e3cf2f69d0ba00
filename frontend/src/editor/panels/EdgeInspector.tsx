import { tokenClash } from "../../graph/connect";
import type { FlowEdge } from "../../graph/flow";
import { useEditor } from "../../store/editor";
import { Field, NumberField, TextField } from "../../ui/fields";

/** Router edges: functional-token index, description of where it leads, example queries. */
export function EdgeInspector({ edge, fromRouter, readOnly }: { edge: FlowEdge; fromRouter: boolean; readOnly: boolean }) {
  const update = useEditor((s) => s.updateEdge);
  const clash = useEditor((s) => (fromRouter ? tokenClash(s.edges, edge.id) : undefined));
  return (
    <div className="inspector-form">
      <Field label="Edge">
        <input value={`${edge.source} → ${edge.target}`} readOnly />
      </Field>
      {fromRouter ? (
        <>
          {clash !== undefined && (
            <p className="error small" role="alert">
              Token {edge.data?.token} is also used by {clash.source} → {clash.target}; each edge of a router needs its own.
            </p>
          )}
          <NumberField
            label="Token"
            value={edge.data?.token}
            min={0}
            disabled={readOnly}
            onChange={(token) => update(edge.id, { token })}
          />
          <TextField
            label="Description"
            multiline
            value={edge.data?.description}
            placeholder="What the target is good at, e.g. math: algebra, calculus, statistics"
            disabled={readOnly}
            onChange={(description) => update(edge.id, { description })}
          />
          <TextField
            label="Examples"
            multiline
            value={edge.data?.examples?.join("\n")}
            placeholder="One example query per line"
            hint="Embedding routing compares queries with these too."
            disabled={readOnly}
            onChange={(text) => {
              const examples = text.split("\n");
              update(edge.id, { examples: examples.some((line) => line.trim() !== "") ? examples : undefined });
            }}
          />
        </>
      ) : (
        <p className="muted small">A plain edge: its source's answer flows to its target.</p>
      )}
    </div>
  );
}
