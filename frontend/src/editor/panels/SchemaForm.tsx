/** A node's settings as a form generated from its kind's config JSON Schema (../../graph/schemaForm.ts),
 *  for kinds without a hand-written inspector. A cleared field removes its key, so the server's
 *  default applies. */
import type { FlowNode } from "../../graph/flow";
import { nodeKind } from "../../graph/nodeKinds";
import type { FormField } from "../../graph/schemaForm";
import { formFields, jsonText, parseJsonText } from "../../graph/schemaForm";
import { useEditor } from "../../store/editor";
import { Field, NumberField, TextField } from "../../ui/fields";

export function SchemaForm({ node, readOnly }: { node: FlowNode; readOnly: boolean }) {
  const update = useEditor((s) => s.updateConfig);
  const schema = nodeKind(node.type)?.config_schema;
  if (schema === undefined) return null;
  // A generated form knows its kind only by name: its config is the JSON object the schema
  // describes, whatever the built-in kinds' types say.
  const config = node.data.config as Record<string, unknown>;
  const set = (key: string, value: unknown) => update(node.id, node.type, { [key]: value } as never);
  return (
    <div className="schema-form" aria-label="Settings">
      {formFields(schema).map((field) => (
        <SchemaField key={field.key} field={field} value={config[field.key]} readOnly={readOnly} onChange={(value) => set(field.key, value)} />
      ))}
    </div>
  );
}

interface FieldProps {
  field: FormField;
  value: unknown;
  readOnly: boolean;
  onChange: (value: unknown) => void;
}

function SchemaField({ field, value, readOnly, onChange }: FieldProps) {
  const label = field.required ? `${field.label} (required)` : field.label;
  switch (field.kind) {
    case "text":
      return <TextField label={label} value={typeof value === "string" ? value : undefined} placeholder={field.placeholder} disabled={readOnly} onChange={(text) => onChange(text === "" && !field.required ? undefined : text)} />;
    case "number":
      return <NumberField label={label} value={typeof value === "number" ? value : undefined} placeholder={field.placeholder} step={field.integer ? 1 : 0.1} disabled={readOnly} onChange={onChange} />;
    case "boolean":
      return (
        <Field label={label}>
          <input type="checkbox" checked={typeof value === "boolean" ? value : field.checkedByDefault} disabled={readOnly} onChange={(e) => onChange(e.target.checked)} />
        </Field>
      );
    case "choice":
      return (
        <Field label={label}>
          <select value={typeof value === "string" ? value : (field.placeholder ?? "")} disabled={readOnly} onChange={(e) => onChange(e.target.value)}>
            {field.options.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </Field>
      );
    case "json":
      return <TextField label={`${label} (JSON)`} value={jsonText(value)} disabled={readOnly} onChange={(text) => onChange(parseJsonText(text))} />;
  }
}
