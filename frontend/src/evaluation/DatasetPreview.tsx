import { useEffect, useState } from "react";

import { errorText } from "../api/client";
import { evaluationApi } from "./api";
import type { Dataset, DatasetRowItem } from "../api/types";
import { formatCount, truncate } from "./format";
import { referenceParts } from "./rows";
import { DataTable } from "../ui/DataTable";

const PREVIEW_ROWS = 10;

/** The first rows of a dataset. */
export function DatasetPreview({ dataset, onClose }: { dataset: Dataset; onClose: () => void }) {
  const [rows, setRows] = useState<DatasetRowItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void evaluationApi.datasetRows(dataset.id, 0, PREVIEW_ROWS).then((result) => {
      if (!current) return;
      if (result.ok) setRows(result.value.rows);
      else setError(errorText(result.error));
    });
    return () => {
      current = false;
    };
  }, [dataset.id]);
  return (
    <section className="eval-preview" aria-label={`Preview of ${dataset.name}`}>
      <div className="eval-head">
        <strong>
          {dataset.name}: first {Math.min(PREVIEW_ROWS, dataset.row_count)} of {formatCount(dataset.row_count)} rows
        </strong>
        <button onClick={onClose}>Close preview</button>
      </div>
      {error !== null && <p className="error small">{error}</p>}
      {rows === null ? (
        error === null && <p className="muted small">Loading rows…</p>
      ) : (
        <DataTable className="eval-table" columns={["#", "input", "choices", "reference", "metadata"]}>
          {rows.map((row) => (
            <tr key={row.index}>
              <td>{row.index}</td>
              <td title={row.input}>{truncate(row.input, 160)}</td>
              <td>{row.choices?.map((choice, i) => `${String.fromCharCode(65 + i)}. ${choice}`).join(" ") ?? ""}</td>
              <td>{referenceParts(row).join(" · ")}</td>
              <td className="muted">{row.metadata === undefined ? "" : truncate(JSON.stringify(row.metadata), 80)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
