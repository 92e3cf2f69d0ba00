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
  endpoint: number | null;
}

export interface Template {
  name: string;
  title: string;
  description: string;
  spec: GraphSpec;
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
