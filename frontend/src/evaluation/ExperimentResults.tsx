import { useCallback, useMemo, useState } from "react";

import type { Experiment, RowFilter } from "../api/types";
import type { GraphSpec } from "../graph/spec";
import { EChart } from "./EChart";
import { isExperimentFinished, scorerNames } from "./experiments";
import { formatCount } from "./format";
import { ExperimentRows } from "./ExperimentRows";
import { MetricsTable } from "./MetricsTable";
import { nodeLatencyHeight, nodeLatencyOption } from "./options";
import { RouterSection } from "./RouterSection";

interface Props {
  experiment: Experiment;
  /** The spec of the version it ran (null while it loads): routers' targets in graph order. */
  spec: GraphSpec | null;
  onClose: () => void;
}

/** The results of one experiment: metrics, per-node latency, each router's report, the rows. */
export function ExperimentResults({ experiment, spec, onClose }: Props) {
  const [filter, setFilter] = useState<RowFilter>({});
  const summary = experiment.summary ?? {};
  const nodes = summary.nodes;
  const nodeOption = useMemo(() => (nodes === undefined ? null : nodeLatencyOption(nodes)), [nodes]);
  const routers = Object.entries(summary.routers ?? {});
  const showCell = useCallback((router: string, expected: string, chosen: string) => {
    setFilter({ router, expected, chosen });
    document.getElementById("experiment-rows")?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, []);
  const finished = isExperimentFinished(experiment);
  // While it runs, the rows are refetched as rows finish; once finished, once more.
  const rowsVersion = finished ? `done-${experiment.revision}` : String(Math.floor(experiment.done / 25));
  return (
    <section className="eval-card eval-results" aria-label={`Results of experiment ${experiment.id}`} data-testid="experiment-results">
      <div className="eval-head">
        <h2>
          Experiment {experiment.id}: v{experiment.version} on {experiment.dataset.name}
        </h2>
        <span className={`run-status run-${experiment.status}`}>{experiment.status}</span>
        <span className="spacer" />
        <button onClick={onClose}>Close results</button>
      </div>
      <p className="muted small">
        {experiment.sample === null ? "all rows" : `a sample of ${formatCount(experiment.sample)} rows`}
        {experiment.seed !== null && ` · seed ${experiment.seed}`} · scorers {scorerNames(experiment).join(", ")}
        {experiment.routing_only && " · routing only"} · concurrency {formatCount(experiment.concurrency)}
        {experiment.created_by !== null && ` · by ${experiment.created_by}`}
      </p>
      {experiment.error !== "" && <p className={experiment.status === "failed" ? "error small" : "muted small"}>{experiment.error}</p>}
      <div className="eval-results-top">
        <MetricsTable experiment={experiment} />
        {nodeOption !== null && nodes !== undefined && Object.keys(nodes).length > 0 && (
          <div className="eval-nodes">
            <h4>Latency per node</h4>
            <EChart option={nodeOption} height={nodeLatencyHeight(Object.keys(nodes).length)} label="Latency per node, p50 and p90" testId="node-latency" />
            {experiment.routing_only && (
              <p className="muted small" data-testid="routing-only-note">
                Routing-only runs stop once the routers decide: later nodes never ran.
              </p>
            )}
          </div>
        )}
      </div>
      {routers.map(([router, report]) => (
        <RouterSection
          key={router}
          router={router}
          report={report}
          spec={spec}
          selected={filter.router === router ? filter : null}
          onCell={(expected, chosen) => showCell(router, expected, chosen)}
        />
      ))}
      <ExperimentRows
        experiment={experiment.id}
        graph={experiment.graph}
        scorers={scorerNames(experiment)}
        routingOnly={experiment.routing_only}
        filter={filter}
        onFilter={setFilter}
        version={rowsVersion}
      />
    </section>
  );
}
