import type { RouterAdapter } from "../api/types";
import { Field } from "../ui/fields";
import { adapterLabel, orderAdapters } from "./training";

interface Props {
  adapters: RouterAdapter[];
  graph: number;
  router: string;
  value: string | null | undefined;
  disabled: boolean;
  onChange: (name: string) => void;
}

/** The team's trained router adapters, those trained for this router first. An adapter named
 *  otherwise (a packaged one, a folder path) is typed in the Adapter field instead. */
export function AdapterSelect({ adapters, graph, router, value, disabled, onChange }: Props) {
  const ordered = orderAdapters(adapters, graph, router);
  const selected = ordered.find((adapter) => adapter.name === value)?.name ?? "";
  return (
    <Field label="Trained adapter" hint={ordered.length === 0 ? "None trained yet: train this router below." : undefined}>
      <select value={selected} disabled={disabled || ordered.length === 0} onChange={(e) => onChange(e.target.value)}>
        <option value="" disabled>
          {selected !== "" || value === undefined || value === null ? "Choose a trained adapter" : "Not one of the team's trained adapters"}
        </option>
        {ordered.map((adapter) => (
          <option key={adapter.id} value={adapter.name}>
            {adapterLabel(adapter, graph, router)}
          </option>
        ))}
      </select>
    </Field>
  );
}
