import { useState } from "react";

import { errorText } from "../api/client";
import type { Result } from "../api/client";
import { evaluationApi } from "./api";
import type { BuiltinDataset, Dataset } from "../api/types";
import { formatCount } from "./format";

interface Props {
  team: number;
  graph: number;
  graphName: string;
  builtins: readonly BuiltinDataset[];
  disabled: boolean;
  onCreated: (dataset: Dataset) => void;
}

/** The other ways to a dataset: a built-in one, or this graph's past runs. */
export function AddDataset({ team, graph, graphName, builtins, disabled, onCreated }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [runsName, setRunsName] = useState("");
  const [limit, setLimit] = useState("");

  const create = async (call: () => Promise<Result<Dataset>>) => {
    setBusy(true);
    setError(null);
    const result = await call();
    setBusy(false);
    if (result.ok) onCreated(result.value);
    else setError(errorText(result.error));
  };

  const limitValue = limit === "" ? undefined : Number(limit);
  const fromRunsName = runsName.trim() === "" ? `${graphName} runs` : runsName.trim();
  return (
    <div className="eval-add">
      <div className="eval-builtins" aria-label="Built-in datasets">
        {builtins.map((builtin) => (
          <button
            key={builtin.name}
            disabled={disabled || busy}
            title={`${builtin.description}\nLicence: ${builtin.licence}`}
            onClick={() => void create(() => evaluationApi.addBuiltinDataset(team, builtin.name))}
          >
            Add {builtin.title} ({formatCount(builtin.rows)} rows)
          </button>
        ))}
      </div>
      <div className="eval-from-runs" role="group" aria-label="A dataset from this graph's runs">
        <label className="field">
          <span className="field-label">Name</span>
          <input
            aria-label="Name of the dataset from runs"
            placeholder={`${graphName} runs`}
            title={`Default: ${graphName} runs`}
            value={runsName}
            disabled={disabled}
            onChange={(e) => setRunsName(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Rows</span>
          <input
            type="number"
            min={1}
            aria-label="How many recent runs"
            placeholder="all"
            title="The most recent completed runs to take; empty for all of them"
            value={limit}
            disabled={disabled}
            onChange={(e) => setLimit(e.target.value)}
          />
        </label>
        <button
          disabled={disabled || busy}
          title="Inputs of this graph's completed runs, each run's output as the expected answer"
          onClick={() => void create(() => evaluationApi.datasetFromRuns(team, fromRunsName, graph, limitValue))}
        >
          From this graph's runs
        </button>
      </div>
      {error !== null && <p className="error small" role="alert">{error}</p>}
    </div>
  );
}
