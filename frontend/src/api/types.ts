/** Shapes of the REST API answers (the serializers in webapp; see /api/schema/). */
import type { GraphSpec } from "../graph/spec";

export type Role = "owner" | "editor" | "viewer";
export const ROLES: readonly Role[] = ["owner", "editor", "viewer"];

export interface User {
  id: number;
  username: string;
  email: string;
}

export interface Team {
  id: number;
  name: string;
  personal: boolean;
  role: Role;
  created_at: string;
}

export interface Me extends User {
  teams: Team[];
}

export interface Membership {
  user: User;
  role: Role;
  created_at: string;
}

/** A named API token as listed: never its key. `last_used_at` lags real use by up to a minute. */
export interface ApiToken {
  id: number;
  name: string;
  /** The key's first characters, not secret: tells tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

/** A token just created: its `key` is in this answer and nowhere else, ever. */
export interface NewApiToken extends ApiToken {
  key: string;
}

export interface VersionSummary {
  number: number;
  message: string;
  author: string | null;
  created_at: string;
}

export interface Version extends VersionSummary {
  spec: GraphSpec;
}

export interface GraphSummary {
  id: number;
  team: number;
  name: string;
  slug: string;
  description: string;
  latest_version: number;
  role: Role;
  forked_from: { graph: number; version: number } | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface GraphDetail extends GraphSummary {
  latest: Version;
}

export interface ShareLink {
  id: number;
  version: number;
  token: string;
  url: string;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** What a public link shows: no team, no other versions. */
export interface SharedVersion {
  name: string;
  description: string;
  version: Version;
}

export interface CatalogModel {
  key: string;
  display_name: string;
  family: string;
  kind: "transformers" | "openai" | "clip";
  available: boolean;
  unavailable_reason: string | null;
  team: number | null;
  /** The endpoint's team name; null for built-in models. */
  team_name: string | null;
  endpoint: number | null;
  /** USD per million tokens (in + out); null when the model has no price. */
  price_per_million_tokens?: number | null;
  /** Its weights (package, folder, hub id) or, for an HTTP model, "<base URL> (<model name>)". */
  source: string;
  /** The Celery queue its nodes go to: model.<key>, or endpoints (every team endpoint). */
  queue: string;
  /** Whether a live worker consumes the queue now; null when the server cannot say. */
  served: boolean | null;
  /** Tasks waiting in the queue; null when the server cannot say. */
  waiting: number | null;
}

/** A team's registered OpenAI-compatible endpoint; the API key is write-only. */
export interface Endpoint {
  id: number;
  team: number;
  key: string;
  display_name: string;
  base_url: string;
  model_name: string;
  has_api_key: boolean;
  price_per_million_tokens: number | null;
  created_at: string;
  updated_at: string;
}

/** What registering or changing an endpoint sends (`api_key` is never read back). */
export interface EndpointInput {
  display_name: string;
  base_url: string;
  model_name: string;
  api_key?: string;
  price_per_million_tokens: number | null;
}

/** The outcome of POST /api/models/endpoints/test/ (or /{id}/test/): a failure is a value. */
export interface ConnectionReport {
  ok: boolean;
  message: string;
  code:
    | "dns"
    | "refused"
    | "timeout"
    | "unauthorized"
    | "forbidden"
    | "http_error"
    | "not_openai_compatible"
    | "unreachable"
    | null;
  stage: "models" | "chat" | null;
  models: string[];
  model_listed: boolean | null;
  reply: string | null;
  elapsed_ms: number;
}

export interface Template {
  name: string;
  title: string;
  description: string;
  spec: GraphSpec;
  /** The template_options it takes at creation ("proposers": a list of model keys). */
  options: string[];
}

/** The 409 body of a save: the version that got there first. */
export interface VersionConflictBody {
  code: "version_conflict";
  message: string;
  latest: Version;
}

export type RunRowStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/** A run as listed (webapp/runs/serializers.py RunOutput). */
export interface RunSummary {
  id: number;
  graph: number;
  version: number;
  status: RunRowStatus;
  input: string;
  /** Empty until the run completes (or fails). */
  output: string;
  error: string;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  last_seq: number;
}

/** A router adapter trained in the app (webapp/catalog/serializers.py RouterAdapterOutput):
 *  a router uses it as `{mode: "functional-token", adapter: name}`. */
export interface RouterAdapter {
  id: number;
  builtin: false;
  team: number;
  name: string;
  base_model: string;
  /** The graph, version and router node it was trained for; graph is null once deleted. */
  graph: number | null;
  version: number;
  router: string;
  val_accuracy: number | null;
  train_examples: number;
  validation_examples: number;
  created_by: string | null;
  created_at: string;
}

/** A router adapter shipped with Octograph (webapp/catalog/serializers.py
 *  BuiltinRouterAdapterOutput), usable by every team: `targets` is how many edges it routes to,
 *  `val_accuracy` its accuracy on the `validation_examples` held out from `train_examples`. */
export interface BuiltinRouterAdapter {
  builtin: true;
  team: null;
  name: string;
  base_model: string;
  targets: number;
  val_accuracy: number | null;
  train_examples: number;
  validation_examples: number;
}

/** A row of `GET /api/models/adapters/`: the built-in adapters, then the team's trained ones. */
export type AdapterChoice = BuiltinRouterAdapter | RouterAdapter;

export type TrainingStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

/** What a user chooses about a training (workers/routing/job.py TrainingOptions). */
export interface TrainingOptions {
  epochs: number;
  examples_per_edge: number;
  model_queries_per_edge: number;
  validation_fraction: number;
}

/** The last training step reported. */
export interface TrainingProgress {
  step: number;
  total_steps: number;
  epoch: number;
  loss: number;
  val_accuracy: number | null;
  elapsed_s: number;
  eta_s: number;
}

/** A training (webapp/training/serializers.py TrainingOutput), as the REST API returns it and
 *  as /ws/trainings/<id>/ sends it on every change (a larger `revision` each time). */
export interface Training {
  id: number;
  graph: number;
  version: number;
  router: string;
  status: TrainingStatus;
  options: TrainingOptions;
  progress: TrainingProgress | null;
  error: string;
  adapter: RouterAdapter | null;
  revision: number;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/* Evaluation (webapp/evaluation; the shapes of /work/eval_plan.md section 3). */

export type DatasetSource = "upload" | "builtin" | "runs";

/** A team's dataset: immutable once created. `fields` lists the optional row fields present in
 *  any row (expected, choices, answer, route, images, metadata), sorted. */
export interface Dataset {
  id: number;
  team: number;
  name: string;
  description: string;
  source: DatasetSource;
  builtin: string;
  filename: string;
  row_count: number;
  fields: string[];
  created_by: string | null;
  created_at: string;
}

/** A dataset shipped with Octograph (graphs/evaluation/builtin.py). */
export interface BuiltinDataset {
  name: string;
  title: string;
  description: string;
  licence: string;
  rows: number;
}

/** One dataset row as stored (DatasetRow.to_json(), empty optional fields omitted). */
export interface DatasetRowItem {
  index: number;
  input: string;
  images?: unknown[];
  expected?: string;
  choices?: string[];
  answer?: string;
  route?: string | Record<string, string>;
  metadata?: Record<string, unknown>;
}

/** A window of a dataset's or an experiment's rows (`?offset=&limit=`). */
export interface Page<T> {
  count: number;
  rows: T[];
}

/** A page of a list endpoint (webapp/api/pagination.py): `next`/`previous` are the neighbouring
 *  pages' URLs, null at either end. */
export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** One problem of a refused dataset file (`invalid_dataset`); field null: the whole line. */
export interface DatasetProblem {
  line: number;
  field: string | null;
  message: string;
}

/** A scorer the server knows (graphs/evaluation/scorers.py). `needs`: the row fields it reads. */
export interface ScorerInfo {
  name: string;
  description: string;
  needs: string[];
  routing_only: boolean;
  /** False for a scorer the web app cannot run (every scorer runs today). */
  supported?: boolean;
}

/** A scorer of an experiment: its name and options (ScorerSpec.to_json()). */
export type ScorerSpecJson = { name: string } & Record<string, unknown>;

export type ExperimentStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

export interface ExperimentProgress {
  done: number;
  total: number;
  failed: number;
  /** Rows under way now. */
  running: number;
  elapsed_s: number;
  eta_s: number | null;
}

export interface MetricInterval {
  low: number;
  high: number;
  n: number;
  method: "wilson" | "normal";
}

export interface TargetStats {
  precision: number | null;
  recall: number | null;
  support: number;
}

export interface Confusion {
  expected: string;
  chosen: string;
  count: number;
}

export interface CalibrationBin {
  low: number;
  high: number;
  count: number;
  /** Mean decision probability of the bin's rows (null: no row). */
  confidence: number | null;
  accuracy: number | null;
}

export interface Calibration {
  bins: CalibrationBin[];
  ece: number | null;
}

/** One router's results (report.summarize "routers"). */
export interface RouterReport {
  accuracy: number | null;
  low: number | null;
  high: number | null;
  n: number;
  /** expected target -> chosen target -> rows. */
  confusion: Record<string, Record<string, number>>;
  labels: string[];
  per_target: Record<string, TargetStats>;
  top_confusions: Confusion[];
  calibration: Calibration;
}

export interface Percentiles {
  p50: number | null;
  p90: number | null;
  mean?: number | null;
}

/** report.summarize: one shape for the CLI's --json, the REST API and this page. */
export interface ExperimentSummary {
  rows: number;
  completed: number;
  failed: number;
  metrics: Record<string, number | null>;
  intervals: Record<string, MetricInterval>;
  routers: Record<string, RouterReport>;
  latency_ms: Percentiles;
  tokens: { in: number; out: number; mean_in: number | null; mean_out: number | null };
  cost: number | null;
  nodes: Record<string, Percentiles & { count: number }>;
}

/** An experiment as REST returns it and /ws/experiments/<id>/ sends it at each change. */
export interface Experiment {
  id: number;
  graph: number;
  version: number;
  dataset: { id: number; name: string };
  sample: number | null;
  seed: number | null;
  scorers: ScorerSpecJson[];
  routing_only: boolean;
  concurrency: number;
  status: ExperimentStatus;
  total: number;
  done: number;
  failed: number;
  progress: ExperimentProgress | null;
  /** Null (or partial) until rows have been scored; kept current while it runs. */
  summary: Partial<ExperimentSummary> | null;
  error: string;
  revision: number;
  created_by: string | null;
  created_at: string;
  started_at?: string | null;
  finished_at: string | null;
}

export interface StartExperimentBody {
  dataset: number;
  version?: number;
  sample?: number;
  seed?: number;
  scorers?: (string | ({ name: string } & Record<string, unknown>))[];
  routing_only?: boolean;
  concurrency?: number;
}

/** "judging": the row's run finished and a judge model is grading its answer. */
export type ExperimentRowStatus = "pending" | "running" | "judging" | "scored";

export interface ExperimentRowScore {
  value: number | null;
  detail?: Record<string, unknown>;
}

/** One row of an experiment with its run's outcome and scores. */
export interface ExperimentRow {
  index: number;
  input: string;
  expected: string | null;
  choices?: string[] | null;
  answer: string | null;
  route: string | Record<string, string> | null;
  /** router id -> expected target node id, as resolved against the version's graph. */
  expected_routes?: Record<string, string>;
  metadata?: Record<string, unknown>;
  status: ExperimentRowStatus;
  /** How the row's run ended: completed, failed or cancelled (null before). */
  outcome?: string | null;
  run: number | null;
  output: string | null;
  error: string | null;
  scores: Record<string, ExperimentRowScore>;
  decisions: Record<string, { target: string; probability: number }>;
  latency_ms: number | null;
  tokens_in?: number | null;
  tokens_out?: number | null;
}

/** Filters of GET /api/experiments/{id}/rows/. */
export interface RowFilter {
  router?: string;
  expected?: string;
  chosen?: string;
  scorer?: string;
  value?: number;
  /** "failed": scored, but the run did not complete. */
  status?: ExperimentRowStatus | "failed";
}

/** report.compare's per-metric result: b (the other experiment) vs a (the base). */
export interface MetricDelta {
  a: number | null;
  b: number | null;
  delta: number | null;
  test: "mcnemar" | "bootstrap" | string;
  p_value: number | null;
  low?: number | null;
  high?: number | null;
}

export interface CompareResult {
  dataset: { id: number; name: string };
  experiments: Experiment[];
  /** The first id asked for. */
  base: number;
  /** The scorers the experiments share. */
  scorers?: string[];
  /** Other experiment id -> scorer -> delta vs the base. */
  metrics: Record<string, Record<string, MetricDelta>>;
  changed: {
    index: number;
    input: string;
    /** experiment id -> scorer -> value. */
    scores: Record<string, Record<string, number | null>>;
    /** experiment id -> run id. */
    runs: Record<string, number | null>;
  }[];
}

export interface ParetoPoint {
  experiment: number;
  graph: number;
  graph_name: string;
  version: number;
  label: string;
  /** Its runs stopped once the routers decided: latency and tokens are the routers' only. */
  routing_only?: boolean;
  quality: number | null;
  latency_p50: number | null;
  tokens: number | null;
}

export interface ParetoResult {
  dataset?: number;
  /** The metric plotted (the server picks the newest experiment's first scorer when none is
   *  asked for; null when there is none). */
  metric: string | null;
  points: ParetoPoint[];
  /** Experiment ids on each frontier, sorted by cost. */
  frontier: { latency: number[]; tokens: number[] };
}
