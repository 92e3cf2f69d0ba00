import { useEffect, useState } from "react";

import { api } from "../api/endpoints";
import type { CatalogModel, Template } from "../api/types";
import { chatModelsOfTeam } from "../models/modelGroups";

interface Props {
  teamId: number;
  template: Template;
  onCreate: (proposers: string[]) => void;
  onCancel: () => void;
}

/** Choose the proposer models of a template that takes `proposers` (moa-mixed): the team's
 *  chat models, checked at first as the server's default (the template's own models and every
 *  endpoint of the team). */
export function ProposerPicker({ teamId, template, onCreate, onCancel }: Props) {
  const [models, setModels] = useState<CatalogModel[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);

  useEffect(() => {
    void api.models().then((result) => {
      const usable = result.ok ? chatModelsOfTeam(result.value, teamId) : [];
      const inTemplate = new Set(template.spec.nodes.flatMap((node) => (node.kind === "model" ? [node.config.model] : [])));
      setModels(usable);
      setChosen(usable.filter((m) => m.team !== null || inTemplate.has(m.key)).map((m) => m.key));
    });
  }, [teamId, template]);

  const toggle = (key: string, on: boolean) =>
    setChosen((keys) => (on ? [...keys, key] : keys.filter((k) => k !== key)));

  return (
    <fieldset className="proposer-picker" aria-label="Proposer models">
      <legend>{template.title}: proposer models</legend>
      {models === null ? (
        <span className="muted">Loading models…</span>
      ) : (
        models.map((model) => (
          <label key={model.key}>
            <input
              type="checkbox"
              checked={chosen.includes(model.key)}
              onChange={(e) => toggle(model.key, e.target.checked)}
            />
            {model.display_name}
            <span className="muted"> ({model.team === null ? "built-in" : "endpoint"})</span>
          </label>
        ))
      )}
      <button
        className="primary"
        disabled={chosen.length === 0}
        // In the catalog's order, so the graph's proposers read as the list does.
        onClick={() => onCreate((models ?? []).map((m) => m.key).filter((key) => chosen.includes(key)))}
      >
        Create
      </button>
      <button onClick={onCancel}>Cancel</button>
    </fieldset>
  );
}
