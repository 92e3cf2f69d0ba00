import { describe, expect, it } from "vitest";

import type { Training } from "../api/types";
import type { Connection, SocketLike } from "../runs/follow";
import { followTraining } from "./follow";

function frame(revision: number, status: Training["status"]): { data: string } {
  return { data: JSON.stringify({ id: 1, revision, status }) };
}

function harness() {
  const sockets: (SocketLike & { url: string; closed: boolean })[] = [];
  const retries: (() => void)[] = [];
  const received: number[] = [];
  const connections: Connection[] = [];
  const stop = followTraining({
    training: 1,
    location: { protocol: "http:", host: "localhost" },
    onTraining: (training) => received.push(training.revision),
    onConnection: (connection) => connections.push(connection),
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

describe("followTraining", () => {
  it("reconnects after a drop until a finished training arrives, then stays closed", () => {
    const { sockets, retries, received, connections } = harness();
    sockets[0]?.onopen?.();
    sockets[0]?.onmessage?.(frame(3, "running"));
    sockets[0]?.onclose?.({ code: 1006 });
    expect(retries).toHaveLength(1);
    retries[0]?.();
    expect(sockets[1]?.url).toBe("ws://localhost/ws/trainings/1/");
    sockets[1]?.onmessage?.(frame(4, "completed"));
    sockets[1]?.onclose?.({ code: 1000 });
    expect(received).toEqual([3, 4]);
    expect(retries).toHaveLength(1);
    expect(connections.at(-1)).toBe("closed");
  });

  it("gives up on a refusal and closes the socket when stopped", () => {
    const refused = harness();
    refused.sockets[0]?.onclose?.({ code: 4404 });
    expect(refused.retries).toHaveLength(0);

    const stopped = harness();
    stopped.stop();
    expect(stopped.sockets[0]?.closed).toBe(true);
  });
});
