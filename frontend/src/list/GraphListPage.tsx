import { useEffect, useState } from "react";

import type { Result } from "../api/client";
import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { GraphDetail, GraphSummary, Me } from "../api/types";
import { usePagedList } from "../api/usePagedList";
import { ProblemsPanel } from "../editor/ProblemsPanel";
import type { Problem } from "../graph/problems";
import { navigate } from "../router";
import { CreateGraphBar } from "./CreateGraphBar";
import { GraphTable } from "./GraphTable";
import { LoadMore } from "../ui/LoadMore";
import { useDebounced } from "../ui/useDebounced";
import { UserMenu } from "../ui/UserMenu";
import { NewTeamForm } from "./NewTeamForm";

const TEAM_KEY = "octograph.team";
/** How long typing pauses before the search goes to the server. */
const SEARCH_DELAY_MS = 250;

/** The team's graphs whose name, slug or description contains `search`, newest change first. */
function graphsUrl(team: number, search: string): string {
  return `/api/graphs/?team=${team}${search === "" ? "" : `&search=${encodeURIComponent(search)}`}`;
}

function initialTeam(me: Me): number {
  const stored = Number(window.localStorage.getItem(TEAM_KEY));
  return me.teams.some((team) => team.id === stored) ? stored : (me.teams[0]?.id ?? 0);
}

interface Props {
  me: Me;
  onLogout: () => Promise<void>;
  /** Fetch the user's teams again (after one was created). */
  onTeamsChanged: () => Promise<void>;
}

export function GraphListPage({ me, onLogout, onTeamsChanged }: Props) {
  const [teamId, setTeamId] = useState(() => initialTeam(me));
  const [search, setSearch] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const team = me.teams.find((t) => t.id === teamId);
  const needle = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const graphs = usePagedList<GraphSummary>(graphsUrl(teamId, needle), null, setError);

  useEffect(() => {
    window.localStorage.setItem(TEAM_KEY, String(teamId));
  }, [teamId]);

  /** Create/import/fork all answer the new graph: open it in the editor. */
  const opened = async (pending: Promise<Result<GraphDetail>>) => {
    const result = await pending;
    if (result.ok) {
      navigate(`/graphs/${result.value.id}`);
    } else {
      setError(errorText(result.error));
      setProblems(result.error.problems ?? null);
    }
  };

  const canEdit = team !== undefined && team.role !== "viewer";
  return (
    <div className="page">
      <header className="topbar">
        <span className="brand">Octograph</span>
        <label className="team-select">
          Team
          <select aria-label="Team" value={teamId} onChange={(e) => setTeamId(Number(e.target.value))}>
            {me.teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} ({t.role})
              </option>
            ))}
          </select>
        </label>
        <NewTeamForm
          onCreated={async (created) => {
            await onTeamsChanged();
            setTeamId(created.id);
          }}
        />
        <span className="spacer" />
        <UserMenu username={me.username} onLogout={onLogout} />
      </header>
      <main className="list-main">
        <div className="list-actions">
          <input
            type="search"
            className="search"
            placeholder="Search graphs"
            aria-label="Search graphs"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          {canEdit && <CreateGraphBar teamId={teamId} onCreate={opened} />}
        </div>
        {error !== null && (
          <p className="error" role="alert">
            {error} <button className="link" onClick={() => setError(null)}>Dismiss</button>
          </p>
        )}
        {problems !== null && problems.length > 0 && (
          <ProblemsPanel problems={problems} heading="The graph was not created" onDismiss={() => setProblems(null)} />
        )}
        {graphs.items === null ? (
          <p className="muted">Loading…</p>
        ) : (
          <>
            <GraphTable
              graphs={graphs.items}
              forkTeams={me.teams.filter((t) => t.role !== "viewer")}
              onFork={(graph, into) => void opened(api.forkGraph(graph.id, into, `${graph.name} (fork)`))}
              emptyText={needle === "" ? "No graphs here yet." : `No graph matches “${needle}”.`}
            />
            <LoadMore list={graphs} what="more graphs" />
          </>
        )}
      </main>
    </div>
  );
}
