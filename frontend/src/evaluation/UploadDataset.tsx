import type { FormEvent } from "react";
import { useState } from "react";

import { errorText } from "../api/client";
import { evaluationApi } from "./api";
import type { Dataset } from "../api/types";
import { datasetProblems, problemsHeading } from "./rows";

interface Props {
  team: number;
  disabled: boolean;
  onCreated: (dataset: Dataset) => void;
}

/** Upload a JSONL or CSV file as a new dataset; a refused file lists every problem. */
export function UploadDataset({ team, disabled, onCreated }: Props) {
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  // A new key empties the file input after a successful upload.
  const [inputKey, setInputKey] = useState(0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (file === null) return;
    setBusy(true);
    setError(null);
    setProblems([]);
    const fallback = file.name.replace(/\.[^.]+$/, "");
    const result = await evaluationApi.uploadDataset(team, name.trim() === "" ? fallback : name.trim(), file);
    setBusy(false);
    if (result.ok) {
      onCreated(result.value);
      setName("");
      setFile(null);
      setInputKey((k) => k + 1);
      return;
    }
    setError(errorText(result.error));
    setProblems(datasetProblems(result.error));
  };

  return (
    <form className="eval-upload" onSubmit={(e) => void submit(e)} aria-label="Upload a dataset">
      <input
        aria-label="Dataset name"
        placeholder="Name (default: the file's)"
        value={name}
        disabled={disabled}
        onChange={(e) => setName(e.target.value)}
      />
      <input
        key={inputKey}
        type="file"
        accept=".jsonl,.ndjson,.csv"
        aria-label="Dataset file (JSONL or CSV)"
        data-testid="dataset-file"
        disabled={disabled}
        onChange={(e) => setFile(e.target.files?.[0] ?? null)}
      />
      <button type="submit" className="primary" disabled={disabled || busy || file === null}>
        Upload dataset
      </button>
      {error !== null && (
        <div className="eval-problems" role="alert">
          <p className="error small">{problemsHeading(error, problems.length)}</p>
          {problems.length > 0 && (
            <ul className="problems small" data-testid="dataset-problems">
              {problems.map((problem, i) => (
                <li key={i}>{problem}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
