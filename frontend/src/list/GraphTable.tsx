import type { GraphSummary, Team } from "../api/types";
import { followLink } from "../router";
import { DataTable } from "../ui/DataTable";

interface Props {
  graphs: GraphSummary[];
  /** Where a fork may go: the teams the user edits in. */
  forkTeams: Team[];
  onFork: (graph: GraphSummary, team: number) => void;
  /** Shown instead of an empty table. */
  emptyText: string;
}

export function GraphTable({ graphs, forkTeams, onFork, emptyText }: Props) {
  if (graphs.length === 0) return <p className="muted empty">{emptyText}</p>;
  return (
    <DataTable className="graph-table" columns={["Name", "Version", "Updated", "By", { ariaLabel: "Actions" }]}>
      {graphs.map((graph) => (
        <tr key={graph.id}>
          <td>
            <a href={`/graphs/${graph.id}`} onClick={followLink} className="graph-name">
              {graph.name}
            </a>
            {graph.description !== "" && <div className="muted small">{graph.description}</div>}
            {graph.forked_from !== null && (
              <div className="muted small">
                forked from graph {graph.forked_from.graph} v{graph.forked_from.version}
              </div>
            )}
          </td>
          <td>v{graph.latest_version}</td>
          <td>{new Date(graph.updated_at).toLocaleString()}</td>
          <td>{graph.created_by ?? "—"}</td>
          <td className="row-actions">
            {forkTeams.length > 0 && (
              <select
                aria-label={`Fork ${graph.name} into`}
                value=""
                onChange={(e) => onFork(graph, Number(e.target.value))}
              >
                <option value="" disabled>
                  Fork into…
                </option>
                {forkTeams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
