import type { FormEvent } from "react";
import { useCallback, useEffect, useState } from "react";

import type { Result } from "../api/client";
import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { GraphDetail, Me, Membership, Role, ShareLink } from "../api/types";
import { ROLES } from "../api/types";
import { Dialog } from "../ui/Dialog";

interface Props {
  graph: GraphDetail;
  version: number;
  me: Me;
  onClose: () => void;
}

/** Team members and their roles (owners manage them), and public read-only links. */
export function ShareDialog({ graph, version, me, onClose }: Props) {
  const [members, setMembers] = useState<Membership[]>([]);
  const [links, setLinks] = useState<ShareLink[]>([]);
  const [error, setError] = useState<string | null>(null);
  const isOwner = graph.role === "owner";
  const personal = me.teams.find((team) => team.id === graph.team)?.personal ?? false;
  const canEdit = graph.role !== "viewer";

  const refresh = useCallback(
    () =>
      Promise.all([api.members(graph.team), api.shareLinks(graph.id)]).then(([m, l]) => {
        if (m.ok) setMembers(m.value);
        if (l.ok) setLinks(l.value);
      }),
    [graph.team, graph.id],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  /** Run a change, then show the server's state (or its error). */
  const act = async (pending: Promise<Result<unknown>>) => {
    const result = await pending;
    setError(result.ok ? null : errorText(result.error));
    await refresh();
  };

  return (
    <Dialog title={`Share “${graph.name}”`} onClose={onClose}>
      {error !== null && <p className="error" role="alert">{error}</p>}
      <section>
        <h3>Team members</h3>
        <ul className="members">
          {members.map((member) => (
            <li key={member.user.id}>
              <span>{member.user.username}{member.user.id === me.id && " (you)"}</span>
              {isOwner ? (
                <select
                  aria-label={`Role of ${member.user.username}`}
                  value={member.role}
                  onChange={(e) => void act(api.changeRole(graph.team, member.user.id, e.target.value as Role))}
                >
                  {ROLES.map((role) => (
                    <option key={role}>{role}</option>
                  ))}
                </select>
              ) : (
                <span className="tag">{member.role}</span>
              )}
              {!personal && (isOwner || member.user.id === me.id) && (
                <button className="link" onClick={() => void act(api.removeMember(graph.team, member.user.id))}>
                  {member.user.id === me.id ? "Leave" : "Remove"}
                </button>
              )}
            </li>
          ))}
        </ul>
        {personal ? (
          <p className="muted small">
            This graph is in your personal team, which has no other members. To work on it with others, fork it
            into a team you share.
          </p>
        ) : (
          isOwner && <AddMemberForm onAdd={(username, role) => act(api.addMember(graph.team, username, role))} />
        )}
      </section>
      <section>
        <h3>Public links</h3>
        <p className="muted small">Anyone with a link can read the one version it points to.</p>
        <ul className="links">
          {links.map((link) => (
            <li key={link.id} className={link.revoked_at !== null ? "revoked" : undefined}>
              <span>v{link.version}</span>
              <input readOnly value={`${window.location.origin}/share/${link.token}`} aria-label={`Link to v${link.version}`} />
              {link.revoked_at === null ? (
                canEdit && (
                  <button className="link" onClick={() => void act(api.revokeShareLink(graph.id, link.id))}>
                    Revoke
                  </button>
                )
              ) : (
                <span className="muted small">revoked</span>
              )}
            </li>
          ))}
        </ul>
        {canEdit && (
          <button onClick={() => void act(api.createShareLink(graph.id, version))}>Create a link to v{version}</button>
        )}
      </section>
    </Dialog>
  );
}

function AddMemberForm({ onAdd }: { onAdd: (username: string, role: Role) => Promise<void> }) {
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await onAdd(username, role);
    setUsername("");
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <input placeholder="Username" aria-label="Username to add" value={username} onChange={(e) => setUsername(e.target.value)} required />
      <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
      <button type="submit">Add</button>
    </form>
  );
}
