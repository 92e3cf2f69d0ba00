import { describe, expect, it } from "vitest";

import type { BuiltinRouterAdapter, RouterAdapter, Training } from "../api/types";
import {
  adapterHint,
  adapterLabel,
  builtinAdapterLabel,
  formatDuration,
  groupAdapters,
  newerTraining,
  orderAdapters,
  progressView,
  startBlocker,
  trainingSocketUrl,
} from "./training";

function training(patch: Partial<Training> = {}): Training {
  return {
    id: 1,
    graph: 7,
    version: 2,
    router: "router",
    status: "running",
    options: { epochs: 3, examples_per_edge: 40, model_queries_per_edge: 0, validation_fraction: 0.2 },
    progress: { step: 3, total_steps: 12, epoch: 1, loss: 0.51234, val_accuracy: 0.875, elapsed_s: 30, eta_s: 90 },
    error: "",
    adapter: null,
    revision: 5,
    created_by: "eddie",
    created_at: "2025-01-01T00:00:00Z",
    started_at: "2025-01-01T00:00:01Z",
    finished_at: null,
    ...patch,
  };
}

function adapter(id: number, patch: Partial<RouterAdapter> = {}): RouterAdapter {
  return {
    id,
    builtin: false,
    team: 1,
    name: `adapter-${id}`,
    base_model: "smollm2-135m-instruct",
    graph: 7,
    version: 1,
    router: "router",
    val_accuracy: 0.9,
    train_examples: 96,
    validation_examples: 24,
    created_by: "eddie",
    created_at: `2025-01-0${id}T00:00:00Z`,
    ...patch,
  };
}

const MMLU: BuiltinRouterAdapter = {
  builtin: true,
  team: null,
  name: "router-mmlu17",
  base_model: "smollm2-135m-instruct",
  targets: 17,
  val_accuracy: 0.8445,
  train_examples: 2749,
  validation_examples: 283,
};

describe("newerTraining", () => {
  it("keeps the newest revision of one training, whatever order they arrive in", () => {
    const older = training({ revision: 4 });
    const newer = training({ revision: 6, status: "completed" });
    expect(newerTraining(null, older)).toBe(older);
    expect(newerTraining(older, newer)).toBe(newer);
    expect(newerTraining(newer, older)).toBe(newer);
    expect(newerTraining(newer, training({ revision: 6 }))).toBe(newer);
  });

  it("replaces the training when another one arrives (a new start)", () => {
    const next = training({ id: 2, revision: 1, status: "queued" });
    expect(newerTraining(training({ revision: 9 }), next)).toBe(next);
  });
});

describe("progressView", () => {
  it("reads step, loss, accuracy and ETA while running", () => {
    expect(progressView(training())).toEqual({
      fraction: 0.25,
      steps: "Step 3/12 (epoch 1)",
      loss: "loss 0.5123",
      accuracy: "val acc 87.5%",
      eta: "ETA 1 min 30 s",
    });
  });

  it("says what is awaited before the first step", () => {
    expect(progressView(training({ status: "queued", progress: null })).steps).toBe("Waiting for a training worker");
    expect(progressView(training({ progress: null })).steps).toBe("Preparing data and the model");
    expect(progressView(training({ progress: null })).fraction).toBe(0);
  });

  it("is full when completed and says how long it took", () => {
    const done = training({
      status: "completed",
      progress: { step: 12, total_steps: 12, epoch: 3, loss: 0.01, val_accuracy: null, elapsed_s: 3725, eta_s: 0 },
    });
    const view = progressView(done);
    expect(view.fraction).toBe(1);
    expect(view.accuracy).toBe("val acc –");
    expect(view.eta).toBe("took 1 h 2 min");
  });

  it("keeps the bar where a cancelled training stopped", () => {
    expect(progressView(training({ status: "cancelled" })).fraction).toBe(0.25);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [44.6, "45 s"],
    [60, "1 min"],
    [200, "3 min 20 s"],
    [3600, "1 h"],
    [-3, "0 s"],
  ])("%s s reads %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("startBlocker", () => {
  const ready = { canEdit: true, dirty: false, saved: true, active: false };
  it("allows a saved, clean graph for an editor", () => {
    expect(startBlocker(ready)).toBeNull();
  });
  it("says why not, the role first", () => {
    expect(startBlocker({ ...ready, canEdit: false, dirty: true })).toBe("Training needs the editor role.");
    expect(startBlocker({ ...ready, dirty: true })).toBe("Save your changes first: training uses the saved version.");
    expect(startBlocker({ ...ready, saved: false })).toBe("Save the graph first: training uses a saved version.");
    expect(startBlocker({ ...ready, active: true })).toBe("This router is being trained.");
  });
});

describe("orderAdapters", () => {
  it("puts this router's adapters first, each group newest first", () => {
    const other = adapter(3, { router: "second" });
    const elsewhere = adapter(4, { graph: 8 });
    const ordered = orderAdapters([adapter(1), other, adapter(2), elsewhere], 7, "router");
    expect(ordered.map((a) => a.id)).toEqual([2, 1, 4, 3]);
  });

  it("labels where each adapter comes from", () => {
    expect(adapterLabel(adapter(1), 7, "router")).toBe("adapter-1 (this router, v1, 90.0%)");
    expect(adapterLabel(adapter(2, { graph: null, val_accuracy: null }), 7, "router")).toBe("adapter-2 (router router)");
    expect(adapterLabel(adapter(3, { graph: 8 }), 7, "router")).toBe("adapter-3 (router router of graph 8, 90.0%)");
  });
});

describe("built-in adapters", () => {
  it("are grouped apart from the team's trained ones, which keep their order", () => {
    const shipped = { ...MMLU, name: "a-shipped" };
    const groups = groupAdapters([MMLU, shipped, adapter(1), adapter(2)], 7, "router");
    expect(groups.builtin.map((a) => a.name)).toEqual(["a-shipped", "router-mmlu17"]);
    expect(groups.trained.map((a) => a.id)).toEqual([2, 1]);
  });

  it("are labelled with their validation figures", () => {
    expect(builtinAdapterLabel(MMLU)).toBe("router-mmlu17 (84.5% on 283 held-out questions, 17 targets)");
    expect(builtinAdapterLabel({ ...MMLU, val_accuracy: null })).toBe(
      "router-mmlu17 (not validated (283 held-out questions), 17 targets)",
    );
  });

  it("are described in the hint when chosen, instead of 'none trained yet'", () => {
    const groups = groupAdapters([MMLU], 7, "router");
    expect(adapterHint(groups, "router-mmlu17")).toBe(
      "Built-in: 84.5% on 283 held-out questions, 17 targets; trained on 2,749 examples.",
    );
    expect(adapterHint(groups, "elsewhere")).toBe("None trained yet: train this router below.");
    expect(adapterHint(groupAdapters([MMLU, adapter(1)], 7, "router"), "adapter-1")).toBeUndefined();
  });
});

it("builds the training socket's URL for the page's scheme", () => {
  expect(trainingSocketUrl(4, { protocol: "https:", host: "octo.example" })).toBe("wss://octo.example/ws/trainings/4/");
  expect(trainingSocketUrl(4, { protocol: "http:", host: "localhost:8000" })).toBe("ws://localhost:8000/ws/trainings/4/");
});
