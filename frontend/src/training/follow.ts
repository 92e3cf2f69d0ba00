/**
 * Following a training over `/ws/trainings/<id>/` (webapp/training/consumers.py), apart from
 * React so the reconnect rules can be tested with a fake socket. Every frame is the whole
 * training, so a reconnect simply gets the current state again; the server closes after a
 * finished one, and a close before that is retried with backoff (as a run's socket is).
 */
import type { Training } from "../api/types";
import type { Connection, SocketLike } from "../runs/follow";
import { retryDelay } from "../runs/follow";
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

/** Close codes of refusals (webapp/ws.py): retrying cannot help. */
const REFUSED_FROM = 4000;

/** Connects, reconnecting until a finished training has arrived; returns how to stop. */
export function followTraining(options: FollowTrainingOptions): () => void {
  let stopped = false;
  let finished = false;
  let attempt = 0;
  let cancelRetry: (() => void) | null = null;
  let socket: SocketLike | null = null;

  const open = () => {
    options.onConnection(attempt === 0 ? "connecting" : "reconnecting");
    const current = options.connect(trainingSocketUrl(options.training, options.location));
    socket = current;
    current.onopen = () => {
      attempt = 0;
      options.onConnection("open");
    };
    current.onmessage = (message) => {
      const training = JSON.parse(message.data) as Training;
      finished = isFinished(training);
      options.onTraining(training);
    };
    current.onclose = (close) => {
      socket = null;
      if (stopped || finished || close.code >= REFUSED_FROM) {
        options.onConnection("closed");
        return;
      }
      options.onConnection("reconnecting");
      cancelRetry = options.schedule(open, retryDelay(attempt));
      attempt += 1;
    };
  };
  open();

  return () => {
    stopped = true;
    cancelRetry?.();
    socket?.close();
  };
}
