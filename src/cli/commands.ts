/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {Presets, SingleBar} from 'cli-progress';

import {analyzeChannels, ChannelGroup} from '../converter/channel_groups';
import {disposeModel} from '../converter/topology';
import {modelFromArtifacts} from '../model/load_model';
// The package entry point: registers the kernels and gradients.
import {CalibrationProgress, DistillProgress, fileSystem, IntegralModel, QuadratureRule, quantized, searchWidths, WidthBudget, WrapOptions, wrapGraphModel, wrapModel} from '../index';
import {readCalibrationInputs} from './calibration_inputs';
import {CliError, modelJsonPath, outputDir} from './model_files';

/** Where a command writes its report. */
export type Print = (line: string) => void;

/**
 * Loads `<in>` as an IntegralModel when it was saved as one, a graph model (tfjs-converter output) wrapped as one
 * (`wrap`'s options), else as a stock LayersModel.
 */
async function loadAny(command: string, arg: string, wrap: WrapOptions = {permute: false}):
    Promise<IntegralModel|tfl.LayersModel> {
  const file = modelJsonPath(command, arg);
  const artifacts = await fileSystem(file).load!();
  if (artifacts.format !== 'graph-model') return modelFromArtifacts(artifacts, `tfjs-integral ${command}`, `'${file}'`);
  let converter: typeof import('@tensorflow/tfjs-converter');
  try {
    converter = await import('@tensorflow/tfjs-converter');
  } catch {
    throw new CliError(`tfjs-integral ${command}: '${file}' is a graph model; reading it needs ` +
                       `@tensorflow/tfjs-converter (npm install @tensorflow/tfjs-converter@4.22).`);
  }
  const graph = await converter.loadGraphModel(tf.io.fromMemory(artifacts));
  try {
    return await wrapGraphModel(graph, wrap);
  } finally {
    graph.dispose();
  }
}

async function loadIntegral(command: string, arg: string): Promise<IntegralModel> {
  const model = await loadAny(command, arg);
  if (model instanceof IntegralModel) return model;
  disposeModel(model);
  throw new CliError(`tfjs-integral ${command}: '${arg}' is a stock LayersModel, not an IntegralModel; run ` +
                     `'tfjs-integral convert' on it first.`);
}

/** Parameters of the stock model that `export` makes of `inn` at its current widths. */
function exportedParams(inn: IntegralModel): number {
  const stock = inn.toLayersModel();
  const count = stock.countParams();
  disposeModel(stock);
  return count;
}

/** Aligned text columns, the first row a header. */
export function formatTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
  return rows.map(r => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

function groupRows(groups: ChannelGroup[], integral: boolean): string[][] {
  return [
    ['group', integral ? 'width (original)' : 'width', 'kind', 'layers'],
    ...groups.map(g => [
      g.name,
      integral ? `${g.size} (${g.originalSize})` : `${g.size}`,
      g.continuous ? (g.segments ? `continuous: concatenation of ${g.segments.join(' + ')}` : 'continuous') :
                     `discrete: ${g.reason}`,
      g.layers.join(', '),
    ]),
  ];
}

/** `inspect`: the model's kind, parameters and channel groups, discrete ones with the reason. */
export async function inspect(input: string, print: Print, json = false): Promise<void> {
  const loaded = await loadAny('inspect', input);
  const integral = loaded instanceof IntegralModel;
  const model = integral ? loaded.model : loaded;
  try {
    const groups = integral ? loaded.groups : analyzeChannels(model).groups;
    const summary = {
      kind: integral ? (loaded.graph != null ? 'IntegralModel (of a graph model)' : 'IntegralModel') : 'LayersModel',
      className: model.getClassName(),
      layers: model.layers.length,
      params: model.countParams(),
      ...(integral ? {exportedParams: exportedParams(loaded)} : {}),
      groups,
    };
    if (json) {
      print(JSON.stringify(summary, null, 2));
      return;
    }
    const continuous = groups.filter(g => g.continuous).length;
    print(`${input}: ${summary.kind} (${summary.className}), ${summary.layers} layers, ${summary.params} parameters` +
          (integral ? ` (controls); ${summary.exportedParams} when exported at these widths` : ''));
    print(`${groups.length} channel groups, ${continuous} continuous (resampled by 'resample'), ` +
          `${groups.length - continuous} discrete (kept as they are):`);
    for (const line of formatTable(groupRows(groups, integral))) print(`  ${line}`);
  } finally {
    if (integral) loaded.dispose(); else disposeModel(model);
  }
}

/** Prints a command's report: `summary` as JSON with `--json`, else `lines`. */
function report(print: Print, json: boolean|undefined, summary: object, lines: string[]) {
  if (json) print(JSON.stringify(summary, null, 2));
  else lines.forEach(line => print(line));
}

/** Options of {@link convert}. */
export interface ConvertOptions {
  permute: boolean;
  quadrature: QuadratureRule;
  seed: number;
  force: boolean;
  json?: boolean;
}

/** `convert`: wraps a stock model as an IntegralModel and saves it with its groups. */
export async function convert(input: string, output: string, options: ConvertOptions, print: Print): Promise<void> {
  const wrap = {permute: options.permute, quadrature: options.quadrature, seed: options.seed};
  const model = await loadAny('convert', input, wrap);
  if (model instanceof IntegralModel && model.graph != null) {
    try {
      await saveConverted(model, input, outputDir('convert', output, options.force), options, print);
    } finally {
      model.dispose();
    }
    return;
  }
  if (model instanceof IntegralModel) {
    model.dispose();
    throw new CliError(`tfjs-integral convert: '${input}' is an IntegralModel already; use 'resample' or 'export'.`);
  }
  try {
    const dir = outputDir('convert', output, options.force);
    const inn = await wrapModel(model, wrap);
    try {
      await saveConverted(inn, input, dir, options, print);
    } finally {
      inn.dispose();
    }
  } finally {
    disposeModel(model);
  }
}

/** Saves a converted model to `dir` and reports its groups and permutation. */
async function saveConverted(inn: IntegralModel, input: string, dir: string, options: ConvertOptions, print: Print) {
  await inn.save(fileSystem(dir));
  const continuous = inn.groups.filter(g => g.continuous);
  report(print, options.json, {command: 'convert', input, output: dir, groups: inn.groups, permutation: inn.permutation}, [
    `converted ${input} → ${dir}: ${continuous.length} continuous groups ` +
        `(${continuous.map(g => `${g.name} ${g.size}`).join(', ')}), ${inn.groups.length - continuous.length} discrete`,
    ...inn.permutation.map(p => `  permuted ${p.group}: total variation ${p.tvBefore.toPrecision(4)} → ` +
                                `${p.tvAfter.toPrecision(4)} (${(100 * (p.tvAfter / p.tvBefore - 1)).toFixed(1)} %)`),
  ]);
}

/**
 * Options of {@link resample}: a width for every continuous group and / or widths of named groups; optionally
 * calibration inputs (a .npy array or a directory of images, `samples` of them, image pixels times `scale`).
 */
export interface ResampleOptions {
  width?: number;
  /** Search per-group widths under this fraction of the parameters (needs `calibrate`). */
  params?: number;
  /** Search per-group widths under this fraction of the FLOPs (needs `calibrate`). */
  flops?: number;
  group: Record<string, number>;
  force: boolean;
  calibrate?: string;
  samples?: number;
  scale?: number;
  /** Epochs of distillation on the calibration inputs after calibrating. */
  distill?: number;
  /** Calibrate on the uniform grid instead of a fitted one. */
  uniform?: boolean;
  /** Rows per regressor a layer's least squares reads at most (calibrate's `rowsPerRegressor`). */
  rowsPerRegressor?: number;
  json?: boolean;
}

/** A cli-progress bar on stderr over calibration's layer fits (drawn only on a terminal). */
function calibrationBar(): {onProgress: (p: CalibrationProgress) => void, stop: () => void} {
  const bar = new SingleBar({format: 'calibrating {bar} {value}/{total} layer fits | {layer}', hideCursor: true},
                            Presets.shades_classic);
  let started = false;
  return {
    onProgress: p => {
      if (!started) bar.start(p.total, 0, {layer: ''});
      started = true;
      bar.update(p.index + 1, {layer: p.layer});
    },
    stop: () => started && bar.stop(),
  };
}

/** A cli-progress bar on stderr over distillation's batches (drawn only on a terminal). */
function distillationBar(batches: number): {onProgress: (p: DistillProgress) => void, stop: () => void} {
  const bar = new SingleBar({format: 'distilling {bar} {value}/{total} batches | loss {loss}', hideCursor: true},
                            Presets.shades_classic);
  let started = false;
  return {
    onProgress: p => {
      if (!started) bar.start(batches, 0, {loss: ''});
      started = true;
      bar.update(p.epoch * (p.batches ?? 0) + p.batch + 1, {loss: p.loss.toFixed(4)});
    },
    stop: () => started && bar.stop(),
  };
}

/** Distills `inn` on `x` for `epochs` with a progress bar; `inn` itself is left as it is. */
async function distillOn(inn: IntegralModel, x: import('@tensorflow/tfjs-core').Tensor, o: DistillCommandOptions):
    Promise<{model: IntegralModel, seconds: number}> {
  const batchSize = 128;
  const bar = distillationBar(o.epochs * Math.ceil(x.shape[0] / batchSize));
  const start = performance.now();
  try {
    const model = await inn.distill(x, {epochs: o.epochs, batchSize, learningRate: o.learningRate,
                                        temperature: o.temperature, onProgress: bar.onProgress,
                                        ...(o.widths != null ? {widths: o.widths} : {})});
    return {model, seconds: (performance.now() - start) / 1000};
  } finally {
    bar.stop();
  }
}

/**
 * `inn` re-fitted on the inputs `path` names (`calibrate` on a fitted grid, unless `uniform`; then `distill` epochs
 * of distillation on them), with progress bars; `inn` itself is left as it is.
 */
async function calibrateFrom(inn: IntegralModel, path: string, o: ResampleOptions):
    Promise<{model: IntegralModel, inputs: number, seconds: number, distillSeconds: number|null}> {
  const x = readCalibrationInputs(path, {shape: inn.inputSpec().shape, samples: o.samples ?? 512,
                                         scale: o.scale ?? 1 / 255});
  const bar = calibrationBar();
  const start = performance.now();
  try {
    const calibrated = await inn.calibrate(x, {onProgress: bar.onProgress, grid: o.uniform ? 'uniform' : 'fit',
                                               rowsPerRegressor: o.rowsPerRegressor});
    bar.stop();
    const seconds = (performance.now() - start) / 1000;
    if (o.distill == null) return {model: calibrated, inputs: x.shape[0], seconds, distillSeconds: null};
    try {
      const distilled = await distillOn(calibrated, x, {epochs: o.distill, learningRate: DISTILL_LEARNING_RATE,
                                                        temperature: 1});
      return {model: distilled.model, inputs: x.shape[0], seconds, distillSeconds: distilled.seconds};
    } finally {
      calibrated.dispose();
    }
  } finally {
    bar.stop();
    x.dispose();
  }
}

/** Adam's starting rate of the CLI's distillations (cosine decay): the rate measured best for short budgets. */
const DISTILL_LEARNING_RATE = 5e-3;

/** Options of {@link distill}. */
export interface DistillCommandOptions {
  epochs: number;
  learningRate: number;
  temperature: number;
  /** Train once for widths between these fractions (sandwich rule). */
  widths?: {min: number, max: number};
  data?: string;
  samples?: number;
  scale?: number;
  force?: boolean;
  json?: boolean;
}

/**
 * `distill`: an IntegralModel trained without labels toward its reference network on the inputs of `--data` (a
 * .npy array or a directory of images), at its widths or, with `--widths`, for every width in a range; saved as an
 * IntegralModel.
 */
export async function distill(input: string, output: string, o: DistillCommandOptions, print: Print): Promise<void> {
  const inn = await loadIntegral('distill', input);
  try {
    const x = readCalibrationInputs(o.data!, {shape: inn.inputSpec().shape, samples: o.samples ?? 60000,
                                              scale: o.scale ?? 1 / 255});
    try {
      const dir = outputDir('distill', output, o.force ?? false);
      const {model, seconds} = await distillOn(inn, x, o);
      try {
        await model.save(fileSystem(dir));
        report(print, o.json, {command: 'distill', input, output: dir, inputs: x.shape[0], epochs: o.epochs,
                               widths: o.widths ?? null, seconds, groups: model.groups}, [
          `distilled ${input} → ${dir} on ${x.shape[0]} inputs from ${o.data}, ${o.epochs} epoch(s) in ` +
              `${seconds.toFixed(1)} s${o.widths ? ` for widths ${o.widths.min}-${o.widths.max}` : ''}`,
        ]);
      } finally {
        model.dispose();
      }
    } finally {
      x.dispose();
    }
  } finally {
    inn.dispose();
  }
}

/** `resample --params | --flops`: widths searched under the budget (`searchWidths`), calibrated, saved. */
async function resampleToBudget(inn: IntegralModel, input: string, output: string, budget: WidthBudget,
                                options: ResampleOptions, print: Print) {
  const x = readCalibrationInputs(options.calibrate!, {shape: inn.inputSpec().shape,
                                                       samples: options.samples ?? 512, scale: options.scale ?? 1 / 255});
  try {
    const dir = outputDir('resample', output, options.force);
    const start = performance.now();
    const result = await searchWidths(inn, {budget, calibration: x});
    try {
      await result.model.save(fileSystem(dir));
      const seconds = (performance.now() - start) / 1000;
      const {params, flops, startParams, startFlops} = result.cost;
      report(print, options.json, {command: 'resample', input, output: dir, groups: result.model.groups,
                                   exportedParams: params, search: {budget, ...result.cost, agreement: result.score,
                                                                    inputs: x.shape[0], seconds}}, [
        `searched widths on ${x.shape[0]} inputs from ${options.calibrate} in ${seconds.toFixed(1)} s: ` +
            `${params}/${startParams} parameters, ${flops}/${startFlops} multiply-adds per input, top-1 agreement ` +
            `with ${input} ${(100 * result.score).toFixed(1)} %`,
        `resampled and calibrated ${input} → ${dir}: ${result.model.groups.filter(g => g.continuous)
            .map(g => `${g.name} ${g.size}/${g.originalSize}`).join(', ')}`,
      ]);
    } finally {
      result.model.dispose();
    }
  } finally {
    x.dispose();
  }
}

/** `resample`: an IntegralModel at other widths, saved as an IntegralModel. */
export async function resample(input: string, output: string, options: ResampleOptions, print: Print): Promise<void> {
  const fixed = options.width != null || Object.keys(options.group).length > 0;
  const budgets = [options.params != null, options.flops != null, fixed].filter(Boolean).length;
  if (budgets !== 1) {
    throw new CliError(`tfjs-integral resample: give one of --width <fraction> (and / or --group <name>=<width>), ` +
                       `--params <fraction> or --flops <fraction>.`);
  }
  const budget: WidthBudget|null = options.params != null ? {params: options.params} :
                                   options.flops != null ? {flops: options.flops} : null;
  if (budget != null && options.calibrate == null) {
    throw new CliError(`tfjs-integral resample: --params and --flops search widths on calibration inputs; add ` +
                       `--calibrate <data>.`);
  }
  const fixedOnly = [['--uniform', options.uniform], ['--rows-per-regressor', options.rowsPerRegressor],
                     ['--distill', options.distill]].filter(([, v]) => v != null && v !== false).map(([name]) => name);
  if (budget != null && fixedOnly.length > 0) {
    throw new CliError(`tfjs-integral resample: ${fixedOnly.join(', ')} apply to --width / --group; the search ` +
                       `of --params and --flops calibrates its result with calibrate's defaults.`);
  }
  const inn = await loadIntegral('resample', input);
  try {
    if (budget != null) return await resampleToBudget(inn, input, output, budget, options, print);
    const continuous = inn.groups.filter(g => g.continuous).map(g => g.name);
    for (const name of Object.keys(options.group).filter(n => !continuous.includes(n))) {
      const group = inn.groups.find(g => g.name === name);
      throw new CliError(`tfjs-integral resample: --group '${name}' ` + (group == null ?
          `is not a group of this model; its continuous groups are ${continuous.join(', ')}.` :
          `is discrete (${group.reason}) and keeps its width.`));
    }
    const spec: Record<string, number> = {};
    if (options.width != null) {
      for (const g of inn.groups.filter(g => g.continuous)) {
        spec[g.name] = Math.max(1, Math.round(options.width * g.originalSize));
      }
    }
    Object.assign(spec, options.group);
    const dir = outputDir('resample', output, options.force);
    const plain = inn.resample(spec);
    let resampled = plain;
    try {
      const calibration = options.calibrate == null ? null : await calibrateFrom(plain, options.calibrate, options);
      if (calibration != null) resampled = calibration.model;
      await resampled.save(fileSystem(dir));
      const params = exportedParams(resampled);
      report(print, options.json, {command: 'resample', input, output: dir, groups: resampled.groups, exportedParams: params,
                                   ...(calibration ? {calibration: {path: options.calibrate, inputs: calibration.inputs,
                                                                    seconds: calibration.seconds,
                                                                    distillSeconds: calibration.distillSeconds}} : {})}, [
        ...(calibration ? [`calibrated on ${calibration.inputs} inputs from ${options.calibrate} in ` +
                           `${calibration.seconds.toFixed(1)} s` + (calibration.distillSeconds == null ? '' :
                           `, distilled ${options.distill} epoch(s) in ${calibration.distillSeconds.toFixed(1)} s`)] : []),
        `resampled ${input} → ${dir}: ${resampled.groups.filter(g => g.continuous)
            .map(g => `${g.name} ${g.size}/${g.originalSize}`).join(', ')}; ${params} parameters when exported`,
      ]);
    } finally {
      plain.dispose();
      if (resampled !== plain) resampled.dispose();
    }
  } finally {
    inn.dispose();
  }
}

/** Options of `export`. */
export interface ExportOptions {
  force?: boolean;
  json?: boolean;
  /** Store the weights as uint8 or float16 (tfjs's standard weight quantization). */
  quantize?: string;
}

/**
 * `export`: the IntegralModel at its current widths as a stock LayersModel (loads without this package), optionally
 * with quantized weights.
 */
export async function exportStock(input: string, output: string, options: ExportOptions, print: Print):
    Promise<void> {
  const {quantize} = options;
  if (quantize != null && quantize !== 'uint8' && quantize !== 'float16') {
    throw new CliError(`tfjs-integral export: --quantize must be uint8 or float16, but got '${quantize}'.`);
  }
  const inn = await loadIntegral('export', input);
  try {
    const dir = outputDir('export', output, options.force ?? false);
    if (inn.graph != null) {
      const result = await inn.saveGraphModel(fileSystem(dir), {quantization: quantize});
      const bytes = result.modelArtifactsInfo.weightDataBytes ?? 0;
      report(print, options.json, {command: 'export', input, output: dir, className: 'GraphModel', weightBytes: bytes,
                                   quantize: quantize ?? null},
             [`exported ${input} → ${dir}: graph model, ${bytes} weight bytes${quantize == null ? '' : ` (${quantize})`}`]);
      return;
    }
    const stock = inn.toLayersModel();
    try {
      const result = await stock.save(quantize == null ? fileSystem(dir) : quantized(fileSystem(dir), quantize));
      const bytes = result.modelArtifactsInfo.weightDataBytes ?? 0;
      report(print, options.json, {command: 'export', input, output: dir, className: stock.getClassName(),
                                   params: stock.countParams(), weightBytes: bytes, quantize: quantize ?? null},
             [`exported ${input} → ${dir}: stock ${stock.getClassName()}, ${stock.countParams()} parameters, ` +
              `${bytes} weight bytes${quantize == null ? '' : ` (${quantize})`}`]);
    } finally {
      disposeModel(stock);
    }
  } finally {
    inn.dispose();
  }
}
