import type { FormEvent, InputHTMLAttributes, ReactNode } from "react";
import { useState } from "react";

import type { Result } from "../api/client";
import { errorText } from "../api/client";
import { followLink } from "../router";

/** A labelled input of an auth form; `onChange` receives the new text. */
export function AuthField({
  label,
  onChange,
  ...input
}: { label: string; value: string; onChange: (value: string) => void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "onChange"
>) {
  return (
    <label>
      {label}
      <input {...input} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** The card shared by the log-in and sign-up pages. On submit it awaits `attempt` with the
 * button disabled; a failed result shows its error, a successful one calls `onSuccess`.
 * `action` names the form and its button; the footer links to the other page. */
export function AuthForm({
  action,
  tagline,
  attempt,
  onSuccess,
  alternative,
  children,
}: {
  action: string;
  tagline: string;
  attempt: () => Promise<Result<unknown>>;
  onSuccess: () => Promise<void>;
  alternative: { prompt: string; href: string; label: string };
  children: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await attempt();
    setBusy(false);
    if (result.ok) await onSuccess();
    else setError(errorText(result.error));
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-label={action}>
        <h1 className="brand">Octograph</h1>
        <p className="muted">{tagline}</p>
        {children}
        {error !== null && <p className="error" role="alert">{error}</p>}
        <button className="primary" type="submit" disabled={busy}>
          {action}
        </button>
        <p className="muted">
          {alternative.prompt}{" "}
          <a href={alternative.href} onClick={followLink}>
            {alternative.label}
          </a>
        </p>
      </form>
    </main>
  );
}
