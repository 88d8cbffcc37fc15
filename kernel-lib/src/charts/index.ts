/**
 * Chart builders: each returns a Vega-Lite v5 spec with its data inline, for
 * `show(spec)` in a notebook. They compute nothing heavy in the front end:
 * histograms, box statistics, decision regions and loss landscapes are
 * computed here, and large series are thinned to 5,000 points.
 *
 *   import { show, charts } from "kernel-lib";
 *   show(charts.lossCurves(history));
 */
export { VEGA_LITE_SCHEMA, MAX_POINTS, decimate, type VegaLiteSpec } from "./spec";
export { line, bar, scatter, type Row, type LineOptions, type BarOptions, type ScatterOptions } from "./basic";
export { lossCurves, accuracyCurves, lrSchedule, curveLabel, type CurveRow, type CurvesOptions, type LrSeries, type LrScheduleOptions } from "./training";
export {
  layerHistograms, layerBoxPlots, layerStatsChart, gradientNorms, histogram, fiveNumbers,
  type LayerValues, type LayerHistogramsOptions, type LayerBoxPlotsOptions, type LayerStatsRow, type GradientNormRow,
} from "./layers";
export { heatmap, type HeatmapOptions } from "./heatmap";
export { decisionBoundary, type DecisionBoundaryOptions } from "./decision-boundary";
export { lossSurfaceTrajectories, type LossSurfaceOptions, type OptimizerPath } from "./loss-surface";
export { activationFunctions, type NamedFunction, type ActivationFunctionsOptions } from "./activation-functions";
