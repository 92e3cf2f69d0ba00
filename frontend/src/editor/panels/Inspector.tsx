import type { CatalogModel } from "../../api/types";
import type { Problem } from "../../graph/problems";
import { problemText } from "../../graph/problems";
import { useEditor } from "../../store/editor";
import { EdgeInspector } from "./EdgeInspector";
import { NodeInspector } from "./NodeInspector";
import { ToolInspector } from "./ToolInspector";

/** The settings of the one selected node or edge; otherwise the graph's problems and keys. */
export function Inspector({ models, readOnly }: { models: CatalogModel[]; readOnly: boolean }) {
  const comparing = useEditor((s) => s.compare !== null);
  const node = useEditor((s) => {
    const selected = s.nodes.filter((n) => n.selected);
    return selected.length === 1 ? selected[0] : undefined;
  });
  const edge = useEditor((s) => (node === undefined ? s.edges.find((e) => e.selected) : undefined));
  const edgeFromRouter = useEditor(
    (s) => edge !== undefined && s.nodes.some((n) => n.id === edge.source && n.type === "router"),
  );
  const problems = useEditor((s) =>
    node !== undefined ? s.problemIndex.nodes.get(node.id) : edge !== undefined ? s.problemIndex.edges.get(edge.id) : undefined,
  );
  return (
    <aside className="inspector" aria-label="Inspector">
      {comparing ? (
        <CompareChanges />
      ) : node !== undefined ? (
        <>
          <h2>{node.type} node</h2>
          <ProblemList problems={problems} />
          <NodeInspector node={node} models={models} readOnly={readOnly} />
          {node.type === "tool" && <ToolInspector node={node} readOnly={readOnly} />}
        </>
      ) : edge !== undefined ? (
        <>
          <h2>{edgeFromRouter ? "Router edge" : "Edge"}</h2>
          <ProblemList problems={problems} />
          <EdgeInspector edge={edge} fromRouter={edgeFromRouter} readOnly={readOnly} />
        </>
      ) : (
        <GraphSummary />
      )}
    </aside>
  );
}

function CompareChanges() {
  const compare = useEditor((s) => s.compare);
  if (compare === null) return null;
  return (
    <>
      <h2>
        Changes v{compare.from} → v{compare.to}
      </h2>
      {compare.changes.length === 0 ? (
        <p className="muted">The two versions draw the same graph.</p>
      ) : (
        <ul className="change-list" aria-label="Changes">
          {compare.changes.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function ProblemList({ problems }: { problems: Problem[] | undefined }) {
  if (problems === undefined || problems.length === 0) return null;
  return (
    <ul className="problems" aria-label="Problems">
      {problems.map((problem, index) => (
        <li key={index}>{problemText(problem)}</li>
      ))}
    </ul>
  );
}

function GraphSummary() {
  const problems = useEditor((s) => s.problems);
  const selectOnly = useEditor((s) => s.selectOnly);
  return (
    <>
      <h2>Graph</h2>
      {problems.length > 0 && (
        <>
          <p className="error">The server refused the last save:</p>
          <ul className="problems" aria-label="Problems">
            {problems.map((problem, index) => {
              const target = problem.node ?? problem.edge;
              return (
                <li key={index}>
                  {target !== undefined ? (
                    <button
                      className="link"
                      onClick={() => selectOnly(target, problem.node !== undefined ? "node" : "edge")}
                    >
                      {target}
                    </button>
                  ) : null}{" "}
                  {problemText(problem)}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <p className="muted small">Select a node or an edge to edit it.</p>
      <dl className="shortcuts">
        <dt>Ctrl+S</dt>
        <dd>save a version</dd>
        <dt>Ctrl+Z / Ctrl+Shift+Z</dt>
        <dd>undo / redo</dd>
        <dt>Ctrl+C / Ctrl+V</dt>
        <dd>copy / paste</dd>
        <dt>Delete</dt>
        <dd>delete the selection</dd>
        <dt>Shift+drag</dt>
        <dd>select an area</dd>
      </dl>
    </>
  );
}
