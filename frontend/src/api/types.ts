/**
 * The REST API's shapes under the names the front end uses. Each alias is a component of the
 * generated ./schema.d.ts (from /api/schema/: `make api-types` after changing a serializer), so
 * it cannot drift from the server. `Refine` narrows a field the schema leaves open (a JSON field,
 * a code the server always sets to one value) to the shape the front end reads; the types still
 * written out below are shapes the schema does not describe: JSON payloads inside those fields,
 * WebSocket-only payloads, query filters and front-end helpers.
 */
import type { GraphSpec } from "../graph/spec";
import type { components } from "./schema";

type Schemas = components["schemas"];

/** `T` with the fields of `R` replaced by `R`'s narrower types. */
type Refine<T, R extends Partial<Record<keyof T, unknown>>> = Omit<T, keyof R> & R;

export type Role = Schemas["TeamRoleEnum"];
export const ROLES: readonly Role[] = ["owner", "editor", "viewer"];

export type User = Schemas["UserOutput"];

export type Team = Schemas["TeamOutput"];

export type Me = Schemas["MeOutput"];

export type Membership = Schemas["MembershipOutput"];

/** A named API token as listed: never its key. `last_used_at` lags real use by up to a minute. */
export type ApiToken = Schemas["ApiTokenOutput"];

/** A token just created: its `key` is in this answer and nowhere else, ever. */
export type NewApiToken = Schemas["NewApiTokenOutput"];

export type VersionSummary = Schemas["VersionSummaryOutput"];

export type Version = Refine<Schemas["VersionOutput"], { spec: GraphSpec }>;

export type GraphSummary = Schemas["GraphOutput"];

export type GraphDetail = Refine<Schemas["GraphDetailOutput"], { latest: Version }>;

export type ShareLink = Schemas["ShareLinkOutput"];

/** What a public link shows: no team, no other versions. */
export type SharedVersion = Refine<Schemas["SharedVersionOutput"], { version: Version }>;

/** A JSON Schema (draft 2020-12), as graphs/nodes/json_schema.py derives it from a config
 *  dataclass: object, array, scalar, enum and anyOf schemas. */
export interface JsonSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: (string | number | boolean | null)[];
  anyOf?: JsonSchema[];
  default?: unknown;
  description?: string;
}

/** GET /api/node-kinds/: one node kind as graphs/nodes/describe.py serves it. */
export type NodeKindInfo = Refine<Schemas["NodeKindOutput"], { config_schema: JsonSchema }>;

export type CatalogModel = Schemas["ModelOutput"];

/** A team's registered OpenAI-compatible endpoint; the API key is write-only. */
export type Endpoint = Schemas["EndpointOutput"];

/** What registering or changing an endpoint sends (`api_key` is never read back). */
export type EndpointInput = Omit<Schemas["EndpointCreateInputRequest"], "team" | "key">;

/** The outcome of POST /api/models/endpoints/test/ (or /{id}/test/): a failure is a value. */
export type ConnectionReport = Schemas["ConnectionReportOutput"];

export type Template = Refine<Schemas["TemplateOutput"], { spec: GraphSpec }>;

/** The 409 body of a save: the version that got there first. */
export type VersionConflictBody = Refine<Schemas["VersionConflict"], { code: "version_conflict"; latest: Version }>;

export type RunRowStatus = Schemas["StatusEnum"];

/** A run as listed (webapp/runs/serializers.py RunOutput). */
export type RunSummary = Schemas["RunOutput"];

/** A router adapter trained in the app (webapp/catalog/serializers.py RouterAdapterOutput):
 *  a router uses it as `{mode: "functional-token", adapter: name}`. */
export type RouterAdapter = Schemas["RouterAdapterOutput"];

/** A router adapter shipped with Octograph (webapp/catalog/serializers.py
 *  BuiltinRouterAdapterOutput), usable by every team: `targets` is how many edges it routes to,
 *  `val_accuracy` its accuracy on the `validation_examples` held out from `train_examples`. */
export type BuiltinRouterAdapter = Schemas["BuiltinRouterAdapterOutput"];

/** A row of `GET /api/models/adapters/`: the built-in adapters, then the team's trained ones. */
export type AdapterChoice = Schemas["RouterAdapterChoice"];

export type TrainingStatus = Schemas["StatusEnum"];

/** What a user chooses about a training (workers/routing/job.py TrainingOptions). */
export type TrainingOptions = Schemas["TrainingOptionsOutput"];

/** The last training step reported. */
export type TrainingProgress = Schemas["TrainingProgressOutput"];

/** A training (webapp/training/serializers.py TrainingOutput), as the REST API returns it and
 *  as /ws/trainings/<id>/ sends it on every change (a larger `revision` each time). */
export type Training = Schemas["TrainingOutput"];

/* Evaluation (webapp/evaluation; the shapes of /work/eval_plan.md section 3). */

export type DatasetSource = Schemas["SourceEnum"];

/** A team's dataset: immutable once created. `fields` lists the optional row fields present in
 *  any row (expected, choices, answer, route, images, metadata), sorted. */
export type Dataset = Schemas["DatasetOutput"];

/** A dataset shipped with Octograph (graphs/evaluation/builtin.py). */
export type BuiltinDataset = Schemas["BuiltinDatasetOutput"];

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
export type ScorerInfo = Schemas["ScorerOutput"];

/** A scorer of an experiment: its name and options (ScorerSpec.to_json()). */
export type ScorerSpecJson = { name: string } & Record<string, unknown>;

export type ExperimentStatus = Schemas["StatusEnum"];

export type ExperimentProgress = Schemas["ProgressOutput"];

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
export type Experiment = Refine<
  Schemas["ExperimentOutput"],
  {
    scorers: ScorerSpecJson[];
    /** Null (or partial) until rows have been scored; kept current while it runs. */
    summary: Partial<ExperimentSummary> | null;
  }
>;

export type StartExperimentBody = Schemas["ExperimentStartInputRequest"];

/** "judging": the row's run finished and a judge model is grading its answer. */
export type ExperimentRowStatus = "pending" | "running" | "judging" | "scored";

export interface ExperimentRowScore {
  value: number | null;
  detail?: Record<string, unknown>;
}

/** One row of an experiment with its run's outcome and scores. */
export type ExperimentRow = Refine<
  Schemas["ExperimentRowOutput"],
  {
    status: ExperimentRowStatus;
    scores: Record<string, ExperimentRowScore>;
    decisions: Record<string, { target: string; probability: number }>;
  }
>;

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

export type CompareResult = Refine<
  Schemas["CompareOutput"],
  {
    experiments: Experiment[];
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
>;

export type ParetoPoint = Schemas["ParetoPointOutput"];

export type ParetoResult = Schemas["ParetoOutput"];
