import type { ApiToken } from "../api/types";
import { lastUsedText } from "./tokenTimes";
import { DataTable } from "../ui/DataTable";

interface Props {
  tokens: readonly ApiToken[];
  onRevoke: (token: ApiToken) => void;
}

/** The user's tokens: never their keys, only the first characters that tell them apart. */
export function TokenTable({ tokens, onRevoke }: Props) {
  if (tokens.length === 0) return <p className="muted empty">No API tokens yet.</p>;
  const now = new Date();
  return (
    <DataTable className="graph-table" aria-label="API tokens" columns={["Name", "Token", "Created", "Last used", { ariaLabel: "Actions" }]}>
      {tokens.map((token) => (
        <tr key={token.id}>
          <td>{token.name}</td>
          <td>
            <code>{token.prefix}…</code>
          </td>
          <td>{new Date(token.created_at).toLocaleString()}</td>
          <td title={token.last_used_at === null ? undefined : new Date(token.last_used_at).toLocaleString()}>
            {lastUsedText(token.last_used_at, now)}
          </td>
          <td className="token-actions">
            <button onClick={() => onRevoke(token)} aria-label={`Revoke ${token.name}`}>
              Revoke
            </button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
