import { describe, expect, it } from "vitest";

import type { RunEvent } from "./events";
import type { Connection, SocketLike } from "./follow";
import { followRun, followSnapshots, retryDelay, runSocketUrl } from "./follow";
import { applyEvent, emptyView, isFinished } from "./runState";

class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: ((close: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  send(event: RunEvent) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
}

const event = (seq: number, type: RunEvent["type"] = "node.delta"): RunEvent =>
  ({ run: "7", seq, ts: "2026-01-01T00:00:00Z", type, node: "m", data: type === "node.delta" ? { text: `${seq} ` } : { output: "done" } }) as RunEvent;

/** followRun against fake sockets and a manual clock, folding into a view like the store does. */
function harness() {
  const sockets: FakeSocket[] = [];
  const timers: (() => void)[] = [];
  const connections: Connection[] = [];
  let view = emptyView(["m"]);
  const stop = followRun({
    run: 7,
    location: { protocol: "http:", host: "h" },
    lastSeq: () => view.lastSeq,
    finished: () => isFinished(view),
    onEvent: (e) => (view = applyEvent(view, e)),
    onConnection: (c) => connections.push(c),
    connect: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    schedule: (callback) => {
      timers.push(callback);
      return () => timers.splice(timers.indexOf(callback), 1);
    },
  });
  return { sockets, timers, connections, stop, view: () => view };
}

/** What both followers promise: a refused socket (4404) is not retried, and stopping closes
 *  the socket. */
function itGivesUpOnARefusalAndClosesWhenStopped(
  start: () => { sockets: readonly (SocketLike & { closed: boolean })[]; retries: readonly unknown[]; stop: () => void },
) {
  it("gives up on a refusal and closes the socket when stopped", () => {
    const refused = start();
    refused.sockets[0]?.onclose?.({ code: 4404 });
    expect(refused.retries).toHaveLength(0);
    const stopped = start();
    stopped.stop();
    expect(stopped.sockets[0]?.closed).toBe(true);
  });
}

describe("followRun", () => {
  it("reconnects after a drop from the last applied seq, and loses or doubles nothing", () => {
    const h = harness();
    const [first] = h.sockets;
    first?.onopen?.();
    first?.send(event(1));
    first?.send(event(2));
    first?.onclose?.({ code: 1006 });
    expect(h.connections.at(-1)).toBe("reconnecting");
    h.timers.shift()?.();

    const second = h.sockets[1];
    expect(second?.url).toBe("ws://h/ws/runs/7/?after=2");
    second?.send(event(2)); // a repeat across the hand-over is ignored
    second?.send(event(3));
    second?.send(event(4, "run.completed"));
    second?.onclose?.({ code: 1000 });
    expect(h.view().nodes.m?.text).toBe("1 2 3 ");
    expect(h.view().status).toBe("completed");
    expect(h.timers).toHaveLength(0);
    expect(h.connections.at(-1)).toBe("closed");
  });

  itGivesUpOnARefusalAndClosesWhenStopped(() => {
    const h = harness();
    return { ...h, retries: h.timers };
  });

  it("builds ws or wss URLs like the page and backs off up to a ceiling", () => {
    expect(runSocketUrl(7, 0, { protocol: "https:", host: "h" })).toBe("wss://h/ws/runs/7/?after=0");
    expect(retryDelay(0)).toBeLessThan(retryDelay(2));
    expect(retryDelay(100)).toBe(retryDelay(4));
  });
});

interface Snapshot {
  revision: number;
  status: "running" | "completed";
}

function snapshotHarness() {
  const sockets: (SocketLike & { url: string; closed: boolean })[] = [];
  const retries: (() => void)[] = [];
  const received: number[] = [];
  const connections: Connection[] = [];
  const stop = followSnapshots<Snapshot>({
    url: "ws://localhost/ws/experiments/7/",
    isFinished: (snapshot) => snapshot.status === "completed",
    onSnapshot: (snapshot) => received.push(snapshot.revision),
    onConnection: (c) => connections.push(c),
    connect: (url) => {
      const socket = { url, closed: false, onopen: null, onmessage: null, onclose: null, close: () => (socket.closed = true) };
      sockets.push(socket);
      return socket;
    },
    schedule: (callback) => {
      retries.push(callback);
      return () => undefined;
    },
  });
  return { sockets, retries, received, connections, stop };
}

function snapshot(revision: number, status: Snapshot["status"]) {
  return { data: JSON.stringify({ revision, status }) };
}

describe("followSnapshots", () => {
  it("reconnects after a drop until a finished snapshot arrives, then stays closed", () => {
    const { sockets, retries, received, connections } = snapshotHarness();
    sockets[0]?.onopen?.();
    sockets[0]?.onmessage?.(snapshot(3, "running"));
    sockets[0]?.onclose?.({ code: 1006 });
    expect(retries).toHaveLength(1);
    retries[0]?.();
    expect(sockets[1]?.url).toBe("ws://localhost/ws/experiments/7/");
    sockets[1]?.onmessage?.(snapshot(9, "completed"));
    sockets[1]?.onclose?.({ code: 1000 });
    expect(received).toEqual([3, 9]);
    expect(retries).toHaveLength(1);
    expect(connections.at(-1)).toBe("closed");
  });

  itGivesUpOnARefusalAndClosesWhenStopped(snapshotHarness);
});
