/** The clip node's settings: its CLIP model, the zero-shot labels (one per line), the prompt each
 *  label is written into, how many labels flow on, and which run image it looks at. */
import { useState } from "react";

import type { CatalogModel } from "../../api/types";
import type { FlowNode } from "../../graph/flow";
import { labelProblems, labelsDraft, labelsText, parseLabels } from "../../graph/clipModel";
import { numberDefault, numberFact, stringDefault } from "../../graph/nodeKinds";
import { useEditor } from "../../store/editor";
import { Field, NumberField, TextField } from "../../ui/fields";
import { ExecutionForm } from "./ExecutionForm";
import { ModelSelect } from "./ModelSelect";

type ClipNode = Extract<FlowNode, { type: "clip" }>;

export function ClipForm({ node, models, readOnly }: { node: ClipNode; models: CatalogModel[]; readOnly: boolean }) {
  const update = useEditor((s) => s.updateConfig);
  const config = node.data.config;
  const set = (patch: Partial<ClipNode["data"]["config"]>) => update(node.id, "clip", patch);
  // The text area keeps what is typed (a new, still empty line included); the config gets the
  // parsed labels.
  const [typed, setTyped] = useState(() => labelsText(config.labels));
  const draft = labelsDraft(typed, config.labels);
  const problems = labelProblems(config.labels, numberFact("clip", "max_labels") ?? Infinity);
  return (
    <>
      <ModelSelect label="CLIP model" models={models} value={config.model} disabled={readOnly} onChange={(model) => set({ model })} />
      <Field label="Labels (one per line)" hint={problems.length > 0 ? problems.join("; ") : `${config.labels.length} labels`}>
        <textarea
          rows={6}
          value={draft}
          disabled={readOnly}
          aria-invalid={problems.length > 0}
          onChange={(e) => {
            setTyped(e.target.value);
            set({ labels: parseLabels(e.target.value) });
          }}
        />
      </Field>
      <TextField
        label="Prompt per label"
        value={config.prompt}
        placeholder={stringDefault("clip", "prompt")}
        disabled={readOnly}
        hint="{label} is replaced by each label; CLIP matches captions better than bare words."
        onChange={(prompt) => set({ prompt: prompt === "" ? undefined : prompt })}
      />
      <div className="field-row">
        <NumberField label="Labels passed on" value={config.top_k} placeholder={numberDefault("clip", "top_k")} min={1} disabled={readOnly} onChange={(top_k) => set({ top_k })} />
        <NumberField label="Run image (0 = first)" value={config.image} placeholder={numberDefault("clip", "image")} min={0} max={3} disabled={readOnly} onChange={(image) => set({ image })} />
      </div>
      <ExecutionForm kind="clip" config={config} readOnly={readOnly} onChange={set} />
    </>
  );
}
