/** ECharts with only what the Evaluate page draws registered (tree-shaken: heat maps, scatter,
 *  lines and bars on a grid, with tooltips, colour scales, titles, legends and mark lines). */
import { BarChart, HeatmapChart, LineChart, ScatterChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, HeatmapChart, LineChart, ScatterChart, CanvasRenderer]);
echarts.use([GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent]);

export { echarts };
