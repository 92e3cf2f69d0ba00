import { useCallback, useEffect, useState } from "react";

import type { Result } from "../api/client";
import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { ApiToken, Me, NewApiToken } from "../api/types";
import { MenuPage } from "../ui/MenuPage";
import { NewTokenForm } from "./NewTokenForm";
import { NewTokenNotice } from "./NewTokenNotice";
import { TokenTable } from "./TokenTable";

type Props = { me: Me; onLogout: () => Promise<void> };

/** The user's API tokens: create a named one (its key shown once), see when each was last used,
 *  revoke. */
export function TokensPage({ me, onLogout }: Props) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = useCallback((result: Result<ApiToken[]>) => {
    if (result.ok) setTokens(result.value);
    else setError(errorText(result.error));
  }, []);
  const load = async () => show(await api.apiTokens());

  useEffect(() => {
    let current = true;
    void api.apiTokens().then((result) => {
      if (current) show(result);
    });
    return () => {
      current = false;
    };
  }, [show]);

  const onCreated = (token: NewApiToken) => {
    setCreated(token);
    void load();
  };

  const revoke = async (token: ApiToken) => {
    if (!window.confirm(`Revoke the token “${token.name}”? Clients using it will be refused.`)) return;
    setError(null);
    const result = await api.revokeApiToken(token.id);
    if (!result.ok) setError(errorText(result.error));
    if (created?.id === token.id) setCreated(null);
    await load();
  };

  return (
    <MenuPage me={me} onLogout={onLogout} title="API tokens">
      <p className="muted">
        A token lets a program act as you: use it as the API key of an OpenAI client with the base
        URL <code>{window.location.origin}/v1</code>, or send it as{" "}
        <code>Authorization: Token &lt;key&gt;</code> to the REST API (<a href="/api/docs/">docs</a>).
      </p>
      <NewTokenForm onCreated={onCreated} />
      {created !== null && <NewTokenNotice token={created} onDismiss={() => setCreated(null)} />}
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {tokens === null ? <p className="muted">Loading…</p> : <TokenTable tokens={tokens} onRevoke={(t) => void revoke(t)} />}
    </MenuPage>
  );
}
