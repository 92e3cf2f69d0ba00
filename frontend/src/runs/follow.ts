/**
 * Following a live run over `/ws/runs/<id>/?after=<seq>` (webapp/runs/consumers.py), apart from
 * React so the reconnect rules can be tested with a fake socket. The server sends every event
 * after `after` once and closes after the terminal one, so a dropped connection is reopened
 * with the last applied seq and nothing is lost or doubled (the reducer also ignores any seq it
 * has applied).
 */
import type { RunEvent } from "./events";

export type Connection = "connecting" | "open" | "reconnecting" | "closed";

/** What `followRun` needs of a WebSocket. */
export interface SocketLike {
  onopen: (() => void) | null;
  onmessage: ((message: { data: string }) => void) | null;
  onclose: ((close: { code: number }) => void) | null;
  close(): void;
}

export interface FollowOptions {
  run: number;
  location: Pick<Location, "protocol" | "host">;
  /** The last seq applied, read at each (re)connection. */
  lastSeq: () => number;
  /** Whether the terminal event has been applied: then a close is the end. */
  finished: () => boolean;
  onEvent: (event: RunEvent) => void;
  onConnection: (connection: Connection) => void;
  connect: (url: string) => SocketLike;
  /** setTimeout, returning how to cancel it. */
  schedule: (callback: () => void, ms: number) => () => void;
}

const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000];
/** Close codes of refusals (webapp/ws.py): retrying cannot help. */
export const REFUSED_FROM = 4000;

export function runSocketUrl(run: number, after: number, location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/runs/${run}/?after=${after}`;
}

export function retryDelay(attempt: number): number {
  return RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 0;
}

/** What `followSocket` needs: where to connect, how to read a frame, when a close is the end. */
export interface SocketFollowOptions {
  /** The URL to open, read at each (re)connection. */
  url: () => string;
  /** Whether everything has arrived: then a close is the end, not a drop. */
  finished: () => boolean;
  onMessage: (data: string) => void;
  onConnection: (connection: Connection) => void;
  connect: (url: string) => SocketLike;
  /** setTimeout, returning how to cancel it. */
  schedule: (callback: () => void, ms: number) => () => void;
}

/** Connects, reconnecting with backoff after each close until `finished()` or a refusal;
 * returns how to stop. */
export function followSocket(options: SocketFollowOptions): () => void {
  let stopped = false;
  let attempt = 0;
  let cancelRetry: (() => void) | null = null;
  let socket: SocketLike | null = null;

  const open = () => {
    options.onConnection(attempt === 0 ? "connecting" : "reconnecting");
    const current = options.connect(options.url());
    socket = current;
    current.onopen = () => {
      attempt = 0;
      options.onConnection("open");
    };
    current.onmessage = (message) => options.onMessage(message.data);
    current.onclose = (close) => {
      socket = null;
      if (stopped || close.code >= REFUSED_FROM || options.finished()) {
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

/** What `followSnapshots` needs: a socket whose every frame is the whole object (a training or
 * an experiment: webapp/revisions.py), until one that `isFinished`. */
export interface SnapshotFollowOptions<T> extends Pick<SocketFollowOptions, "onConnection" | "connect" | "schedule"> {
  url: string;
  isFinished: (snapshot: T) => boolean;
  onSnapshot: (snapshot: T) => void;
}

/** Follows an object that the server sends whole at each change (so a reconnect simply gets the
 * current state again) until a finished one has arrived; returns how to stop. */
export function followSnapshots<T>(options: SnapshotFollowOptions<T>): () => void {
  let finished = false;
  return followSocket({
    url: () => options.url,
    finished: () => finished,
    onMessage: (data) => {
      const snapshot = JSON.parse(data) as T;
      finished = options.isFinished(snapshot);
      options.onSnapshot(snapshot);
    },
    onConnection: options.onConnection,
    connect: options.connect,
    schedule: options.schedule,
  });
}

/** Connects, reconnecting with backoff until the run has finished; returns how to stop. */
export function followRun(options: FollowOptions): () => void {
  return followSocket({
    url: () => runSocketUrl(options.run, options.lastSeq(), options.location),
    finished: options.finished,
    onMessage: (data) => options.onEvent(JSON.parse(data) as RunEvent),
    onConnection: options.onConnection,
    connect: options.connect,
    schedule: options.schedule,
  });
}
