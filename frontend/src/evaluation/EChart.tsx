import { useEffect, useRef } from "react";

import { echarts } from "./echarts";
import type { ChartClick, ChartOption } from "./options";

interface Props {
  option: ChartOption;
  /** Pixels; the width follows the container. */
  height: number;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  label: string;
  onClick?: (click: ChartClick) => void;
  testId?: string;
}

/** The one ECharts wrapper: init on mount, setOption on change, resize with its box, dispose on
 *  unmount; clicks on data go to `onClick`. */
export function EChart({ option, height, label, onClick, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  useEffect(() => {
    click.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const instance = echarts.init(element, null, { renderer: "canvas" });
    chart.current = instance;
    instance.on("click", (params) => click.current?.(params as ChartClick));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className="echart" style={{ height }} role="img" aria-label={label} data-testid={testId} />;
}
