import type { CatalogModel } from "../../api/types";
import type { FlowNode } from "../../graph/flow";
import type { ExecutionSettings, RouterMode } from "../../graph/spec";
import { EXECUTION_DEFAULTS, MODEL_DEFAULTS, ROUTER_DEFAULTS, ROUTER_MODES } from "../../graph/spec";
import { useEditor } from "../../store/editor";
import { AdapterSelect } from "../../training/AdapterSelect";
import { TrainRouterSection } from "../../training/TrainRouterSection";
import { useRouterAdapters } from "../../training/useRouterAdapters";
import { useTraining } from "../../training/useTraining";
import { Field, NumberField, TextField } from "../../ui/fields";
import { ModelSelect } from "./ModelSelect";

interface Props {
  node: FlowNode;
  models: CatalogModel[];
  readOnly: boolean;
}

export function NodeInspector({ node, models, readOnly }: Props) {
  const updateLabel = useEditor((s) => s.updateLabel);
  return (
    <div className="inspector-form">
      <Field label="Id">
        <input value={node.id} readOnly />
      </Field>
      <TextField
        label="Label"
        value={node.data.label}
        placeholder={node.id}
        disabled={readOnly}
        onChange={(label) => updateLabel(node.id, label)}
      />
      {node.type === "router" && <RouterForm node={node} models={models} readOnly={readOnly} />}
      {node.type === "model" && <ModelForm node={node} models={models} readOnly={readOnly} />}
      {(node.type === "input" || node.type === "output") && (
        <p className="muted small">
          {node.type === "input" ? "The run supplies the query." : "Shows the run's answer."} No settings.
        </p>
      )}
    </div>
  );
}

type RouterNode = Extract<FlowNode, { type: "router" }>;
type ModelNode = Extract<FlowNode, { type: "model" }>;

function RouterForm({ node, models, readOnly }: { node: RouterNode; models: CatalogModel[]; readOnly: boolean }) {
  const update = useEditor((s) => s.updateConfig);
  const config = node.data.config;
  const set = (patch: Partial<RouterNode["data"]["config"]>) => update(node.id, "router", patch);
  const mode = config.mode ?? ROUTER_DEFAULTS.mode;
  const graph = useEditor((s) => s.graph);
  return (
    <>
      <ModelSelect models={models} value={config.model} disabled={readOnly} onChange={(model) => set({ model })} />
      <Field label="Routing mode" hint={MODE_HELP[mode]}>
        <select value={mode} disabled={readOnly} onChange={(e) => set({ mode: e.target.value as RouterMode })}>
          {ROUTER_MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </Field>
      <TextField
        label="Adapter"
        value={config.adapter}
        placeholder={mode === "functional-token" ? "required: a trained router adapter" : "none"}
        disabled={readOnly}
        onChange={(adapter) => set({ adapter: adapter === "" ? undefined : adapter })}
      />
      {graph !== null && (
        <RouterTraining key={`${graph.id}:${node.id}`} node={node} graph={graph.id} team={graph.team} readOnly={readOnly} />
      )}
      {mode === "functional-token" && (
        <NumberField
          label="Rewrite tokens"
          value={config.rewrite_tokens}
          placeholder={ROUTER_DEFAULTS.rewrite_tokens}
          min={0}
          disabled={readOnly}
          onChange={(rewrite_tokens) => set({ rewrite_tokens })}
        />
      )}
      <p className="muted small">Select an outgoing edge to edit its token, description and examples.</p>
      <ExecutionForm config={config} readOnly={readOnly} onChange={set} />
    </>
  );
}

/** The team's trained adapters to pick from, and training this router. */
function RouterTraining({ node, graph, team, readOnly }: { node: RouterNode; graph: number; team: number; readOnly: boolean }) {
  const update = useEditor((s) => s.updateConfig);
  const version = useEditor((s) => s.baseVersion);
  const dirty = useEditor((s) => s.dirty);
  const training = useTraining(graph, node.id);
  const adapters = useRouterAdapters(team, training.training?.adapter?.id);
  const use = (adapter: string) => update(node.id, "router", { mode: "functional-token", adapter });
  return (
    <>
      <AdapterSelect
        adapters={adapters}
        graph={graph}
        router={node.id}
        value={node.data.config.adapter}
        disabled={readOnly}
        onChange={use}
      />
      <TrainRouterSection
        handle={training}
        version={version}
        dirty={dirty}
        canEdit={!readOnly}
        adapterInUse={node.data.config.adapter}
        onUseAdapter={use}
      />
    </>
  );
}

const MODE_HELP: Record<RouterMode, string> = {
  "in-context": "Lists every edge description in the prompt (up to 26 edges).",
  "functional-token": "A trained adapter emits one functional token per edge (Octopus v2/v4).",
  embedding: "Compares the query with each edge's description and examples.",
};

function ModelForm({ node, models, readOnly }: { node: ModelNode; models: CatalogModel[]; readOnly: boolean }) {
  const update = useEditor((s) => s.updateConfig);
  const config = node.data.config;
  const set = (patch: Partial<ModelNode["data"]["config"]>) => update(node.id, "model", patch);
  return (
    <>
      <ModelSelect models={models} value={config.model} disabled={readOnly} onChange={(model) => set({ model })} />
      <TextField
        label="System prompt"
        multiline
        value={config.system}
        disabled={readOnly}
        hint="With two or more model inputs, their answers are added to it (Mixture-of-Agents)."
        onChange={(system) => set({ system })}
      />
      <TextField
        label="Adapter"
        value={config.adapter}
        placeholder="none"
        disabled={readOnly}
        onChange={(adapter) => set({ adapter: adapter === "" ? undefined : adapter })}
      />
      <div className="field-row">
        <NumberField label="Temperature" value={config.temperature} placeholder={MODEL_DEFAULTS.temperature} step={0.1} min={0} max={2} disabled={readOnly} onChange={(temperature) => set({ temperature })} />
        <NumberField label="Top p" value={config.top_p} placeholder={MODEL_DEFAULTS.top_p} step={0.05} min={0} max={1} disabled={readOnly} onChange={(top_p) => set({ top_p })} />
      </div>
      <div className="field-row">
        <NumberField label="Max tokens" value={config.max_tokens} placeholder={MODEL_DEFAULTS.max_tokens} min={1} max={8192} disabled={readOnly} onChange={(max_tokens) => set({ max_tokens })} />
        <NumberField label="Seed" value={config.seed} disabled={readOnly} onChange={(seed) => set({ seed })} />
      </div>
      <ExecutionForm config={config} readOnly={readOnly} onChange={set} />
    </>
  );
}

function ExecutionForm({
  config,
  readOnly,
  onChange,
}: {
  config: ExecutionSettings;
  readOnly: boolean;
  onChange: (patch: ExecutionSettings) => void;
}) {
  return (
    <details className="advanced">
      <summary>Execution</summary>
      <div className="field-row">
        <NumberField label="Timeout (s)" value={config.timeout_s} placeholder={EXECUTION_DEFAULTS.timeout_s} min={1} max={3600} disabled={readOnly} onChange={(timeout_s) => onChange({ timeout_s })} />
        <NumberField label="Retries" value={config.retries} placeholder={EXECUTION_DEFAULTS.retries} min={0} max={5} disabled={readOnly} onChange={(retries) => onChange({ retries })} />
      </div>
    </details>
  );
}
