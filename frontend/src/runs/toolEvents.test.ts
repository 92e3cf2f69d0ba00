import { describe, expect, it } from "vitest";

import type { RunEvent, ToolCallData } from "./events";
import { describeEvent, formatToolCall } from "./events";
import { applyEvents, emptyView } from "./runState";

const ts = (ms: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") + ms).toISOString();

const CALL: ToolCallData = {
  name: "convert_units",
  backend: "builtin",
  raw: "('26.2', 'miles', to_unit='km')",
  arguments: { value: 26.2, from_unit: "miles", to_unit: "km" },
};

const event = (seq: number, rest: Pick<RunEvent, "type" | "data">): RunEvent =>
  ({ run: "1", seq, ts: ts(seq), node: "units", ...rest }) as RunEvent;

describe("tool events", () => {
  it("fold into the tool node's call and result", () => {
    const view = applyEvents(emptyView(["units"]), [
      event(1, { type: "tool.call", data: CALL }),
      event(2, { type: "tool.result", data: { result: 42.1648128, output: "26.2 mi = 42.1648128 km", duration_ms: 0.2 } }),
    ]);
    expect(view.tools.units).toEqual({
      call: CALL,
      result: { result: 42.1648128, output: "26.2 mi = 42.1648128 km", duration_ms: 0.2 },
    });
  });

  it("start afresh on a retried call", () => {
    const view = applyEvents(emptyView(["units"]), [
      event(1, { type: "tool.call", data: CALL }),
      event(2, { type: "tool.result", data: { error: "webhook answered 503", duration_ms: 3 } }),
      event(3, { type: "tool.call", data: CALL }),
    ]);
    expect(view.tools.units).toEqual({ call: CALL, result: null });
  });

  it("ignore a result without its call", () => {
    const view = applyEvents(emptyView(["units"]), [
      event(1, { type: "tool.result", data: { output: "x", duration_ms: 1 } }),
    ]);
    expect(view.tools).toEqual({});
  });

  it("read as calls and outcomes in the replay's step list", () => {
    expect(formatToolCall(CALL)).toBe('convert_units(value=26.2, from_unit="miles", to_unit="km")');
    expect(formatToolCall({ ...CALL, arguments: null })).toBe("convert_units(('26.2', 'miles', to_unit='km'))");
    expect(describeEvent(event(1, { type: "tool.call", data: CALL }))).toBe(
      'units called convert_units(value=26.2, from_unit="miles", to_unit="km")',
    );
    expect(
      describeEvent(
        event(2, {
          type: "tool.result",
          data: {
            error: "invalid arguments for tool 'convert_units': argument 'value': expected a number, got 'x'",
            problems: [{ argument: "value", expected: "a number", got: "'x'" }],
            duration_ms: 0,
          },
        }),
      ),
    ).toBe("units failed to call: invalid arguments for tool 'convert_units': argument 'value': expected a number, got 'x'");
  });
});
