import type { RunView } from "./runState";
import { formatProbability } from "./events";
import type { Comparison } from "./useCompare";

/** Two runs side by side: the graph version each used (and, when they differ, each field that
 *  changed between them with its old and new values), then per node its status, routing
 *  decision, output and latency. */
export function CompareRuns({ comparison, onClose }: { comparison: Comparison; onClose: () => void }) {
  const { left, right, changes } = comparison;
  // Views are seeded in the graph's node order, which reads better than alphabetical.
  const nodes = [...new Set([...Object.keys(left.view.nodes), ...Object.keys(right.view.nodes)])];
  return (
    <section className="compare-runs" aria-label="Run comparison">
      <div className="compare-runs-head">
        <strong>
          Run {left.run} vs run {right.run}
        </strong>
        <button onClick={onClose}>Close comparison</button>
      </div>
      <table>
        <thead>
          <tr>
            <th>node</th>
            <th>run {left.run}</th>
            <th>run {right.run}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>graph</td>
            <td>v{left.version}</td>
            <td>v{right.version}</td>
          </tr>
          <tr>
            <td>query</td>
            <td>{left.view.input}</td>
            <td>{right.view.input}</td>
          </tr>
          {nodes.map((node) => (
            <tr key={node}>
              <td>{node}</td>
              <NodeCell view={left.view} node={node} />
              <NodeCell view={right.view} node={node} />
            </tr>
          ))}
          <tr>
            <td>answer</td>
            <td>{left.view.output ?? left.view.error}</td>
            <td>{right.view.output ?? right.view.error}</td>
          </tr>
        </tbody>
      </table>
      {changes.length > 0 && (
        <>
          <h4>
            Graph changes v{left.version} → v{right.version}
          </h4>
          <ul className="change-list" aria-label="Graph changes between the runs">
            {changes.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function NodeCell({ view, node }: { view: RunView; node: string }) {
  const run = view.nodes[node];
  const decision = view.decisions[node];
  if (run === undefined) return <td className="muted">—</td>;
  return (
    <td>
      <span className={`run-status run-${run.status}`}>{run.status}</span>
      {run.latencyMs !== null && <span className="muted small"> {Math.round(run.latencyMs)} ms</span>}
      {decision !== undefined && (
        <div className="small">
          → {decision.target} ({formatProbability(decision.scores[decision.target])}); query “{decision.query}”
        </div>
      )}
      {decision === undefined && run.output !== null && <div className="small ellipsis" title={run.output}>{run.output}</div>}
    </td>
  );
}
