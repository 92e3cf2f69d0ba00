import type { FormEvent } from "react";
import { useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import { followLink, navigate } from "../router";

export function SignupPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const created = await api.signup(username, password, email);
    // Sign-up makes the account; a login opens the session right after.
    const result = created.ok ? await api.login(username, password) : created;
    setBusy(false);
    if (!result.ok) {
      setError(errorText(result.error));
      return;
    }
    await onSignedIn();
    navigate("/", { replace: true });
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-label="Sign up">
        <h1 className="brand">Octograph</h1>
        <p className="muted">Create your account</p>
        <label>
          Username
          <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          Email (optional)
          <input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error !== null && <p className="error" role="alert">{error}</p>}
        <button className="primary" type="submit" disabled={busy}>
          Sign up
        </button>
        <p className="muted">
          Have an account? <a href="/login" onClick={followLink}>Log in</a>
        </p>
      </form>
    </main>
  );
}
