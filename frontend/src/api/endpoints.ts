/** One typed function per API call the front end makes. */
import type { SpecDiff } from "../graph/diff";
import type { GraphSpec } from "../graph/spec";
import type { RunEvent } from "../runs/events";
import type { ImageLimits } from "../runs/runImages";
import { runForm } from "../runs/runImages";
import { forgetCsrfToken, request } from "./client";
import { allPages } from "./pages";
import type {
  AdapterChoice,
  ApiToken,
  CatalogModel,
  ConnectionReport,
  Endpoint,
  EndpointInput,
  GraphDetail,
  Me,
  Membership,
  NewApiToken,
  NodeKindInfo,
  Role,
  RunSummary,
  SharedVersion,
  Team,
  ShareLink,
  Template,
  Training,
  TrainingOptions,
  User,
  Version,
  VersionSummary,
} from "./types";

/** The events API's page size (webapp/runs/views.py). */
const TRACE_PAGE = 1000;

export const api = {
  me: () => request<Me>("GET", "/api/auth/me/"),
  async login(username: string, password: string) {
    const result = await request<User>("POST", "/api/auth/login/", { username, password });
    forgetCsrfToken();
    return result;
  },
  async logout() {
    const result = await request<undefined>("POST", "/api/auth/logout/");
    forgetCsrfToken();
    return result;
  },
  signup: (username: string, password: string, email: string) =>
    request<User>("POST", "/api/auth/signup/", { username, password, email }),
  /** The user's named API tokens, newest first (never their keys). */
  apiTokens: () => request<ApiToken[]>("GET", "/api/auth/tokens/"),
  /** 409 `token_name_taken` when the user already has a token of that name. */
  createApiToken: (name: string) => request<NewApiToken>("POST", "/api/auth/tokens/", { name }),
  revokeApiToken: (id: number) => request<undefined>("DELETE", `/api/auth/tokens/${id}/`),

  graph: (id: number) => request<GraphDetail>("GET", `/api/graphs/${id}/`),
  createGraph: (body: {
    team: number;
    name?: string;
    spec?: GraphSpec;
    template?: string;
    template_options?: { proposers?: string[] };
  }) =>
    request<GraphDetail>("POST", "/api/graphs/", body),
  renameGraph: (id: number, name: string) =>
    request<GraphDetail>("PATCH", `/api/graphs/${id}/`, { name }),
  importGraph(team: number, file: File) {
    const form = new FormData();
    form.append("team", String(team));
    form.append("file", file);
    return request<GraphDetail>("POST", "/api/graphs/import/", form);
  },
  forkGraph: (id: number, team: number, name = "") =>
    request<GraphDetail>("POST", `/api/graphs/${id}/fork/`, { team, name }),
  templates: () => request<Template[]>("GET", "/api/templates/"),
  /** Built-in models, then the endpoints registered by the user's teams. */
  models: () => request<CatalogModel[]>("GET", "/api/models/"),
  /** Every node kind the server runs, in the palette's order. */
  nodeKinds: () => request<NodeKindInfo[]>("GET", "/api/node-kinds/"),
  /** The endpoints of every team of the user. */
  endpoints: () => request<Endpoint[]>("GET", "/api/models/endpoints/"),
  createEndpoint: (body: EndpointInput & { team: number; key: string }) =>
    request<Endpoint>("POST", "/api/models/endpoints/", body),
  /** `api_key` left out keeps the stored key; "" removes it. */
  updateEndpoint: (id: number, body: Partial<EndpointInput>) =>
    request<Endpoint>("PATCH", `/api/models/endpoints/${id}/`, body),
  deleteEndpoint: (id: number) => request<undefined>("DELETE", `/api/models/endpoints/${id}/`),
  /** Test connection before saving (editors of `team`). */
  testEndpoint: (body: { team: number; base_url: string; model_name: string; api_key?: string }) =>
    request<ConnectionReport>("POST", "/api/models/endpoints/test/", body),
  /** Test a saved endpoint with its stored key, or with changed values (editors). */
  testSavedEndpoint: (id: number, body: { base_url?: string; model_name?: string; api_key?: string }) =>
    request<ConnectionReport>("POST", `/api/models/endpoints/${id}/test/`, body),
  /** The router adapters trained by `team`, newest first. */
  routerAdapters: (team: number) => request<AdapterChoice[]>("GET", `/api/models/adapters/?team=${team}`),

  /** Every version of the graph, newest first (all pages). */
  allVersions: (graph: number) => allPages<VersionSummary>(`/api/graphs/${graph}/versions/`),
  version: (graph: number, number: number) =>
    request<Version>("GET", `/api/graphs/${graph}/versions/${number}/`),
  saveVersion: (graph: number, spec: GraphSpec, expectedVersion: number, message = "") =>
    request<Version>("POST", `/api/graphs/${graph}/versions/`, {
      spec,
      expected_version: expectedVersion,
      message,
    }),
  restoreVersion: (graph: number, number: number, expectedVersion: number) =>
    request<Version>("POST", `/api/graphs/${graph}/versions/${number}/restore/`, {
      expected_version: expectedVersion,
    }),
  diff: (graph: number, from: number, to: number) =>
    request<SpecDiff>("GET", `/api/graphs/${graph}/diff/?from=${from}&to=${to}`),

  createTeam: (name: string) => request<Team>("POST", "/api/teams/", { name }),
  members: (team: number) => request<Membership[]>("GET", `/api/teams/${team}/members/`),
  addMember: (team: number, username: string, role: Role) =>
    request<Membership>("POST", `/api/teams/${team}/members/`, { username, role }),
  changeRole: (team: number, user: number, role: Role) =>
    request<Membership>("PATCH", `/api/teams/${team}/members/${user}/`, { role }),
  removeMember: (team: number, user: number) =>
    request<undefined>("DELETE", `/api/teams/${team}/members/${user}/`),

  shareLinks: (graph: number) => request<ShareLink[]>("GET", `/api/graphs/${graph}/share-links/`),
  createShareLink: (graph: number, version: number) =>
    request<ShareLink>("POST", `/api/graphs/${graph}/share-links/`, { version }),
  shared: (token: string) => request<SharedVersion>("GET", `/api/share/${encodeURIComponent(token)}/`),
  revokeShareLink: (graph: number, link: number) =>
    request<ShareLink>("DELETE", `/api/graphs/${graph}/share-links/${link}/`),

  /** JSON without images; multipart with them (each checked first with `imageProblem`). */
  startRun: (graph: number, input: string, images: readonly File[] = []) =>
    request<RunSummary>("POST", `/api/graphs/${graph}/runs/`, images.length === 0 ? { input } : runForm(input, images)),
  imageLimits: () => request<ImageLimits>("GET", "/api/runs/image-limits/"),
  cancelRun: (run: number) => request<RunSummary>("POST", `/api/runs/${run}/cancel/`),
  startTraining: (graph: number, router: string, version: number, options: TrainingOptions) =>
    request<Training>("POST", `/api/graphs/${graph}/trainings/`, { router, version, ...options }),
  /** The router's most recent trainings, newest first. */
  trainings: (graph: number, router: string, limit = 1) =>
    request<Training[]>("GET", `/api/graphs/${graph}/trainings/?router=${encodeURIComponent(router)}&limit=${limit}`),
  cancelTraining: (training: number) => request<Training>("POST", `/api/trainings/${training}/cancel/`),
  /** The whole stored trace (no token deltas), fetched a page of 1000 at a time. */
  async trace(run: number) {
    const events: RunEvent[] = [];
    for (;;) {
      const after = events.at(-1)?.seq ?? 0;
      const page = await request<RunEvent[]>("GET", `/api/runs/${run}/events/?after=${after}`);
      if (!page.ok) return page;
      events.push(...page.value);
      if (page.value.length < TRACE_PAGE) return { ok: true as const, value: events };
    }
  },
};
