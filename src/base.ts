/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Public exports, free of side effects (registration lives in index.ts).
export * from './kernel_names';
export * from './ops/ops';
export type {IntegralConv1DOptions} from './ops/integral_conv1d';
export type {IntegralConv2DOptions} from './ops/integral_conv2d';
export type {IntegralConv2DTransposeOptions} from './ops/integral_conv2d_transpose';
export {QUADRATURE_RULES, uniformQuadrature} from './ops/quadrature';
export type {QuadratureRule} from './ops/quadrature';
export {DEFAULT_CUBIC_A} from './ops/sampling';
export type {IntegralOptions} from './ops/sampling';
export * as layers from './layers/exports_layers';
export type {IntegralLayerArgs} from './layers/integral_layer_util';
export {fileSystem} from './io/file_system';
export {quantized} from './io/quantize';
export type {WeightQuantization} from './io/quantize';
export {wrapModel} from './model/wrap_model';
export {wrapGraphModel} from './model/wrap_graph_model';
export type {GraphModelLike} from './model/wrap_graph_model';
export type {WrapOptions} from './converter/convert';
export {IntegralModel} from './model/integral_model';
export type {IntegralFitArgs, RandomWidth} from './model/random_width_fit';
export type {GroupLayout} from './converter/channel_groups';
export type {WidthSpec} from './network/widths';
export {loadIntegralModel, loadModel} from './model/load_model';
export type {LoadIntegralModelOptions} from './model/load_model';
export type {CalibrateOptions, CalibrationData, CalibrationProgress} from './calibration/calibrate_options';
export type {InputData, InputDataset, InputSpec} from './calibration/input_data';
export type {DistillCallbacks, DistillOptions, DistillProgress, DistillWidths} from './calibration/distill_options';
export {modelCost} from './converter/model_cost';
export type {ModelCost} from './converter/model_cost';
export {searchWidths} from './model/search_widths';
export type {SearchWidthsOptions, WidthBudget, WidthSearchCost, WidthSearchResult} from './model/search_widths';
export type {ChannelGroup} from './converter/channel_groups';
export type {PermutationReport} from './converter/permutation';
export {version} from './version';
