import type { FormEvent } from "react";
import { useState } from "react";

import { errorText } from "../api/client";
import { evaluationApi } from "./api";
import type { Dataset, Experiment, ScorerInfo, StartExperimentBody, VersionSummary } from "../api/types";
import { sampleCaption } from "./format";
import type { ScorerOptions } from "./scorers";
import { initialScorers, optionsHint, parseScorerOptions, routingOnlyDefault, scorerPayload, scorerTitle, usableScorers } from "./scorers";

interface Props {
  graph: number;
  versions: readonly VersionSummary[];
  datasets: readonly Dataset[];
  scorers: readonly ScorerInfo[];
  canEdit: boolean;
  onStarted: (experiment: Experiment) => void;
}

const optionalNumber = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text));

/** The form that starts an experiment: one graph version x one dataset (or a seeded sample of
 *  it), with the scorers chosen. */
export function StartExperiment({ graph, versions, datasets, scorers, canEdit, onStarted }: Props) {
  const latest = versions.reduce((max, version) => Math.max(max, version.number), 0);
  const [datasetId, setDatasetId] = useState<number | null>(null);
  const dataset = datasets.find((d) => d.id === datasetId) ?? datasets[0];
  const [version, setVersion] = useState<number | null>(null);
  const [sample, setSample] = useState("");
  const [seed, setSeed] = useState("");
  const [concurrency, setConcurrency] = useState("");
  // null: the dataset's defaults (and "routing only" as they imply) until the user changes them.
  const [ticked, setTicked] = useState<string[] | null>(null);
  const [routingOnly, setRoutingOnly] = useState<boolean | null>(null);
  const [optionTexts, setOptionTexts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (dataset === undefined) {
    return (
      <section className="eval-card" aria-label="Start an experiment">
        <h2>Start an experiment</h2>
        <p className="muted small">Add a dataset first.</p>
      </section>
    );
  }
  const fields = dataset.fields;
  const usable = usableScorers(fields, scorers);
  const chosen = (ticked ?? initialScorers(fields, scorers)).filter((name) => usable.has(name));
  const onlyRouting = routingOnly ?? routingOnlyDefault(chosen, scorers);
  const sampleValue = optionalNumber(sample);
  const parsed = chosen.map((name) => ({ name, parsed: parseScorerOptions(optionTexts[name] ?? "") }));
  const badOptions = parsed.find((p) => !p.parsed.ok);

  const pickDataset = (id: number) => {
    setDatasetId(id);
    setTicked(null);
    setRoutingOnly(null);
  };
  const toggle = (name: string) => {
    setTicked(chosen.includes(name) ? chosen.filter((n) => n !== name) : [...chosen, name]);
    setRoutingOnly(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (badOptions !== undefined) return;
    const body: StartExperimentBody = {
      dataset: dataset.id,
      version: version ?? latest,
      scorers: parsed.map(({ name, parsed: p }) => scorerPayload(name, p.ok ? p.options : ({} as ScorerOptions))),
      routing_only: onlyRouting,
    };
    if (sampleValue !== undefined) body.sample = sampleValue;
    const seedValue = optionalNumber(seed);
    if (seedValue !== undefined) body.seed = seedValue;
    const concurrencyValue = optionalNumber(concurrency);
    if (concurrencyValue !== undefined) body.concurrency = concurrencyValue;
    setBusy(true);
    setError(null);
    const result = await evaluationApi.startExperiment(graph, body);
    setBusy(false);
    if (result.ok) onStarted(result.value);
    else setError(errorText(result.error));
  };

  const disabled = !canEdit || busy;
  return (
    <section className="eval-card" aria-label="Start an experiment">
      <h2>Start an experiment</h2>
      <form className="eval-form" onSubmit={(e) => void submit(e)}>
        <div className="field-row">
          <label className="field">
            <span className="field-label">Dataset</span>
            <select value={dataset.id} onChange={(e) => pickDataset(Number(e.target.value))} disabled={disabled}>
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.row_count} rows)
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Graph version</span>
            <select value={version ?? latest} onChange={(e) => setVersion(Number(e.target.value))} disabled={disabled}>
              {[...versions]
                .sort((a, b) => b.number - a.number)
                .map((v) => (
                  <option key={v.number} value={v.number}>
                    v{v.number}
                    {v.number === latest ? " (latest)" : ""}
                    {v.message === "" ? "" : ` · ${v.message}`}
                  </option>
                ))}
            </select>
          </label>
        </div>
        <div className="field-row eval-three">
          <label className="field">
            <span className="field-label">Sample size</span>
            <input type="number" min={1} placeholder="all" value={sample} onChange={(e) => setSample(e.target.value)} disabled={disabled} />
            <span className="field-hint" data-testid="sample-caption">{sampleCaption(sampleValue, dataset.row_count)}</span>
          </label>
          <label className="field">
            <span className="field-label">Seed</span>
            <input type="number" placeholder="0" value={seed} onChange={(e) => setSeed(e.target.value)} disabled={disabled} />
          </label>
          <label className="field">
            <span className="field-label">Concurrency</span>
            <input type="number" min={1} placeholder="server default" value={concurrency} onChange={(e) => setConcurrency(e.target.value)} disabled={disabled} />
          </label>
        </div>
        <fieldset className="eval-scorers">
          <legend className="field-label">Scorers</legend>
          {scorers.map((scorer) => {
            const missing = !usable.has(scorer.name);
            const on = chosen.includes(scorer.name);
            return (
              <div key={scorer.name} className="eval-scorer" title={scorerTitle(scorer, fields, dataset.name)}>
                <label className={missing ? "muted" : undefined}>
                  <input type="checkbox" checked={on && !missing} disabled={disabled || missing} onChange={() => toggle(scorer.name)} />
                  {scorer.name}
                  {scorer.routing_only && <span className="tag">routing</span>}
                </label>
                {on && !missing && (
                  <input
                    className="eval-options"
                    aria-label={`Options of ${scorer.name}`}
                    placeholder={optionsHint(scorer.name)}
                    value={optionTexts[scorer.name] ?? ""}
                    disabled={disabled}
                    onChange={(e) => setOptionTexts((current) => ({ ...current, [scorer.name]: e.target.value }))}
                  />
                )}
              </div>
            );
          })}
        </fieldset>
        <label className="eval-check">
          <input type="checkbox" checked={onlyRouting} disabled={disabled} onChange={(e) => setRoutingOnly(e.target.checked)} />
          Routing only (stop each run once its routers decide)
        </label>
        {badOptions !== undefined && !badOptions.parsed.ok && (
          <p className="error small">
            Options of {badOptions.name}: {badOptions.parsed.error}
          </p>
        )}
        <div className="eval-actions">
          <button type="submit" className="primary" disabled={disabled || chosen.length === 0 || badOptions !== undefined || latest === 0}>
            Start experiment
          </button>
          {!canEdit && <span className="muted small">Starting experiments needs the editor role.</span>}
          {latest === 0 && <span className="muted small">Save the graph first: experiments run a saved version.</span>}
        </div>
        {error !== null && <p className="error small" role="alert">{error}</p>}
      </form>
    </section>
  );
}
