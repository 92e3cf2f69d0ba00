import { useState } from "react";

import { api } from "../api/endpoints";
import type { Team } from "../api/types";
import { useCreateByName } from "../ui/useCreateByName";

/** A team to share graphs in (a personal team has no other members). */
export function NewTeamForm({ onCreated }: { onCreated: (team: Team) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const { name, setName, error, submit } = useCreateByName(api.createTeam, async (team: Team) => {
    setOpen(false);
    await onCreated(team);
  });

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
