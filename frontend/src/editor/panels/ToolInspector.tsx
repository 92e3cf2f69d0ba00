import type { FlowNode } from "../../graph/flow";
import { schemaDefault } from "../../graph/nodeKinds";
import type { HttpMethod, ToolArgument, ToolArgumentType, ToolConfig, WebhookConfig } from "../../graph/spec";
import { HTTP_METHODS, TOOL_ARGUMENT_TYPES } from "../../graph/spec";
import {
  addArgument,
  builtinTool,
  builtinTools,
  headersFromText,
  headersToText,
  isWebhook,
  removeArgument,
  switchBackend,
  toolSignature,
  updateArgument,
} from "../../graph/tools";
import { useEditor } from "../../store/editor";
import { Field, NumberField, TextField } from "../../ui/fields";
import { ExecutionForm } from "./ExecutionForm";

type ToolNode = Extract<FlowNode, { type: "tool" }>;

/** A tool node's settings: a built-in function, or a webhook with its own argument schema. */
export function ToolInspector({ node, readOnly }: { node: ToolNode; readOnly: boolean }) {
  const update = useEditor((s) => s.updateConfig);
  const config = node.data.config;
  const set = (patch: Partial<ToolConfig>) => update(node.id, "tool", patch);
  const webhook = isWebhook(config);
  return (
    <div className="inspector-form">
      <Field label="Backend" hint="Built-ins run offline; a webhook calls your own service.">
        <select
          value={webhook ? "webhook" : "builtin"}
          disabled={readOnly}
          onChange={(e) => set(switchBackend(config, e.target.value === "webhook"))}
        >
          <option value="builtin">built-in function</option>
          <option value="webhook">webhook</option>
        </select>
      </Field>
      {webhook ? (
        <WebhookForm config={config} readOnly={readOnly} onChange={set} />
      ) : (
        <Field label="Function" hint={builtinTool(config.function)?.summary}>
          <select value={config.function} disabled={readOnly} onChange={(e) => set({ function: e.target.value })}>
            {builtinTools().map((tool) => (
              <option key={tool.name} value={tool.name}>
                {tool.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <p className="muted small tool-signature">{toolSignature(config)}</p>
      <p className="muted small">
        A functional-token router fills the arguments in its call, <code>{"<nexa_k>('…', '…')"}</code>; other nodes send
        a JSON object, or the text as the one argument.
      </p>
      <ExecutionForm kind="tool" config={config} readOnly={readOnly} onChange={set} />
    </div>
  );
}

interface WebhookFormProps {
  config: ToolConfig;
  readOnly: boolean;
  onChange: (patch: Partial<ToolConfig>) => void;
}

function WebhookForm({ config, readOnly, onChange }: WebhookFormProps) {
  const hook: WebhookConfig = config.webhook ?? { url: "" };
  const setHook = (patch: Partial<WebhookConfig>) => onChange({ webhook: { ...hook, ...patch } });
  const args = config.arguments ?? [];
  const setArgs = (next: ToolArgument[]) => onChange({ arguments: next });
  return (
    <>
      <TextField
        label="Function name"
        value={config.function}
        placeholder="e.g. search_products"
        disabled={readOnly}
        onChange={(name) => onChange({ function: name })}
      />
      <TextField
        label="Description"
        value={config.description}
        placeholder="What it does (routers are trained on it)"
        disabled={readOnly}
        onChange={(description) => onChange({ description: description === "" ? undefined : description })}
      />
      <TextField label="URL" value={hook.url} placeholder="https://…" disabled={readOnly} onChange={(url) => setHook({ url })} />
      <div className="field-row">
        <Field label="Method">
          <select
            value={hook.method ?? (schemaDefault("tool", ["webhook", "method"]) as HttpMethod)}
            disabled={readOnly}
            onChange={(e) => setHook({ method: e.target.value as HttpMethod })}
          >
            {HTTP_METHODS.map((method) => (
              <option key={method} value={method}>
                {method}
              </option>
            ))}
          </select>
        </Field>
        <NumberField
          label="Max response chars"
          value={hook.max_response_chars}
          placeholder={schemaDefault("tool", ["webhook", "max_response_chars"]) as number}
          min={1}
          disabled={readOnly}
          onChange={(max_response_chars) => setHook({ max_response_chars })}
        />
      </div>
      <TextField
        label="Headers from environment"
        multiline
        value={headersToText(hook.headers_from_env)}
        placeholder="Authorization: OCTOGRAPH_TOOL_SECRET_SHOP"
        hint="One `Header: ENV_VARIABLE` per line: the server reads each value from that variable; secrets never go in the graph."
        disabled={readOnly}
        onChange={(text) => {
          const headers = headersFromText(text);
          setHook({ headers_from_env: Object.keys(headers).length > 0 ? headers : undefined });
        }}
      />
      <div className="field">
        <span className="field-label">Arguments</span>
        <ArgumentList args={args} readOnly={readOnly} onChange={setArgs} />
      </div>
    </>
  );
}

function ArgumentList({
  args,
  readOnly,
  onChange,
}: {
  args: readonly ToolArgument[];
  readOnly: boolean;
  onChange: (next: ToolArgument[]) => void;
}) {
  return (
    <>
      <ul className="tool-arguments" aria-label="Arguments">
        {args.map((arg, index) => (
          <li key={index} className="tool-argument">
            <input
              aria-label={`Argument ${index + 1} name`}
              value={arg.name}
              disabled={readOnly}
              onChange={(e) => onChange(updateArgument(args, index, { name: e.target.value }))}
            />
            <select
              aria-label={`Argument ${index + 1} type`}
              value={arg.type ?? "string"}
              disabled={readOnly}
              onChange={(e) => onChange(updateArgument(args, index, { type: e.target.value as ToolArgumentType }))}
            >
              {TOOL_ARGUMENT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
            <label className="small" title="Calls must give it">
              <input
                type="checkbox"
                checked={arg.required !== false}
                disabled={readOnly}
                onChange={(e) => onChange(updateArgument(args, index, { required: e.target.checked ? undefined : false }))}
              />{" "}
              required
            </label>
            <button
              className="icon"
              aria-label={`Remove argument ${arg.name}`}
              disabled={readOnly}
              onClick={() => onChange(removeArgument(args, index))}
            >
              ×
            </button>
            <input
              className="tool-argument-description"
              aria-label={`Argument ${index + 1} description`}
              value={arg.description ?? ""}
              placeholder="What to fill in"
              disabled={readOnly}
              onChange={(e) => onChange(updateArgument(args, index, { description: e.target.value || undefined }))}
            />
          </li>
        ))}
      </ul>
      <button disabled={readOnly} onClick={() => onChange(addArgument(args))}>
        Add argument
      </button>
    </>
  );
}
