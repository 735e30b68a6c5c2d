/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
/// <reference types="vite/client" />
// The page: loads a model, resamples it as the sliders move, calibrates, searches widths under a budget, measures the
// exported stock model on this device and downloads it. `window.appState` mirrors what the page shows.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
// The package after the backends: it adds its wasm training kernels to the registered wasm backend.
import * as tfi from 'tfjs-integral';

import {ExploredPlot, ExploredPoint} from './plot';
import {disposeSample, fits, loadBundledSample, Sample, syntheticSample} from './samples';
import {BATCH, ExportQuantization, GroupView, Score, ShrinkSession} from './session';

/** What the page shows, kept current for scripts and tests (`window.appState`). */
export interface AppState {
  /** True when no operation runs and the numbers describe the current widths. */
  ready: boolean;
  /** The tfjs backend latency is measured on, and the adapter when it is a software one. */
  backend: string;
  /** The tfjs backend that resamples, calibrates, searches and scores accuracy. */
  computeBackend: string;
  /** The loaded model's name (a URL or file name). */
  model: string;
  /** What the sample is. */
  sample: string;
  groups: GroupView[];
  /** Mean width of the adjustable groups, as a fraction of the original. */
  width: number;
  params: number|null;
  bytes: number|null;
  flops: number|null;
  /** Fraction of 1: top-1 accuracy on the scored half of the sample, or agreement with the full model. */
  accuracy: number|null;
  metric: 'accuracy'|'agreement';
  latencyMs: number|null;
  calibrated: boolean;
  /** Epochs the current model was distilled on the sample since its widths last changed. */
  distilled: number;
  /** Its accuracy (or agreement) after each of those epochs. */
  distillScores: number[];
  /** The last operation's error message, or null. */
  error: string|null;
  /**
   * Milliseconds the last width change, calibration and search took, measurements included, and the milliseconds
   * from the last of these requests until its accuracy showed (its latency comes next).
   */
  timings: {update: number|null, calibrate: number|null, search: number|null, distill: number|null,
            accuracy: number|null};
  /** Models downloaded so far. */
  downloads: number;
}

declare global {
  interface Window {
    appState: AppState;
  }
}

const BACKENDS = ['webgpu', 'webgl', 'wasm'];
const BUNDLED_MODEL = 'models/fashion-mnist/model.json';
const BUNDLED_SAMPLE = 'samples/fashion-mnist/';

const state: AppState = window.appState = {
  ready: false, backend: '', computeBackend: '', model: '', sample: '', groups: [], width: 1, params: null,
  bytes: null, flops: null, accuracy: null, metric: 'accuracy', latencyMs: null, calibrated: false, distilled: 0,
  distillScores: [], error: null, timings: {update: null, calibrate: null, search: null, distill: null, accuracy: null},
  downloads: 0,
};

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const globalSlider = $<HTMLInputElement>('input[data-group="*"]');
const quantization = $<HTMLSelectElement>('#quantization');

let session: ShrinkSession|null = null;
let sample: Sample|null = null;
let bundled: Sample|null = null;
let plot: ExploredPlot|null = null;
/** The full model's cost, which the numbers shown are shares of. */
let full: Pick<Score, 'params'|'bytes'|'flops'>|null = null;
/** The backend latency is measured on (tfjs's name). */
let latencyBackend = '';

// Operations run one at a time; `ready` is false from the moment one is asked for until the last has finished.
let queue = Promise.resolve();
let pending = 0;

function schedule(label: string, task: () => Promise<void>) {
  pending++;
  state.ready = false;
  queue = queue.then(async () => {
    showStatus(`${label}…`);
    state.error = null;
    try {
      await task();
      showStatus('');
    } catch (e) {
      state.error = e instanceof Error ? e.message : String(e);
      showStatus(state.error, true);
      console.error(e);
    } finally {
      state.ready = --pending === 0 && session != null;
    }
  });
}

function showStatus(text: string, error = false) {
  const status = $('#status');
  status.textContent = text;
  status.classList.toggle('error', error);
}

/** Starts `name`, or throws naming it. */
async function start(name: string) {
  if (!BACKENDS.includes(name)) throw new Error(`unknown backend '${name}' (expected ${BACKENDS.join(', ')})`);
  if (!await tf.setBackend(name)) throw new Error(`the ${name} backend does not start in this browser`);
}

/**
 * Chooses the backends. Latency is measured on `?backend=` if given, else the first that starts. The model work
 * (resampling, calibration, search, scoring) runs on `?compute=`: `wasm` (the default, when it starts) or `same`.
 * Both give the same numbers up to float rounding; wasm needs no shader compilation per new width, and beats a
 * software GPU (SwiftShader) several times over.
 */
async function startBackends(requested: string|null, compute: string|null) {
  setWasmPaths({'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd,
                'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded});
  if (requested != null) {
    await start(requested);
  } else {
    let started = false;
    for (const name of BACKENDS) if (!started) started = await tf.setBackend(name).catch(() => false);
    if (!started) throw new Error(`none of ${BACKENDS.join(', ')} starts in this browser`);
  }
  await tf.ready();
  latencyBackend = state.backend = tf.getBackend();
  // SwiftShader (WebGPU on the CPU) runs tfjs's tiled conv2d program several times slower than im2col + matMul.
  const adapter = (tf.backend() as {adapterInfo?: {architecture?: string}}).adapterInfo;
  if (state.backend === 'webgpu' && adapter?.architecture === 'swiftshader') {
    tf.env().set('WEBGPU_CONV_SEPARATE_IM2COL_SHADER', true);
    state.backend = 'webgpu (SwiftShader)';
  }
  if (compute != null && compute !== 'same' && compute !== 'wasm') {
    throw new Error(`unknown compute backend '${compute}' (expected wasm or same)`);
  }
  if (compute === 'wasm') {
    await start('wasm');
  } else if (compute == null) {
    await tf.setBackend('wasm').catch(() => false) || await tf.setBackend(latencyBackend);
  }
  state.computeBackend = tf.getBackend();
  $<HTMLSelectElement>('#backend').value = latencyBackend;
  $<HTMLSelectElement>('#compute-backend').value = state.computeBackend === latencyBackend ? 'same' : 'wasm';
}

/** The sample for a model: the bundled one if its inputs fit (by labels if it has 10 classes), else synthetic inputs. */
function sampleFor(model: tf.LayersModel): Sample {
  const inputShape = model.inputs[0].shape.slice(1);
  if (!fits(bundled!, inputShape)) return syntheticSample(inputShape.map(d => d ?? 1));
  return model.outputs[0].shape.at(-1) === 10 ? bundled! : {...bundled!, calibrationLabels: null, scoredLabels: null};
}

/**
 * A model file as the session starts from: a stock LayersModel or an IntegralModel a session saved, through the
 * package's checked loader, or a graph model (tfjs-converter output) loaded by tfjs and wrapped (docs/api.md §7).
 */
async function loadAnyModel(source: string|tf.io.IOHandler): Promise<tf.LayersModel|tfi.IntegralModel> {
  try {
    return await tfi.loadModel(source);
  } catch (e) {
    if (!/is a tfjs GraphModel/.test((e as Error).message)) throw e;
  }
  const graph = await tf.loadGraphModel(source);
  try {
    return await tfi.wrapGraphModel(graph, {permuteBudgetMs: 200});
  } finally {
    graph.dispose();
  }
}

/** Loads a model ({@link loadAnyModel}) and makes it the session's (the previous one stays if this fails). */
function openModel(name: string, source: string|tf.io.IOHandler) {
  schedule(`loading ${name}`, async () => {
    const model = await loadAnyModel(source);
    const stock = model instanceof tfi.IntegralModel ? null : model;
    const chosen = sampleFor(stock ?? (model as tfi.IntegralModel).model);
    const synthetic = (s: Sample|null) => s != null && s.calibration !== bundled!.calibration;
    try {
      const next = await ShrinkSession.open(model, chosen);
      session?.dispose();
      if (synthetic(sample)) disposeSample(sample!);
      [session, sample] = [next, chosen];
    } catch (e) {
      if (synthetic(chosen)) disposeSample(chosen);
      if (stock == null) (model as tfi.IntegralModel).dispose();
      throw e;
    } finally {
      stock?.dispose();
    }
    state.model = name;
    state.sample = chosen.description;
    state.metric = session!.metric;
    $('#model-name').textContent = `Model: ${name}`;
    $('#sample-name').textContent = `Sample: ${chosen.description}; the first half calibrates, the second is scored` +
        (state.metric === 'agreement' ? ' by agreement with the full model.' : ' by accuracy.');
    $('#metric-name').textContent = state.metric === 'accuracy' ? 'Accuracy' : 'Agreement with full';
    plot?.dispose();
    plot = new ExploredPlot($('#plot'), state.metric);
    full = null;
    globalSlider.value = '100';
    $('#global-value').textContent = '100 %';
    renderGroups();
    await measure('resampled', 'update', performance.now());
  });
}

/** Each group's slider and the output that shows its width. */
const groupControls = new Map<string, {slider: HTMLInputElement, value: HTMLOutputElement}>();

/** Rebuilds the table of groups and their sliders. */
function renderGroups() {
  groupControls.clear();
  const cell = (...children: (Node|string)[]) => {
    const td = document.createElement('td');
    td.append(...children);
    return td;
  };
  const rows = session!.groups().map(g => {
    const slider = Object.assign(document.createElement('input'), {
      type: 'range', min: '1', max: String(g.originalSize), step: '1', value: String(g.size), disabled: !g.adjustable,
    });
    slider.dataset.group = g.name;
    const value = document.createElement('output');
    value.textContent = `${g.size} / ${g.originalSize}`;
    groupControls.set(g.name, {slider, value});
    slider.addEventListener('input', () => value.textContent = `${slider.value} / ${g.originalSize}`);
    slider.addEventListener('change', () => requestWidths({...currentWidths(), [g.name]: Number(slider.value)}));
    const kind = cell(g.adjustable ? 'continuous' : `${g.continuous ? 'continuous' : 'discrete'}: ${g.reason}`);
    kind.className = 'kind';
    const row = document.createElement('tr');
    row.append(cell(g.name), kind, cell(slider), cell(value));
    return row;
  });
  $('#groups').replaceChildren(...rows);
}

/**
 * The "All groups" slider and its label: the common width when every adjustable group is at the same fraction of
 * its original width, else "mixed" and the mean.
 */
function showGlobalWidth() {
  const groups = state.groups.filter(g => g.adjustable);
  const percents = groups.map(g => Math.round(100 * g.size / g.originalSize));
  const mean = Math.round(100 * state.width);
  const same = percents.every(p => p === percents[0]);
  globalSlider.value = String(same ? percents[0] ?? 100 : mean);
  $('#global-value').textContent = same ? `${percents[0] ?? 100} %` : `mixed (mean ${mean} %)`;
}

function currentWidths(): Record<string, number> {
  return Object.fromEntries(session!.groups().filter(g => g.adjustable).map(g => [g.name, g.size]));
}

// Slider moves coalesce: a resample runs for the latest widths asked for.
let latestWidths: number|Record<string, number>|null = null;

/** Resamples to `widths`: by group name, or a fraction of every continuous group's original width. */
function requestWidths(widths: number|Record<string, number>) {
  const queued = latestWidths != null;
  latestWidths = widths;
  if (queued) return;
  const asked = performance.now();
  schedule('resampling', async () => {
    const widths = latestWidths!;
    latestWidths = null;
    session!.resample(widths);
    await measure('resampled', 'update', asked);
  });
}

/**
 * Measures the current model and shows the numbers: first its cost and accuracy, then its latency. Records a plot
 * point and, for `timing`, the milliseconds since `since`.
 */
async function measure(kind: ExploredPoint['kind'], timing: keyof AppState['timings'] | null, since: number) {
  const m = await session!.score(quantization.value as ExportQuantization);
  full ??= {params: m.params, bytes: m.bytes, flops: m.flops};
  Object.assign(state, {
    groups: session!.groups(), width: session!.widthFraction(), params: m.params, bytes: m.bytes, flops: m.flops,
    accuracy: m.accuracy, calibrated: session!.calibrated, distilled: session!.distilledEpochs,
  });
  if (session!.distilledEpochs === 0) state.distillScores = [];
  for (const g of state.groups) {
    const {slider, value} = groupControls.get(g.name)!;
    slider.value = String(g.size);
    value.textContent = `${g.size} / ${g.originalSize}`;
  }
  showGlobalWidth();
  const share = (value: number, of: number) =>
      `${value.toLocaleString('en')} (${(100 * value / of).toFixed(1)} % of the full model's)`;
  $('#params').textContent = share(m.params, full.params);
  $('#bytes').textContent = share(m.bytes, full.bytes);
  $('#flops').textContent = share(m.flops, full.flops);
  $('#accuracy').textContent = `${(100 * m.accuracy).toFixed(1)} %`;
  $('#latency').textContent = `measuring on ${state.backend}…`;
  $('#calibrated').textContent = session!.calibrated ? 'yes' : 'no';
  $('#distilled').textContent = session!.distilledEpochs > 0 ? `${session!.distilledEpochs} epochs on the sample` : 'no';
  $<HTMLButtonElement>('[data-action="calibrate"]').disabled = session!.calibrated;
  await plot!.add({
    width: 100 * state.width, score: 100 * m.accuracy, params: m.params, kind,
    widths: state.groups.filter(g => g.adjustable).map(g => `${g.name} ${g.size}`).join(', '),
  });
  if (timing != null) state.timings.accuracy = performance.now() - since;
  state.latencyMs = await session!.latencyOn(latencyBackend, m.artifacts);
  $('#latency').textContent = `${state.latencyMs.toFixed(2)} ms per input (timed in batches of ${BATCH} on ${state.backend})`;
  if (timing != null) state.timings[timing] = performance.now() - since;
}

function wire() {
  globalSlider.addEventListener('input', () => $('#global-value').textContent = `${globalSlider.value} %`);
  globalSlider.addEventListener('change', () => {
    requestWidths(Number(globalSlider.value) / 100);
  });
  $('[data-action="calibrate"]').addEventListener('click', () => {
    const asked = performance.now();
    schedule('calibrating on the sample', async () => {
      const progress = $<HTMLProgressElement>('#calibration-progress');
      progress.hidden = false;
      try {
        await session!.calibrate(fraction => progress.value = fraction);
      } finally {
        progress.hidden = true;
      }
      await measure('calibrated', 'calibrate', asked);
    });
  });
  let distilling: AbortController|null = null;
  const cancel = $<HTMLButtonElement>('[data-action="cancel"]');
  cancel.addEventListener('click', () => distilling?.abort());
  $('[data-action="distill"]').addEventListener('click', () => {
    const asked = performance.now();
    const epochs = Math.max(1, Math.min(50, Math.round(Number($<HTMLInputElement>('#distill-epochs').value) || 1)));
    schedule(`distilling on the sample for ${epochs} epochs`, async () => {
      const progress = $<HTMLProgressElement>('#distill-progress');
      const log = $('#distill-log');
      distilling = new AbortController();
      [progress.hidden, cancel.disabled] = [false, false];
      try {
        await session!.distill(epochs, distilling.signal, (epoch, accuracy) => {
          state.distillScores.push(accuracy);
          log.textContent = `after epoch ${epoch + 1}: ${(100 * accuracy).toFixed(1)} %`;
        }, fraction => progress.value = fraction);
      } finally {
        [progress.hidden, cancel.disabled] = [true, true];
        distilling = null;
      }
      await measure('distilled', 'distill', asked);
    });
  });
  $('[data-action="search"]').addEventListener('click', () => {
    const asked = performance.now();
    const fraction = Number($<HTMLInputElement>('#budget').value) / 100;
    const budget = ($<HTMLSelectElement>('#budget-metric').value === 'flops' ? {flops: fraction} : {params: fraction});
    const calibrateCandidates = $<HTMLInputElement>('#calibrate-candidates').checked;
    schedule(`searching widths for ${Math.round(100 * fraction)} % of the full model's ${Object.keys(budget)[0]}`,
             async () => {
               await session!.search(budget, calibrateCandidates);
               await measure('searched', 'search', asked);
             });
  });
  $('[data-action="download"]').addEventListener('click', () => schedule('exporting', async () => {
    const stock = session!.exported();
    try {
      const q = quantization.value as ExportQuantization;
      const url = `downloads://integral-${Math.round(100 * state.width)}${q === 'none' ? '' : `-${q}`}`;
      await stock.save(q === 'none' ? url : tfi.quantized(url, q));
      state.downloads++;
    } finally {
      stock.dispose();
    }
  }));
  quantization.addEventListener('change', () => schedule('measuring', () => measure(
      session!.calibrated ? 'calibrated' : 'resampled', null, performance.now())));
  for (const [id, key] of [['#backend', 'backend'], ['#compute-backend', 'compute']]) {
    $(id).addEventListener('change', () => {
      const query = new URLSearchParams(location.search);
      query.set(key, $<HTMLSelectElement>(id).value);
      location.search = query.toString();
    });
  }
  $('#url-form').addEventListener('submit', event => {
    event.preventDefault();
    const url = $<HTMLInputElement>('#model-url').value.trim();
    if (url === '') return;
    const query = new URLSearchParams(location.search);
    query.set('model', url);
    history.replaceState(null, '', `?${query}`);
    openModel(url, url);
  });
  const drop = $('#drop');
  const openFiles = (files: File[]) => {
    const json = files.find(f => f.name.endsWith('.json'));
    if (json == null) {
      showStatus('Drop a model.json together with its weight files.', true);
      return;
    }
    openModel(json.name, tf.io.browserFiles([json, ...files.filter(f => f !== json)]));
  };
  drop.addEventListener('dragover', event => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', event => {
    event.preventDefault();
    drop.classList.remove('over');
    openFiles(Array.from(event.dataTransfer?.files ?? []));
  });
  const chooser = $<HTMLInputElement>('#model-files');
  chooser.addEventListener('change', () => openFiles(Array.from(chooser.files ?? [])));
}

async function main() {
  wire();
  const query = new URLSearchParams(location.search);
  try {
    await startBackends(query.get('backend'), query.get('compute'));
    bundled = await loadBundledSample(BUNDLED_SAMPLE);
  } catch (e) {
    state.error = e instanceof Error ? e.message : String(e);
    showStatus(state.error, true);
    return;
  }
  const url = query.get('model');
  $<HTMLInputElement>('#model-url').value = url ?? '';
  openModel(url ?? 'the demo\'s Fashion-MNIST CNN', url ?? BUNDLED_MODEL);
}

main();
