import type { FormEvent } from "react";
import { useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { Team } from "../api/types";

/** A team to share graphs in (a personal team has no other members). */
export function NewTeamForm({ onCreated }: { onCreated: (team: Team) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await api.createTeam(name.trim());
    if (!result.ok) {
      setError(errorText(result.error));
      return;
    }
    setOpen(false);
    setName("");
    setError(null);
    await onCreated(result.value);
  };

  if (!open) return <button onClick={() => setOpen(true)}>New team</button>;
  return (
    <form className="inline-form" onSubmit={submit}>
      <input
        aria-label="Team name"
        placeholder="Team name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        autoFocus
        required
      />
      <button type="submit" className="primary">
        Create team
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error !== null && <span className="error small">{error}</span>}
    </form>
  );
}
