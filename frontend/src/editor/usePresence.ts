/**
 * The graph's socket (`/ws/graphs/<id>/`, webapp/graphstore/consumers.py): who else has the
 * graph open and whether they are editing, and notices of versions saved meanwhile. Without a
 * socket (the server runs without Channels, or the network drops) the editor works as before:
 * saves still detect conflicts; the socket only tells earlier.
 */
import { useEffect, useRef, useState } from "react";
import { REFUSED_FROM } from "../runs/follow";

export interface PresentUser {
  user: string;
  role: string;
  mode: "viewing" | "editing";
}

export interface SavedNotice {
  version: number;
  author: string | null;
  message: string;
}

type Frame =
  | { type: "presence"; present: PresentUser[] }
  | { type: "version.saved"; version: number; author: string | null; message: string }
  | { type: "error"; code: string; message: string };

/** The server drops a client silent for three heartbeats (webapp/graphstore/presence.py). */
const HEARTBEAT_MS = 20_000;
const RETRY_MS = [1_000, 3_000, 10_000, 30_000];

export function usePresence(graphId: number, editing: boolean) {
  const [present, setPresent] = useState<PresentUser[]>([]);
  const [saved, setSaved] = useState<SavedNotice | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const editingRef = useRef(editing);

  useEffect(() => {
    let closed = false;
    let attempt = 0;
    let retry: number | undefined;
    let heartbeat: number | undefined;

    const open = () => {
      const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      const ws = new WebSocket(`${scheme}//${window.location.host}/ws/graphs/${graphId}/`);
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        if (editingRef.current) ws.send(JSON.stringify({ type: "mode", mode: "editing" }));
        heartbeat = window.setInterval(() => ws.send(JSON.stringify({ type: "heartbeat" })), HEARTBEAT_MS);
      };
      ws.onmessage = (event: MessageEvent<string>) => {
        const frame = JSON.parse(event.data) as Frame;
        if (frame.type === "presence") setPresent(frame.present);
        else if (frame.type === "version.saved") setSaved({ version: frame.version, author: frame.author, message: frame.message });
      };
      ws.onclose = (event: CloseEvent) => {
        window.clearInterval(heartbeat);
        socket.current = null;
        setPresent([]);
        if (closed || event.code >= REFUSED_FROM) return; // refused (gone, no access): retrying cannot help
        retry = window.setTimeout(open, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
        attempt += 1;
      };
    };
    open();
    return () => {
      closed = true;
      window.clearTimeout(retry);
      window.clearInterval(heartbeat);
      socket.current?.close();
    };
  }, [graphId]);

  useEffect(() => {
    editingRef.current = editing;
    const ws = socket.current;
    if (ws?.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: "mode", mode: editing ? "editing" : "viewing" }));
    }
  }, [editing]);

  return { present, saved, dismissSaved: () => setSaved(null) };
}
