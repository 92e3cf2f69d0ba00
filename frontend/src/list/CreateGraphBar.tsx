import type { ChangeEvent } from "react";
import { useEffect, useRef, useState } from "react";

import type { Result } from "../api/client";
import { api } from "../api/endpoints";
import type { GraphDetail, Template } from "../api/types";
import { blankSpec } from "../graph/spec";
import { ProposerPicker } from "./ProposerPicker";

interface Props {
  teamId: number;
  onCreate: (pending: Promise<Result<GraphDetail>>) => Promise<void>;
}

/** New blank graph, new graph from a template (choosing its proposer models first when it takes
 *  some), or import of an exported spec file. */
export function CreateGraphBar({ teamId, onCreate }: Props) {
  const [templates, setTemplates] = useState<Template[]>([]);
  const [picking, setPicking] = useState<Template | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void api.templates().then((result) => {
      if (result.ok) setTemplates(result.value);
    });
  }, []);

  const fromTemplate = (event: ChangeEvent<HTMLSelectElement>) => {
    const template = templates.find((t) => t.name === event.target.value);
    event.target.value = "";
    if (template === undefined) return;
    if (template.options.includes("proposers")) setPicking(template);
    else void onCreate(api.createGraph({ team: teamId, template: template.name }));
  };

  const importFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file !== undefined) void onCreate(api.importGraph(teamId, file));
  };

  return (
    <div className="create-bar">
      <button
        className="primary"
        onClick={() => void onCreate(api.createGraph({ team: teamId, name: "Untitled graph", spec: blankSpec() }))}
      >
        New graph
      </button>
      <select aria-label="New from template" defaultValue="" onChange={fromTemplate}>
        <option value="" disabled>
          From template…
        </option>
        {templates.map((t) => (
          <option key={t.name} value={t.name} title={t.description}>
            {t.title}
          </option>
        ))}
      </select>
      <button onClick={() => fileInput.current?.click()}>Import JSON</button>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        hidden
        aria-label="Import JSON file"
        onChange={importFile}
      />
      {picking !== null && (
        <ProposerPicker
          teamId={teamId}
          template={picking}
          onCancel={() => setPicking(null)}
          onCreate={(proposers) => {
            setPicking(null);
            void onCreate(api.createGraph({ team: teamId, template: picking.name, template_options: { proposers } }));
          }}
        />
      )}
    </div>
  );
}
