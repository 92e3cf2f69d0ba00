import type { EdgeProps } from "@xyflow/react";
import { BaseEdge, EdgeLabelRenderer, getBezierPath } from "@xyflow/react";
import { memo } from "react";

import type { FlowEdge } from "../graph/flow";
import { problemText } from "../graph/problems";
import { RouteBadge } from "../runs/overlay";
import { useEdgeRoute } from "../runs/routes";
import { useEditor } from "../store/editor";

/** Every edge: a bezier, plus `<token> description` on router edges, problems, diff status and
 *  the shown run's routing (chosen edge, probability). */
export const OctoEdge = memo(function OctoEdge(props: EdgeProps<FlowEdge>) {
  const { id, source, target, data, selected, markerEnd } = props;
  const problems = useEditor((s) => s.problemIndex.edges.get(id));
  const diff = useEditor((s) => s.compare?.marks.edges.get(id));
  const selectOnly = useEditor((s) => s.selectOnly);
  const route = useEdgeRoute(source, id, target);
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
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={problems?.map(problemText).join("\n") ?? (route === null ? undefined : data?.description)}
            data-edge-id={id}
          >
            {routed && <span className="token">&lt;{data?.token}&gt;</span>}
            {/* While a run is shown the probability takes the description's room: labels of
                short edges would otherwise hide under the nodes. */}
            {routed && route === null && <span className="ellipsis">{data?.description || "describe me"}</span>}
            {route !== null && <RouteBadge route={route} />}
            {problems !== undefined && <span className="problem-badge">{problems.length}</span>}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
