import type { AdapterChoice } from "../api/types";
import { Field } from "../ui/fields";
import { adapterHint, adapterLabel, builtinAdapterLabel, groupAdapters } from "./training";

interface Props {
  adapters: AdapterChoice[];
  graph: number;
  router: string;
  value: string | null | undefined;
  disabled: boolean;
  onChange: (name: string) => void;
}

/** The router adapters to pick from: the team's trained ones (those trained for this router
 *  first), then the built-in ones shipped with Octograph, with their validation figures. An
 *  adapter named otherwise (a folder path) is typed in the Adapter field instead. */
export function AdapterSelect({ adapters, graph, router, value, disabled, onChange }: Props) {
  const groups = groupAdapters(adapters, graph, router);
  const names = [...groups.trained, ...groups.builtin].map((adapter) => adapter.name);
  const selected = names.find((name) => name === value) ?? "";
  return (
    <Field label="Router adapter" hint={adapterHint(groups, value)}>
      <select value={selected} disabled={disabled || names.length === 0} onChange={(e) => onChange(e.target.value)}>
        <option value="" disabled>
          {selected !== "" || value === undefined || value === null ? "Choose an adapter" : "Not a built-in or trained adapter"}
        </option>
        {groups.trained.length > 0 && (
          <optgroup label="Trained by the team">
            {groups.trained.map((adapter) => (
              <option key={adapter.id} value={adapter.name}>
                {adapterLabel(adapter, graph, router)}
              </option>
            ))}
          </optgroup>
        )}
        {groups.builtin.length > 0 && (
          <optgroup label="Built-in">
            {groups.builtin.map((adapter) => (
              <option key={adapter.name} value={adapter.name}>
                {builtinAdapterLabel(adapter)}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </Field>
  );
}
