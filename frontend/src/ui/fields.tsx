/** Labelled form fields for the inspector; numbers are optional (empty = the server default). */
import type { ReactNode } from "react";

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint !== undefined && <span className="field-hint">{hint}</span>}
    </label>
  );
}

interface NumberProps {
  label: string;
  value: number | null | undefined;
  placeholder?: number;
  step?: number;
  min?: number;
  max?: number;
  disabled?: boolean;
  onChange: (value: number | undefined) => void;
}

export function NumberField({ label, value, placeholder, step = 1, min, max, disabled, onChange }: NumberProps) {
  return (
    <Field label={label}>
      <input
        type="number"
        value={value ?? ""}
        placeholder={placeholder === undefined ? "" : String(placeholder)}
        step={step}
        min={min}
        max={max}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </Field>
  );
}

interface TextProps {
  label: string;
  value: string | null | undefined;
  placeholder?: string;
  multiline?: boolean;
  disabled?: boolean;
  hint?: string;
  onChange: (value: string) => void;
}

export function TextField({ label, value, placeholder, multiline, disabled, hint, onChange }: TextProps) {
  const props = {
    value: value ?? "",
    placeholder,
    disabled,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  return (
    <Field label={label} hint={hint}>
      {multiline === true ? <textarea rows={5} {...props} /> : <input {...props} />}
    </Field>
  );
}
