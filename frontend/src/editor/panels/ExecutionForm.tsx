/** The settings every model-calling kind shares: its time limit and retry budget, with the kind's
 *  own defaults (and, for tools, its shorter time limit) from the server. */
import { numberDefault, numberFact } from "../../graph/nodeKinds";
import type { ExecutionSettings, NodeKind } from "../../graph/spec";
import { NumberField } from "../../ui/fields";

/** graphs/nodes/attempt_config.py: one attempt may take at most an hour; at most 5 retries. */
const MAX_TIMEOUT_S = 3600;
const MAX_RETRIES = 5;

export function ExecutionForm({
  kind,
  config,
  readOnly,
  onChange,
}: {
  kind: NodeKind;
  config: ExecutionSettings;
  readOnly: boolean;
  onChange: (patch: ExecutionSettings) => void;
}) {
  return (
    <details className="advanced">
      <summary>Execution</summary>
      <div className="field-row">
        <NumberField label="Timeout (s)" value={config.timeout_s} placeholder={numberDefault(kind, "timeout_s")} min={1} max={numberFact(kind, "max_timeout_s") ?? MAX_TIMEOUT_S} disabled={readOnly} onChange={(timeout_s) => onChange({ timeout_s })} />
        <NumberField label="Retries" value={config.retries} placeholder={numberDefault(kind, "retries")} min={0} max={MAX_RETRIES} disabled={readOnly} onChange={(retries) => onChange({ retries })} />
      </div>
    </details>
  );
}
