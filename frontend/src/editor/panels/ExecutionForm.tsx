/** The settings every model-calling kind shares: its time limit and retry budget. */
import type { ExecutionSettings } from "../../graph/spec";
import { EXECUTION_DEFAULTS } from "../../graph/spec";
import { NumberField } from "../../ui/fields";

export function ExecutionForm({
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
