/**
 * Following an experiment over `/ws/experiments/<id>/`, apart from React so the reconnect rules
 * can be tested with a fake socket. Every frame is the whole experiment (a larger `revision` at
 * each change); the server closes once it has finished, and a close before that is retried with
 * backoff through the same follower runs and trainings use.
 */
import type { Experiment } from "../api/types";
import type { Connection, SocketLike } from "../runs/follow";
import { followSocket } from "../runs/follow";
import { experimentSocketUrl, isExperimentFinished } from "./experiments";

export interface FollowExperimentOptions {
  experiment: number;
  location: Pick<Location, "protocol" | "host">;
  onExperiment: (experiment: Experiment) => void;
  onConnection: (connection: Connection) => void;
  connect: (url: string) => SocketLike;
  schedule: (callback: () => void, ms: number) => () => void;
}

export function followExperiment(options: FollowExperimentOptions): () => void {
  let finished = false;
  return followSocket({
    url: () => experimentSocketUrl(options.experiment, options.location),
    finished: () => finished,
    onMessage: (data) => {
      const experiment = JSON.parse(data) as Experiment;
      finished = isExperimentFinished(experiment);
      options.onExperiment(experiment);
    },
    onConnection: options.onConnection,
    connect: options.connect,
    schedule: options.schedule,
  });
}
