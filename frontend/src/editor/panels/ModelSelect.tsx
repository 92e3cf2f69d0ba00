import type { CatalogModel } from "../../api/types";
import { groupModels } from "../../models/modelGroups";
import { Field } from "../../ui/fields";

interface Props {
  /** The field's label (default "Model"). */
  label?: string;
  models: CatalogModel[];
  value: string;
  disabled: boolean;
  onChange: (key: string) => void;
}

/** The catalog's models grouped (Built-in, then each team's endpoints); a key the catalog does
 *  not list (yet) stays selectable and says so. */
export function ModelSelect({ label = "Model", models, value, disabled, onChange }: Props) {
  const known = models.some((model) => model.key === value);
  return (
    <Field label={label}>
      <select value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        {!known && <option value={value}>{value === "" ? "Choose a model" : `${value} (not in the catalog)`}</option>}
        {groupModels(models).map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.models.map((model) => (
              <option key={model.key} value={model.key} title={model.unavailable_reason ?? undefined}>
                {model.display_name}
                {model.available ? "" : " (unavailable)"}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </Field>
  );
}
