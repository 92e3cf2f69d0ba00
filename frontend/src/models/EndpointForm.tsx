import { useState } from "react";

import type { Result } from "../api/client";
import { api } from "../api/endpoints";
import type { ConnectionReport, Endpoint, EndpointInput, Team } from "../api/types";
import { Field } from "../ui/fields";

type Props =
  /** Register: the user picks one of `teams` (those they edit) and the key. */
  | { mode: "create"; teams: Team[]; onSaved: () => void; onCancel: () => void }
  /** Edit a saved endpoint: its team and key cannot change; an empty API key keeps the stored one. */
  | { mode: "edit"; endpoint: Endpoint; onSaved: () => void; onCancel: () => void };

/** Register or edit an OpenAI-compatible endpoint, with Test connection before saving. */
export function EndpointForm(props: Props) {
  const saved = props.mode === "edit" ? props.endpoint : null;
  const [team, setTeam] = useState<number>(props.mode === "create" ? (props.teams[0]?.id ?? 0) : props.endpoint.team);
  const [key, setKey] = useState(saved?.key ?? "");
  const [displayName, setDisplayName] = useState(saved?.display_name ?? "");
  const [baseUrl, setBaseUrl] = useState(saved?.base_url ?? "");
  const [modelName, setModelName] = useState(saved?.model_name ?? "");
  const [apiKey, setApiKey] = useState("");
  const [price, setPrice] = useState(saved?.price_per_million_tokens?.toString() ?? "");
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [busy, setBusy] = useState<"test" | "save" | null>(null);
  const [error, setError] = useState<string | null>(null);

  const test = async () => {
    setBusy("test");
    setReport(null);
    setError(null);
    const result =
      saved === null
        ? await api.testEndpoint({ team, base_url: baseUrl, model_name: modelName, api_key: apiKey })
        : await api.testSavedEndpoint(saved.id, {
            base_url: baseUrl,
            model_name: modelName,
            ...(apiKey === "" ? {} : { api_key: apiKey }),
          });
    setBusy(null);
    if (result.ok) setReport(result.value);
    else setError(errorText(result));
  };

  const save = async () => {
    setBusy("save");
    setError(null);
    const body: EndpointInput = {
      display_name: displayName,
      base_url: baseUrl,
      model_name: modelName,
      price_per_million_tokens: price.trim() === "" ? null : Number(price),
      ...(apiKey === "" ? {} : { api_key: apiKey }),
    };
    const result =
      saved === null ? await api.createEndpoint({ ...body, team, key }) : await api.updateEndpoint(saved.id, body);
    setBusy(null);
    if (result.ok) props.onSaved();
    else setError(errorText(result));
  };

  return (
    <form
      className="endpoint-form"
      aria-label={saved === null ? "Register endpoint" : `Edit endpoint ${saved.key}`}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h2>{saved === null ? "Register an OpenAI-compatible endpoint" : `Edit ${saved.key}`}</h2>
      {props.mode === "create" && (
        <>
          <Field label="Team">
            <select value={team} onChange={(e) => setTeam(Number(e.target.value))}>
              {props.teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Key" hint="what graphs name it by; cannot change later">
            <input required value={key} onChange={(e) => setKey(e.target.value)} placeholder="my-llama" />
          </Field>
        </>
      )}
      <Field label="Display name">
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </Field>
      <Field label="Base URL" hint="the API root, e.g. http://localhost:11434/v1">
        <input required type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
      </Field>
      <Field label="Model name">
        <input required value={modelName} onChange={(e) => setModelName(e.target.value)} placeholder="llama3.2" />
      </Field>
      <Field
        label="API key"
        hint={saved?.has_api_key === true ? "a key is stored; leave empty to keep it" : "optional; never shown again"}
      >
        <input type="password" autoComplete="off" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
      </Field>
      <Field label="Price (USD per million tokens)" hint="optional">
        <input type="number" min={0} step="any" value={price} onChange={(e) => setPrice(e.target.value)} />
      </Field>
      <div className="endpoint-form-actions">
        <button type="button" disabled={busy !== null || baseUrl === "" || modelName === ""} onClick={() => void test()}>
          {busy === "test" ? "Testing…" : "Test connection"}
        </button>
        <button type="submit" className="primary" disabled={busy !== null}>
          Save
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      {report !== null && <ConnectionResult report={report} />}
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function ConnectionResult({ report }: { report: ConnectionReport }) {
  if (!report.ok) {
    return (
      <div className="connection-result failed" role="status">
        <strong>Connection failed</strong> ({report.code}, at {report.stage === "chat" ? "the chat" : "GET /models"}):{" "}
        {report.message}
      </div>
    );
  }
  return (
    <div className="connection-result ok" role="status">
      <strong>Connection works</strong> ({report.elapsed_ms} ms). {report.message}
      <div>Models: {report.models.join(", ") || "none listed"}</div>
      <div>Reply: “{report.reply}”</div>
    </div>
  );
}

function errorText(result: Result<unknown> & { ok: false }): string {
  const fields = result.error.fields;
  if (fields !== undefined) {
    return Object.entries(fields)
      .map(([name, messages]) => `${name}: ${messages.join(" ")}`)
      .join("; ");
  }
  return result.error.message;
}
