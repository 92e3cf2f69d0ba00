/** One memoized component per node kind: dragging one node must not re-render the others. */
import type { NodeProps } from "@xyflow/react";
import { memo } from "react";

import type { FlowNode } from "../../graph/flow";
import { kindSummary } from "../../graph/nodeKinds";
import { isWebhook, toolSignature } from "../../graph/tools";
import { NodeFrame } from "./NodeFrame";

type PropsOf<K extends FlowNode["type"]> = NodeProps<Extract<FlowNode, { type: K }>>;

export const InputNode = memo(function InputNode({ id, data, selected }: PropsOf<"input">) {
  return <NodeFrame id={id} kind="input" label={data.label} selected={selected} />;
});

export const OutputNode = memo(function OutputNode({ id, data, selected }: PropsOf<"output">) {
  return <NodeFrame id={id} kind="output" label={data.label} selected={selected} />;
});

export const RouterNode = memo(function RouterNode({ id, data, selected }: PropsOf<"router">) {
  const imageWeight = data.config.image_weight ?? 0;
  return (
    <NodeFrame id={id} kind="router" label={data.label} selected={selected}>
      <div className="octo-node-detail">{data.config.model || "no model"}</div>
      <div className="octo-node-detail muted">
        {data.config.mode ?? "in-context"}
        {imageWeight > 0 && ` + image ${Math.round(imageWeight * 100)}%`}
      </div>
    </NodeFrame>
  );
});

export const ClipNode = memo(function ClipNode({ id, data, selected }: PropsOf<"clip">) {
  const labels = data.config.labels;
  return (
    <NodeFrame id={id} kind="clip" label={data.label} selected={selected}>
      <div className="octo-node-detail">{data.config.model || "no model"}</div>
      <div className="octo-node-detail muted ellipsis" title={labels.join(", ")}>
        {labels.length} labels: {labels.join(", ")}
      </div>
    </NodeFrame>
  );
});

export const ModelNode = memo(function ModelNode({ id, data, selected }: PropsOf<"model">) {
  const system = data.config.system ?? "";
  return (
    <NodeFrame id={id} kind="model" label={data.label} selected={selected}>
      <div className="octo-node-detail">{data.config.model || "no model"}</div>
      {system !== "" && <div className="octo-node-detail muted ellipsis">{system}</div>}
    </NodeFrame>
  );
});

export const ToolNode = memo(function ToolNode({ id, data, selected }: PropsOf<"tool">) {
  const signature = toolSignature(data.config);
  return (
    <NodeFrame id={id} kind="tool" label={data.label} selected={selected}>
      <div className="octo-node-detail ellipsis" title={signature}>
        {signature}
      </div>
      <div className="octo-node-detail muted ellipsis">
        {isWebhook(data.config) ? `webhook ${data.config.webhook?.method ?? "POST"}` : "built-in"}
      </div>
    </NodeFrame>
  );
});

/** A kind without a component of its own (registered outside graphs/nodes/): its summary. */
export const PluginNode = memo(function PluginNode({ id, type, data, selected }: NodeProps<FlowNode>) {
  return (
    <NodeFrame id={id} kind={type} label={data.label} selected={selected}>
      <div className="octo-node-detail muted ellipsis">{kindSummary(type)}</div>
    </NodeFrame>
  );
});
