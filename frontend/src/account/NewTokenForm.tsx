import { api } from "../api/endpoints";
import type { NewApiToken } from "../api/types";
import { useCreateByName } from "../ui/useCreateByName";

/** Names and creates a token; the server refuses a name the user already gave a token. */
export function NewTokenForm({ onCreated }: { onCreated: (token: NewApiToken) => void }) {
  const { name, setName, busy, error, submit } = useCreateByName(api.createApiToken, onCreated);

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
