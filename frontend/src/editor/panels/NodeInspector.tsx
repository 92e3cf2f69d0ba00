import type { CatalogModel } from "../../api/types";
import type { FlowNode } from "../../graph/flow";
import { splitModels } from "../../graph/clipModel";
import { isKnownKind, nodeKind, numberDefault, stringDefault } from "../../graph/nodeKinds";
import type { RouterMode } from "../../graph/spec";
import { ROUTER_MODES } from "../../graph/spec";
import { useEditor } from "../../store/editor";
import { AdapterSelect } from "../../training/AdapterSelect";
import { NodeRequests } from "../../runs/NodeRequests";
import { TrainRouterSection } from "../../training/TrainRouterSection";
import { useRouterAdapters } from "../../training/useRouterAdapters";
import { useTraining } from "../../training/useTraining";
import { Field, NumberField, TextField } from "../../ui/fields";
import { ClipForm } from "./ClipForm";
import { ExecutionForm } from "./ExecutionForm";
import { ModelSelect } from "./ModelSelect";
import { SchemaForm } from "./SchemaForm";

/** Kinds whose settings have a hand-written form (here, ClipForm or ToolInspector); the others
 *  get one generated from their config's JSON Schema. */
const CUSTOM_FORMS: ReadonlySet<string> = new Set(["input", "output", "router", "model", "clip", "tool"]);

interface Props {
  node: FlowNode;
  models: CatalogModel[];
  readOnly: boolean;
}

export function NodeInspector({ node, models, readOnly }: Props) {
  const updateLabel = useEditor((s) => s.updateLabel);
  const { clip: clipModels, text: textModels } = splitModels(models);
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
      {node.type === "router" && <RouterForm node={node} models={textModels} clipModels={clipModels} readOnly={readOnly} />}
      {node.type === "model" && <ModelForm node={node} models={textModels} readOnly={readOnly} />}
      {node.type === "clip" && (
        <ClipForm key={node.id} node={node} models={clipModels} readOnly={readOnly} />
      )}
      {!CUSTOM_FORMS.has(node.type) && isKnownKind(node.type) && <SchemaForm node={node} readOnly={readOnly} />}
      {(node.type === "input" || node.type === "output") && (
        <p className="muted small">
          {node.type === "input" ? "The run supplies the query." : "Shows the run's answer."} No settings.
        </p>
      )}
      {(node.type === "model" || node.type === "router") && <NodeRequests id={node.id} />}
    </div>
  );
}

type RouterNode = Extract<FlowNode, { type: "router" }>;
type ModelNode = Extract<FlowNode, { type: "model" }>;

function RouterForm({
  node,
  models,
  clipModels,
  readOnly,
}: {
  node: RouterNode;
  models: CatalogModel[];
  clipModels: CatalogModel[];
  readOnly: boolean;
}) {
  const update = useEditor((s) => s.updateConfig);
  const config = node.data.config;
  const set = (patch: Partial<RouterNode["data"]["config"]>) => update(node.id, "router", patch);
  const mode = config.mode ?? (stringDefault("router", "mode") as RouterMode);
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
          placeholder={numberDefault("router", "rewrite_tokens")}
          min={0}
          disabled={readOnly}
          onChange={(rewrite_tokens) => set({ rewrite_tokens })}
        />
      )}
      <p className="muted small">Select an outgoing edge to edit its token, description and examples.</p>
      <ImageRoutingForm config={config} clipModels={clipModels} readOnly={readOnly} onChange={set} />
      <ExecutionForm kind="router" config={config} readOnly={readOnly} onChange={set} />
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
        <NumberField label="Temperature" value={config.temperature} placeholder={numberDefault("model", "temperature")} step={0.1} min={0} max={2} disabled={readOnly} onChange={(temperature) => set({ temperature })} />
        <NumberField label="Top p" value={config.top_p} placeholder={numberDefault("model", "top_p")} step={0.05} min={0} max={1} disabled={readOnly} onChange={(top_p) => set({ top_p })} />
      </div>
      <div className="field-row">
        <NumberField label="Max tokens" value={config.max_tokens} placeholder={numberDefault("model", "max_tokens")} min={1} max={8192} disabled={readOnly} onChange={(max_tokens) => set({ max_tokens })} />
        <NumberField label="Seed" value={config.seed} disabled={readOnly} onChange={(seed) => set({ seed })} />
      </div>
      <ExecutionForm kind="model" config={config} readOnly={readOnly} onChange={set} />
    </>
  );
}

/** Image-aware routing: CLIP's probabilities of the run's image over the edge descriptions,
 *  weighed against the text decision. */
function ImageRoutingForm({
  config,
  clipModels,
  readOnly,
  onChange,
}: {
  config: RouterNode["data"]["config"];
  clipModels: CatalogModel[];
  readOnly: boolean;
  onChange: (patch: Partial<RouterNode["data"]["config"]>) => void;
}) {
  const weight = config.image_weight ?? 0;
  return (
    <details className="advanced" open={weight > 0}>
      <summary>Image-aware routing</summary>
      <NumberField
        label="Image weight (0 text only, 1 image only)"
        value={config.image_weight}
        placeholder={0}
        step={0.1}
        min={0}
        max={1}
        disabled={readOnly}
        onChange={(image_weight) =>
          onChange(
            image_weight !== undefined && image_weight > 0 && !config.image_model
              ? { image_weight, image_model: clipModels[0]?.key ?? String(nodeKind("clip")?.new_config.model) }
              : { image_weight },
          )
        }
      />
      {weight > 0 && (
        <ModelSelect
          label="Image model (CLIP)"
          models={clipModels}
          value={config.image_model ?? ""}
          disabled={readOnly}
          onChange={(image_model) => onChange({ image_model })}
        />
      )}
    </details>
  );
}
