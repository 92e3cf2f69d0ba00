import type { EdgeProps } from "@xyflow/react";
import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore } from "@xyflow/react";
import { memo } from "react";

import type { FlowEdge } from "../graph/flow";
import { problemText } from "../graph/problems";
import { RouteBadge } from "../runs/overlay";
import type { EdgeRoute } from "../runs/routes";
import { useEdgeRoute, useNodeTitle } from "../runs/routes";
import { useEditor } from "../store/editor";

/** Every edge: a bezier, plus `<token> description` on router edges, problems, diff status and
 *  the shown run's routing (`<token> target title  probability`, the chosen edge marked; its
 *  label keeps a readable size however far the canvas is zoomed out). */
export const OctoEdge = memo(function OctoEdge(props: EdgeProps<FlowEdge>) {
  const { id, source, target, data, selected, markerEnd } = props;
  const problems = useEditor((s) => s.problemIndex.edges.get(id));
  const diff = useEditor((s) => s.compare?.marks.edges.get(id));
  const selectOnly = useEditor((s) => s.selectOnly);
  const route = useEdgeRoute(source, id, target);
  const scale = useReadableScale(route?.chosen === true);
  const [path, labelX, labelY] = getBezierPath(props);
  const classes = ["octo-edge"];
  if (selected === true) classes.push("selected");
  if (problems !== undefined) classes.push("has-problems");
  if (diff !== undefined) classes.push(`diff-${diff}`);
  if (route !== null) classes.push(route.chosen ? "route-chosen" : "route-other");
  const routed = data?.token !== undefined;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={classes.join(" ")} interactionWidth={16} />
      {(routed || problems !== undefined) && (
        <EdgeLabelRenderer>
          <div
            // nodrag/nopan: a click on the label selects the edge instead of panning.
            className={`edge-label nodrag nopan ${classes.join(" ")}`}
            onClick={() => selectOnly(id, "edge")}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px) scale(${scale})` }}
            title={problems?.map(problemText).join("\n") ?? data?.description}
            data-edge-id={id}
          >
            {routed && <span className="token">&lt;{data?.token}&gt;</span>}
            {routed && route === null && <span className="ellipsis">{data?.description || "describe me"}</span>}
            {route !== null && <RoutedTarget target={target} route={route} />}
            {problems !== undefined && <span className="problem-badge">{problems.length}</span>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

/** While a run is shown: the target's title and the edge's probability take the description's
 *  room (labels of short edges would otherwise hide under the nodes). */
function RoutedTarget({ target, route }: { target: string; route: EdgeRoute }) {
  const title = useNodeTitle(target);
  return (
    <>
      <span className="ellipsis" data-testid="route-target">
        {title}
      </span>
      <RouteBadge route={route} />
    </>
  );
}

/** How much to scale a label so that it reads at its own size on screen when the canvas is
 *  zoomed out (1 at zoom 1 and above, or when not `active`, so other edges never re-render
 *  on zoom). */
function useReadableScale(active: boolean): number {
  return useStore((s) => (active ? Math.max(1, 1 / s.transform[2]) : 1));
}
