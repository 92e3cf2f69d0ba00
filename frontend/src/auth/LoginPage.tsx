import type { FormEvent } from "react";
import { useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import { followLink } from "../router";

export function LoginPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await api.login(username, password);
    setBusy(false);
    if (result.ok) await onSignedIn();
    else setError(errorText(result.error));
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-label="Log in">
        <h1 className="brand">Octograph</h1>
        <p className="muted">Graphs of language models</p>
        <label>
          Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error !== null && <p className="error" role="alert">{error}</p>}
        <button className="primary" type="submit" disabled={busy}>
          Log in
        </button>
        <p className="muted">
          No account yet? <a href="/signup" onClick={followLink}>Sign up</a>
        </p>
      </form>
    </main>
  );
}
