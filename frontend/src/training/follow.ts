/**
 * Following a training over `/ws/trainings/<id>/` (webapp/training/consumers.py), apart from
 * React so the reconnect rules can be tested with a fake socket. Every frame is the whole
 * training, so a reconnect simply gets the current state again; the server closes after a
 * finished one, and a close before that is retried with backoff (as a run's socket is).
 */
import type { Training } from "../api/types";
import type { Connection, SocketLike } from "../runs/follow";
import { followSocket } from "../runs/follow";
import { isFinished, trainingSocketUrl } from "./training";

export interface FollowTrainingOptions {
  training: number;
  location: Pick<Location, "protocol" | "host">;
  onTraining: (training: Training) => void;
  onConnection: (connection: Connection) => void;
  connect: (url: string) => SocketLike;
  /** setTimeout, returning how to cancel it. */
  schedule: (callback: () => void, ms: number) => () => void;
}

/** Connects, reconnecting until a finished training has arrived; returns how to stop. */
export function followTraining(options: FollowTrainingOptions): () => void {
  let finished = false;
  return followSocket({
    url: () => trainingSocketUrl(options.training, options.location),
    finished: () => finished,
    onMessage: (data) => {
      const training = JSON.parse(data) as Training;
      finished = isFinished(training);
      options.onTraining(training);
    },
    onConnection: options.onConnection,
    connect: options.connect,
    schedule: options.schedule,
  });
}
