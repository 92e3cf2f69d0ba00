import { useEffect, useState } from "react";

import { api } from "../api/endpoints";
import type { AdapterChoice, CatalogModel, Endpoint, Me, Team } from "../api/types";
import { DataTable } from "../ui/DataTable";
import { MenuPage } from "../ui/MenuPage";
import { EndpointForm } from "./EndpointForm";
import { groupModels, servingStatus } from "./modelGroups";

type Props = { me: Me; onLogout: () => Promise<void> };

interface Catalog {
  models: CatalogModel[];
  endpoints: Endpoint[];
  adapters: AdapterChoice[];
}

/** The catalog, the endpoints and the router adapters of `teams` (shipped adapters once), or
 *  what went wrong. */
async function fetchCatalog(teams: Team[]): Promise<Catalog | string> {
  const [models, endpoints, ...adapters] = await Promise.all([
    api.models(),
    api.endpoints(),
    ...teams.map((team) => api.routerAdapters(team.id)),
  ]);
  if (!models.ok) return `Could not load the models: ${models.error.message}`;
  if (!endpoints.ok) return `Could not load the endpoints: ${endpoints.error.message}`;
  const shipped = new Map<string, AdapterChoice>();
  const trained: AdapterChoice[] = [];
  for (const result of adapters) {
    if (!result.ok) continue;
    for (const adapter of result.value) {
      if (adapter.builtin) shipped.set(adapter.name, adapter);
      else trained.push(adapter);
    }
  }
  return { models: models.value, endpoints: endpoints.value, adapters: [...shipped.values(), ...trained] };
}

/** The models the user's teams can use (built-in, team endpoints, trained router adapters),
 *  whether a worker serves each now, and registering, editing and deleting endpoints (editors). */
export function ModelsPage({ me, onLogout }: Props) {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<{ mode: "create" } | { mode: "edit"; endpoint: Endpoint } | null>(null);
  const editable = me.teams.filter((team) => team.role !== "viewer");

  const [reloads, setReloads] = useState(0);
  const reload = () => setReloads((n) => n + 1);

  useEffect(() => {
    let live = true;
    void fetchCatalog(me.teams).then((result) => {
      if (!live) return;
      if (typeof result === "string") setError(result);
      else setCatalog(result);
    });
    return () => {
      live = false;
    };
  }, [me.teams, reloads]);

  const saved = () => {
    setForm(null);
    reload();
  };

  const remove = async (endpoint: Endpoint) => {
    if (!window.confirm(`Delete the endpoint ${endpoint.key}? Graphs naming it will report an unknown model.`)) return;
    const result = await api.deleteEndpoint(endpoint.id);
    if (result.ok) reload();
    else setError(result.error.message);
  };

  const canEdit = (team: number | null) => editable.some((t) => t.id === team);
  const endpointById = new Map(catalog?.endpoints.map((e) => [e.id, e]));

  return (
    <MenuPage me={me} onLogout={onLogout} title="Models" className="models-page">
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {editable.length > 0 && form === null && (
        <button className="primary" onClick={() => setForm({ mode: "create" })}>
          Register endpoint
        </button>
      )}
      {form?.mode === "create" && <EndpointForm mode="create" teams={editable} onSaved={saved} onCancel={() => setForm(null)} />}
      {form?.mode === "edit" && (
        <EndpointForm key={form.endpoint.id} mode="edit" endpoint={form.endpoint} onSaved={saved} onCancel={() => setForm(null)} />
      )}
      {catalog === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          {groupModels(catalog.models).map((group) => (
            <section key={group.label} aria-label={group.label}>
              <h2>{group.label}</h2>
              <DataTable className="graph-table" columns={["Model", "Key", "Kind", "Source", "Worker", { ariaLabel: "Actions" }]}>
                {group.models.map((model) => {
                  const endpoint = model.endpoint === null ? undefined : endpointById.get(model.endpoint);
                  return (
                    <tr key={`${model.team ?? "builtin"}:${model.key}`}>
                      <td>
                        {model.display_name}
                        {!model.available && <div className="muted">unavailable: {model.unavailable_reason}</div>}
                      </td>
                      <td>
                        <code>{model.key}</code>
                      </td>
                      <td>{model.kind}</td>
                      <td className="models-source">{model.source}</td>
                      <td title={`queue ${model.queue}`}>{servingStatus(model)}</td>
                      <td>
                        {endpoint !== undefined && canEdit(model.team) && (
                          <span className="row-actions">
                            <button onClick={() => setForm({ mode: "edit", endpoint })}>Edit</button>
                            <button onClick={() => void remove(endpoint)}>Delete</button>
                          </span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </DataTable>
            </section>
          ))}
          <section aria-label="Router adapters">
            <h2>Router adapters</h2>
            {catalog.adapters.length === 0 ? (
              <p className="muted">None yet: train a router from its node in the editor.</p>
            ) : (
              <DataTable className="graph-table" columns={["Adapter", "Base model", "Source", "Validation accuracy"]}>
                {catalog.adapters.map((adapter) => (
                  <tr key={adapter.name}>
                    <td>
                      <code>{adapter.name}</code>
                    </td>
                    <td>{adapter.base_model}</td>
                    <td>
                      {adapter.builtin
                        ? "shipped"
                        : `trained by ${me.teams.find((t) => t.id === adapter.team)?.name ?? `team ${adapter.team}`}, router ${adapter.router} (v${adapter.version})`}
                    </td>
                    <td>{adapter.val_accuracy === null ? "–" : `${(adapter.val_accuracy * 100).toFixed(1)}%`}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </section>
        </>
      )}
    </MenuPage>
  );
}
