/**
 * Follows a live run over `/ws/runs/<id>/?after=<seq>` (webapp/runs/consumers.py) into the run
 * store. The server sends every event after `after` once and closes after the terminal one, so a
 * dropped connection is reopened with the last applied seq and nothing is lost or doubled (the
 * reducer also ignores any seq it has applied).
 */
import { useEffect, useState } from "react";

import type { RunEvent } from "./events";
import { isFinished } from "./runState";
import { useRunStore } from "./store";

export type Connection = "connecting" | "open" | "reconnecting" | "closed";

const RETRY_MS = [500, 1_000, 2_000, 5_000, 10_000];
/** Close codes of refusals (webapp/ws.py): retrying cannot help. */
const REFUSED_FROM = 4000;

export function runSocketUrl(run: number, after: number, location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/runs/${run}/?after=${after}`;
}

export function retryDelay(attempt: number): number {
  return RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 0;
}

export function useRunSocket(run: number | null): Connection {
  const [connection, setConnection] = useState<Connection>("closed");

  useEffect(() => {
    if (run === null) return;
    let stopped = false;
    let attempt = 0;
    let retry: number | undefined;
    let socket: WebSocket | null = null;

    const open = () => {
      const after = useRunStore.getState().view?.lastSeq ?? 0;
      setConnection(attempt === 0 ? "connecting" : "reconnecting");
      socket = new WebSocket(runSocketUrl(run, after, window.location));
      socket.onopen = () => {
        attempt = 0;
        setConnection("open");
      };
      socket.onmessage = (message: MessageEvent<string>) => {
        useRunStore.getState().apply(JSON.parse(message.data) as RunEvent);
      };
      socket.onclose = (close) => {
        socket = null;
        const view = useRunStore.getState().view;
        if (stopped || close.code >= REFUSED_FROM || view === null || isFinished(view)) {
          setConnection("closed");
          return;
        }
        setConnection("reconnecting");
        retry = window.setTimeout(open, retryDelay(attempt));
        attempt += 1;
      };
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      socket?.close();
    };
  }, [run]);

  return connection;
}
