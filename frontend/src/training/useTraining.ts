import { useCallback, useEffect, useState } from "react";

import { errorText } from "../api/client";
import { api } from "../api/endpoints";
import type { Training, TrainingOptions } from "../api/types";
import { followSnapshots } from "../runs/follow";
import { browserSchedule, openSocket } from "../runs/useRunSocket";
import { isFinished, newerTraining, trainingSocketUrl } from "./training";

export interface TrainingHandle {
  /** The router's latest training (null: never trained), kept live while it runs. */
  training: Training | null;
  /** Why the last start or cancel was refused. */
  error: string | null;
  busy: boolean;
  start(version: number, options: TrainingOptions): Promise<void>;
  cancel(): Promise<void>;
}

/** The latest training of router `router` of graph `graph`, followed over its socket while it
 *  is under way; starting and cancelling it. Mount it per router (a `key`): its state is that
 *  router's. */
export function useTraining(graph: number, router: string): TrainingHandle {
  const [training, setTraining] = useState<Training | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keep = useCallback((incoming: Training) => setTraining((current) => newerTraining(current, incoming)), []);

  useEffect(() => {
    let current = true;
    void api.trainings(graph, router).then((result) => {
      const latest = result.ok ? result.value[0] : undefined;
      if (current && latest !== undefined) keep(latest);
    });
    return () => {
      current = false;
    };
  }, [graph, router, keep]);

  const followed = training !== null && !isFinished(training) ? training.id : null;
  useEffect(() => {
    if (followed === null) return;
    return followSnapshots<Training>({
      url: trainingSocketUrl(followed, window.location),
      isFinished,
      onSnapshot: keep,
      onConnection: () => undefined,
      connect: openSocket,
      schedule: browserSchedule,
    });
  }, [followed, keep]);

  const start = useCallback(
    async (version: number, options: TrainingOptions) => {
      setBusy(true);
      setError(null);
      const result = await api.startTraining(graph, router, version, options);
      setBusy(false);
      if (result.ok) keep(result.value);
      else setError(errorText(result.error));
    },
    [graph, router, keep],
  );

  const cancel = useCallback(async () => {
    if (training === null) return;
    setBusy(true);
    const result = await api.cancelTraining(training.id);
    setBusy(false);
    if (result.ok) keep(result.value);
    else setError(errorText(result.error));
  }, [training, keep]);

  return { training, error, busy, start, cancel };
}
