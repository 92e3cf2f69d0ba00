import type { FormEvent } from "react";
import { useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { NewApiToken } from "../api/types";

/** Names and creates a token; the server refuses a name the user already gave a token. */
export function NewTokenForm({ onCreated }: { onCreated: (token: NewApiToken) => void }) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.createApiToken(name.trim());
    setBusy(false);
    if (!result.ok) {
      setError(errorText(result.error));
      return;
    }
    setName("");
    setError(null);
    onCreated(result.value);
  };

  return (
    <form className="inline-form token-form" onSubmit={submit}>
      <input
        aria-label="Token name"
        placeholder="Token name, e.g. laptop or CI"
        value={name}
        maxLength={100}
        onChange={(e) => setName(e.target.value)}
        required
      />
      <button type="submit" className="primary" disabled={busy || name.trim() === ""}>
        Create token
      </button>
      {error !== null && (
        <span className="error small" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
