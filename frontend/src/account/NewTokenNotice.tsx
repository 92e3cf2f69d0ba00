import { useState } from "react";

import type { NewApiToken } from "../api/types";

interface Props {
  token: NewApiToken;
  onDismiss: () => void;
}

/** The key of a token just created: the one time it is shown (the server keeps only a digest). */
export function NewTokenNotice({ token, onDismiss }: Props) {
  const [copied, setCopied] = useState<boolean | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.key);
      setCopied(true);
    } catch {
      setCopied(false); // no clipboard access (insecure origin, or refused): copy it by hand
    }
  };

  return (
    <section className="new-token" aria-label={`Token ${token.name} created`}>
      <p>
        <strong>Copy the token “{token.name}” now.</strong> It will not be shown again: if you lose
        it, revoke it and create another.
      </p>
      <div className="inline-form">
        <input
          className="new-token-key"
          aria-label="New token"
          value={token.key}
          readOnly
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void copy()}>
          {copied === true ? "Copied" : "Copy"}
        </button>
        <button type="button" onClick={onDismiss}>
          Done
        </button>
      </div>
      {copied === false && (
        <p className="error small" role="alert">
          The browser did not allow copying: select the token and copy it yourself.
        </p>
      )}
    </section>
  );
}
