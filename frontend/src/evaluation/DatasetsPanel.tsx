import { useState } from "react";

import { errorText } from "../api/client";
import { evaluationApi } from "./api";
import type { BuiltinDataset, Dataset } from "../api/types";
import { AddDataset } from "./AddDataset";
import { DatasetPreview } from "./DatasetPreview";
import { formatCount } from "./format";
import { UploadDataset } from "./UploadDataset";
import { DataTable } from "../ui/DataTable";

interface Props {
  team: number;
  graph: number;
  graphName: string;
  canEdit: boolean;
  datasets: readonly Dataset[];
  builtins: readonly BuiltinDataset[];
  onCreated: (dataset: Dataset) => void;
  onDeleted: (id: number) => void;
}

function sourceText(dataset: Dataset): string {
  if (dataset.source === "builtin") return `built-in ${dataset.builtin}`;
  if (dataset.source === "runs") return "past runs";
  return dataset.filename === "" ? "upload" : dataset.filename;
}

/** The team's datasets: list, preview, delete, and the ways to add one. */
export function DatasetsPanel({ team, graph, graphName, canEdit, datasets, builtins, onCreated, onDeleted }: Props) {
  const [previewed, setPreviewed] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const preview = datasets.find((dataset) => dataset.id === previewed);

  const remove = async (dataset: Dataset) => {
    if (!window.confirm(`Delete dataset ${dataset.name}?`)) return;
    setError(null);
    const result = await evaluationApi.deleteDataset(dataset.id);
    if (result.ok) onDeleted(dataset.id);
    else setError(errorText(result.error));
  };

  return (
    <section className="eval-card" aria-label="Datasets">
      <h2>Datasets</h2>
      {datasets.length === 0 ? (
        <p className="muted small">No datasets in this team yet: upload one, or add a built-in one.</p>
      ) : (
        <DataTable className="eval-table" data-testid="datasets" columns={["name", "rows", "fields", "source", { ariaLabel: "Actions" }]}>
          {datasets.map((dataset) => (
            <tr key={dataset.id} className={dataset.id === previewed ? "active" : undefined}>
              <td title={dataset.description}>{dataset.name}</td>
              <td>{formatCount(dataset.row_count)}</td>
              <td>
                {dataset.fields.map((field) => (
                  <span key={field} className="tag">{field}</span>
                ))}
              </td>
              <td className="muted small">{sourceText(dataset)}</td>
              <td className="eval-actions">
                <button onClick={() => setPreviewed(previewed === dataset.id ? null : dataset.id)} aria-label={`Preview ${dataset.name}`}>
                  Preview
                </button>
                {canEdit && (
                  <button onClick={() => void remove(dataset)} aria-label={`Delete ${dataset.name}`}>
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {error !== null && <p className="error small" role="alert">{error}</p>}
      {preview !== undefined && <DatasetPreview key={preview.id} dataset={preview} onClose={() => setPreviewed(null)} />}
      {canEdit ? (
        <>
          <h3>Add a dataset</h3>
          <UploadDataset team={team} disabled={false} onCreated={onCreated} />
          <p className="muted small">
            JSONL or CSV; each row an <code>input</code>, with <code>expected</code>, <code>choices</code> +{" "}
            <code>answer</code>, <code>route</code>, <code>images</code> or <code>metadata</code> as needed.
          </p>
          <AddDataset team={team} graph={graph} graphName={graphName} builtins={builtins} disabled={false} onCreated={onCreated} />
        </>
      ) : (
        <p className="muted small">Viewers read datasets; editors add them.</p>
      )}
    </section>
  );
}
