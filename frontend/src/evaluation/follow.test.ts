import { describe, expect, it } from "vitest";

import type { Connection, SocketLike } from "../runs/follow";
import { experiment } from "./fixtures";
import { followExperiment } from "./follow";

function frame(revision: number, status: "running" | "completed") {
  return { data: JSON.stringify(experiment({ revision, status })) };
}

function harness() {
  const sockets: (SocketLike & { url: string; closed: boolean })[] = [];
  const retries: (() => void)[] = [];
  const received: number[] = [];
  const connections: Connection[] = [];
  const stop = followExperiment({
    experiment: 7,
    location: { protocol: "http:", host: "localhost" },
    onExperiment: (e) => received.push(e.revision),
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

describe("followExperiment", () => {
  it("reconnects after a drop until a finished experiment arrives", () => {
    const { sockets, retries, received, connections } = harness();
    expect(sockets[0]?.url).toBe("ws://localhost/ws/experiments/7/");
    sockets[0]?.onmessage?.(frame(3, "running"));
    sockets[0]?.onclose?.({ code: 1006 });
    expect(retries).toHaveLength(1);
    retries[0]?.();
    sockets[1]?.onmessage?.(frame(9, "completed"));
    sockets[1]?.onclose?.({ code: 1000 });
    expect(received).toEqual([3, 9]);
    expect(retries).toHaveLength(1);
    expect(connections.at(-1)).toBe("closed");
  });

  it("gives up on a refusal and closes when stopped", () => {
    const refused = harness();
    refused.sockets[0]?.onclose?.({ code: 4404 });
    expect(refused.retries).toHaveLength(0);
    const stopped = harness();
    stopped.stop();
    expect(stopped.sockets[0]?.closed).toBe(true);
  });
});
