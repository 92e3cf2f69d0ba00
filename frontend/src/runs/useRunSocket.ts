import { useEffect, useState } from "react";

import type { Connection, SocketLike } from "./follow";
import { followRun } from "./follow";
import { isFinished } from "./runState";
import { useRunStore } from "./store";

/** Follows `run` live into the run store while it is set (again from the store's last seq
 *  whenever `generation` changes); how the connection stands. */
export function useRunSocket(run: number | null, generation: number): Connection {
  const [connection, setConnection] = useState<Connection>("closed");

  useEffect(() => {
    if (run === null) return;
    return followRun({
      run,
      location: window.location,
      lastSeq: () => useRunStore.getState().view?.lastSeq ?? 0,
      finished: () => {
        const view = useRunStore.getState().view;
        return view === null || isFinished(view);
      },
      onEvent: (event) => useRunStore.getState().apply(event),
      onConnection: setConnection,
      connect: openSocket,
      schedule: browserSchedule,
    });
  }, [run, generation]);

  return connection;
}

/** setTimeout for the followers, returning how to cancel it. */
export function browserSchedule(callback: () => void, ms: number): () => void {
  const timer = window.setTimeout(callback, ms);
  return () => window.clearTimeout(timer);
}

/** A browser WebSocket behind the handlers a follower (followRun, followSnapshots) sets. */
export function openSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = { onopen: null, onmessage: null, onclose: null, close: () => ws.close() };
  ws.onopen = () => socket.onopen?.();
  ws.onmessage = (message: MessageEvent<string>) => socket.onmessage?.(message);
  ws.onclose = (close) => socket.onclose?.(close);
  return socket;
}
