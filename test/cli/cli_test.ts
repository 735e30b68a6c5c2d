/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {loadGraphModel} from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {dump} from 'npyjs';
import {PNG} from 'pngjs';

import {demoCnn} from '../../demo/model';
import {sequentialCnn} from '../converter/models';
import {runCli} from '../../src/cli/program';
import {disposeModel} from '../../src/converter/topology';
import * as tfi from '../../src/index';
import {testBackends} from '../describe_with_backends';
import {meanReshapeGraph} from '../graph/graphs';

/** Runs the CLI in this process; returns its exit status and what it wrote. */
async function cli(...argv: string[]) {
  let out = '', err = '';
  const status = await runCli(argv, {out: t => out += t, err: t => err += t});
  return {status, out, err};
}

async function predictFrom(dir: string, x: tf.Tensor): Promise<Float32Array> {
  const model = await tfl.loadLayersModel(tfi.fileSystem(dir));
  const y = model.predict(x) as tf.Tensor;
  const values = await y.data() as Float32Array;
  y.dispose();
  disposeModel(model);
  return values;
}

const maxDiff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

const describeIfWasm = testBackends().includes('wasm') ? describe : xdescribe;

describeIfWasm('CLI tfjs-integral', () => {
  let dir = '', stock = '', x: tf.Tensor, isTest = true;
  const path = (name: string) => join(dir, name);
  beforeAll(async () => {
    isTest = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', false);
    await tf.setBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'cli-'));
    stock = path('stock');
    const model = demoCnn({seed: 7});
    await model.save(tfi.fileSystem(stock));
    disposeModel(model);
    x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 8);
  });
  let tensorsBefore = 0;
  beforeEach(() => tensorsBefore = tf.memory().numTensors);
  afterEach(() => expect(tf.memory().numTensors).withContext('tensors left by the spec').toBe(tensorsBefore));
  afterAll(async () => {
    x.dispose();
    rmSync(dir, {recursive: true, force: true});
    tf.env().set('IS_TEST', isTest);
    await tf.setBackend('cpu');
  });

  it('prints help for the program and each command, with status 0', async () => {
    const help = await cli('--help');
    expect(help.status).toBe(0);
    for (const command of ['inspect', 'convert', 'resample', 'export']) {
      expect(help.out).toContain(command);
      const sub = await cli(command, '--help');
      expect(sub.status).toBe(0);
      expect(sub.out).toContain(`Usage: tfjs-integral ${command}`);
    }
    expect((await cli('resample', '--help')).out).toContain('--group <name=width>');
  });

  it('inspects a stock model: groups, widths, discrete ones and why', async () => {
    const text = await cli('inspect', stock);
    expect(text.status).toBe(0);
    expect(text.out).toContain('LayersModel (Sequential), 11 layers, 207066 parameters');
    expect(text.out).toMatch(/conv2d_Conv2D\d+\s+32\s+continuous/);
    expect(text.out).toContain('discrete: network output');
    const json = JSON.parse((await cli('inspect', join(stock, 'model.json'), '--json')).out);
    expect(json.groups.filter((g: {continuous: boolean}) => g.continuous).map((g: {size: number}) => g.size))
        .toEqual([16, 32, 128]);
    expect(json.groups.filter((g: {continuous: boolean}) => !g.continuous).map((g: {reason: string}) => g.reason))
        .toEqual(['network input', 'network output']);
  });

  it('converts exactly, resamples and exports what the API gives', async () => {
    expect((await cli('convert', stock, path('inn'))).status).toBe(0);
    expect((await cli('export', path('inn'), path('inn-stock'))).status).toBe(0);
    expect(maxDiff(await predictFrom(path('inn-stock'), x), await predictFrom(stock, x))).toBeLessThan(1e-5);

    const resampled = await cli('resample', path('inn'), path('half'), '--width', '0.5');
    expect(resampled.status).toBe(0);
    expect(resampled.out).toMatch(/conv2d_Conv2D\d+ 16\/32/);
    expect((await cli('export', path('half'), path('half-stock'))).status).toBe(0);
    // The same steps through the API.
    const original = await tfl.loadLayersModel(tfi.fileSystem(stock));
    const inn = await tfi.wrapModel(original);
    const half = inn.resample(0.5);
    const expected = half.toLayersModel();
    const y = expected.predict(x) as tf.Tensor;
    expect(maxDiff(await predictFrom(path('half-stock'), x), await y.data() as Float32Array)).toBeLessThan(1e-6);
    const exported = await tfl.loadLayersModel(tfi.fileSystem(path('half-stock')));
    expect(exported.countParams()).toBe(expected.countParams());
    y.dispose();
    disposeModel(original); inn.dispose(); half.dispose(); disposeModel(expected); disposeModel(exported);
  });

  it('exports quantized weights that stock tfjs loads: uint8 a quarter, float16 half the bytes', async () => {
    const plain = JSON.parse((await cli('export', path('inn'), path('q-plain'), '--json')).out);
    const reference = await predictFrom(path('q-plain'), x);
    for (const [dtype, fraction, tolerance] of [['uint8', 4, 0.05], ['float16', 2, 2e-3]] as const) {
      const run = await cli('export', path('inn'), path(`q-${dtype}`), '--quantize', dtype, '--json');
      expect(run.status).withContext(run.err).toBe(0);
      const report = JSON.parse(run.out);
      expect(report.quantize).toBe(dtype);
      expect(report.weightBytes).toBe(plain.weightBytes / fraction);
      const manifest = JSON.parse(readFileSync(join(path(`q-${dtype}`), 'model.json'), 'utf8')).weightsManifest;
      expect(manifest[0].weights.every((w: {quantization?: {dtype: string}}) => w.quantization?.dtype === dtype)).toBe(true);
      expect(maxDiff(await predictFrom(path(`q-${dtype}`), x), reference)).toBeLessThan(tolerance);
    }
    const bad = await cli('export', path('inn'), path('q-bad'), '--quantize', 'int4');
    expect(bad.status).toBe(1);
    expect(bad.err).toMatch(/--quantize must be uint8 or float16, but got 'int4'/);
  });

  it('searches widths under a parameter budget with --params, as searchWidths does', async () => {
    // A small CNN: the search calibrates every candidate it scores.
    const small = sequentialCnn(false);
    await small.save(tfi.fileSystem(path('small')));
    disposeModel(small);
    expect((await cli('convert', path('small'), path('small-inn'))).status).toBe(0);
    const inputs = tf.randomUniform([24, 8, 8, 3], 0, 1, 'float32', 10);
    writeFileSync(path('search.npy'), new Uint8Array(dump(await inputs.data() as Float32Array, inputs.shape)));
    const run = await cli('resample', path('small-inn'), path('searched'), '--params', '0.4', '--calibrate',
                          path('search.npy'), '--json');
    expect(run.status).withContext(run.err).toBe(0);
    const report = JSON.parse(run.out);
    expect(report.search.params).toBeLessThanOrEqual(0.4 * report.search.startParams);
    const inn = await tfi.loadIntegralModel(tfi.fileSystem(path('small-inn')));
    const expected = await tfi.searchWidths(inn, {budget: {params: 0.4}, calibration: inputs});
    const saved = await tfi.loadIntegralModel(tfi.fileSystem(path('searched')));
    expect(saved.groups.map(g => g.size)).toEqual(expected.model.groups.map(g => g.size));
    const [a, b] = [saved.predict(inputs) as tf.Tensor, expected.model.predict(inputs) as tf.Tensor];
    expect(maxDiff(await a.data() as Float32Array, await b.data() as Float32Array)).toBeLessThan(1e-5);
    tf.dispose([a, b, inputs]);
    inn.dispose(); saved.dispose(); expected.model.dispose();
    // Options of a fixed width's calibration are refused with a budget, not dropped.
    const refused = await cli('resample', path('small-inn'), path('refused'), '--params', '0.4', '--calibrate',
                              path('search.npy'), '--uniform', '--distill', '1');
    expect(refused.status).toBe(1);
    expect(refused.err).toMatch(/--uniform, --distill apply to --width \/ --group/);
  });

  it('sets named groups with --group, over --width', async () => {
    const info = JSON.parse((await cli('inspect', path('inn'), '--json')).out);
    const dense = info.groups.find((g: {name: string, continuous: boolean}) => g.name.startsWith('dense') && g.continuous).name;
    const run = await cli('resample', path('inn'), path('mixed'), '--width', '0.25', '--group', `${dense}=100`);
    expect(run.status).toBe(0);
    const mixed = JSON.parse((await cli('inspect', path('mixed'), '--json')).out);
    expect(mixed.groups.filter((g: {continuous: boolean}) => g.continuous).map((g: {size: number}) => g.size))
        .toEqual([4, 8, 100]);
  });

  it('calibrates on a .npy array or a directory of images, as the API does', async () => {
    const inputs = tf.randomUniform([48, 28, 28, 1], 0, 1, 'float32', 9);
    writeFileSync(path('calib.npy'), new Uint8Array(dump(await inputs.data() as Float32Array, inputs.shape)));
    const run = await cli('resample', path('inn'), path('calibrated'), '--width', '0.5', '--calibrate',
                          path('calib.npy'), '--samples', '32');
    expect(run.status).withContext(run.err).toBe(0);
    expect(run.out).toMatch(/calibrated on 32 inputs from .*calib\.npy/);
    const inn = await tfi.loadIntegralModel(tfi.fileSystem(path('inn')));
    const half = inn.resample(0.5);
    const first = tf.slice(inputs, 0, 32);
    const expected = await half.calibrate(first);
    const saved = await tfi.loadIntegralModel(tfi.fileSystem(path('calibrated')));
    const [a, b] = [saved.predict(x) as tf.Tensor, expected.predict(x) as tf.Tensor];
    expect(maxDiff(await a.data() as Float32Array, await b.data() as Float32Array)).toBeLessThan(1e-5);
    // The uniform grid, and fewer rows per regressor: the same as the API's options, and not the default's result.
    const sparse = await cli('resample', path('inn'), path('sparse'), '--width', '0.5', '--calibrate',
                             path('calib.npy'), '--samples', '32', '--uniform', '--rows-per-regressor', '2');
    expect(sparse.status).withContext(sparse.err).toBe(0);
    const sparseExpected = await half.calibrate(first, {grid: 'uniform', rowsPerRegressor: 2});
    const uniform = await half.calibrate(first, {grid: 'uniform'});
    const sparseSaved = await tfi.loadIntegralModel(tfi.fileSystem(path('sparse')));
    const [c, d, e] = [sparseSaved, sparseExpected, uniform].map(m => m.predict(x) as tf.Tensor);
    expect(maxDiff(await c.data() as Float32Array, await d.data() as Float32Array)).toBeLessThan(1e-5);
    expect(maxDiff(await c.data() as Float32Array, await e.data() as Float32Array)).toBeGreaterThan(1e-4);
    expect(maxDiff(await e.data() as Float32Array, await a.data() as Float32Array)).toBeGreaterThan(1e-4);
    tf.dispose([c, d, e]);
    sparseExpected.dispose(); sparseSaved.dispose(); uniform.dispose();
    // The same images as 8-bit PNGs (56 × 56: resized to 28 × 28) also calibrate.
    mkdirSync(path('images'));
    const bytes = tf.tidy(() => tf.cast(tf.mul(tf.image.resizeNearestNeighbor(tf.slice(inputs, 0, 4) as tf.Tensor4D,
                                                                              [56, 56]), 255), 'int32'));
    const pixels = await bytes.data();
    bytes.dispose();
    for (let i = 0; i < 4; i++) {
      const png = new PNG({width: 56, height: 56});
      for (let p = 0; p < 56 * 56; p++) png.data.set([pixels[i * 56 * 56 + p], pixels[i * 56 * 56 + p], pixels[i * 56 * 56 + p], 255], 4 * p);
      writeFileSync(path(`images/${i}.png`), PNG.sync.write(png));
    }
    const fromImages = await cli('resample', path('inn'), path('from-images'), '--width', '0.5', '--calibrate',
                                 path('images'), '--uniform');
    expect(fromImages.status).withContext(fromImages.err).toBe(0);
    expect(fromImages.out).toMatch(/calibrated on 4 inputs/);
    tf.dispose([inputs, first, a, b]);
    inn.dispose(); half.dispose(); expected.dispose(); saved.dispose();
  });

  it('reads graph models: inspect, convert, resample and export write a graph model stock tfjs-converter runs', async () => {
    await tfi.fileSystem(path('graph')).save!(await meanReshapeGraph(2).artifacts());
    const inspected = await cli('inspect', path('graph'));
    expect(inspected.status).withContext(inspected.err).toBe(0);
    expect(inspected.out).toMatch(/IntegralModel \(of a graph model\)/);
    expect((await cli('convert', path('graph'), path('graph-inn'), '--no-permute')).status).toBe(0);
    const resampled = await cli('resample', path('graph-inn'), path('graph-half'), '--width', '0.5');
    expect(resampled.status).withContext(resampled.err).toBe(0);
    const exported = await cli('export', path('graph-half'), path('graph-out'));
    expect(exported.status).withContext(exported.err).toBe(0);
    expect(exported.out).toMatch(/graph model/);
    const half = await tfi.loadIntegralModel(tfi.fileSystem(path('graph-half')));
    const graph = await loadGraphModel(tfi.fileSystem(path('graph-out')));
    const x = tf.randomNormal([4, 6, 6, 4], 0, 1, 'float32', 3);
    const [fromGraph, fromInn] = [graph.predict(x) as tf.Tensor, half.predict(x) as tf.Tensor];
    expect(maxDiff(await fromGraph.data() as Float32Array, await fromInn.data() as Float32Array)).toBeLessThan(1e-5);
    tf.dispose([x, fromGraph, fromInn]);
    graph.dispose();
    half.dispose();
  });

  it('refuses an output under a special file system at once, naming it', async () => {
    const run = await cli('convert', stock, '/proc/self/tfjs-model', '--no-permute');
    expect(run.status).toBe(1);
    expect(run.err).toMatch(/special file system/);
  });

  it('overwrites nothing without --force', async () => {
    const before = readFileSync(join(path('inn'), 'weights.bin'));
    const refused = await cli('convert', stock, path('inn'), '--no-permute');
    expect(refused.status).toBe(1);
    expect(refused.err).toContain('exist; pass --force to overwrite');
    expect(readFileSync(join(path('inn'), 'weights.bin')).equals(before)).toBe(true);
    expect((await cli('convert', stock, path('inn'), '--no-permute', '--force')).status).toBe(0);
    expect(readFileSync(join(path('inn'), 'weights.bin')).equals(before)).toBe(false);
  });

  it('prints its version, names its backend, takes file:// URLs and checks inputs before outputs', async () => {
    const version = await cli('--version');
    expect(version.status).toBe(0);
    expect(version.out.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
    const run = await cli('export', `file://${path('inn')}`, `file://${path('inn-url')}`);
    expect(run.status).withContext(run.err).toBe(0);
    expect(run.err).toContain('tfjs-integral: wasm backend');
    const json = JSON.parse((await cli('export', path('inn'), path('inn-json'), '--json')).out);
    expect(json).toEqual(jasmine.objectContaining({command: 'export', className: 'Sequential'}));
    const resampled = JSON.parse((await cli('resample', path('inn'), path('half-json'), '--width', '0.5', '--json')).out);
    expect(resampled.groups.filter((g: {continuous: boolean}) => g.continuous).map((g: {size: number}) => g.size))
        .toEqual([8, 16, 64]);
    // A bad input is reported even where the output exists (no --force needed to learn that).
    const missing = await cli('export', path('nowhere'), path('inn-url'));
    expect(missing.err).toMatch(/<in> must be a model.json file/);
  });

  it('answers bad arguments with a message and status 1', async () => {
    const whole = dump(new Float32Array(64 * 28 * 28), [64, 28, 28, 1]);
    writeFileSync(path('truncated.npy'), new Uint8Array(whole).subarray(0, whole.byteLength - 4 * 28 * 28 * 10));
    const info = JSON.parse((await cli('inspect', path('inn'), '--json')).out);
    const outputGroup = info.groups.find((g: {reason?: string}) => g.reason === 'network output').name;
    const cases: Array<[string[], RegExp]> = [
      [['resample', path('inn'), path('x')], /give one of --width <fraction> .*--params <fraction> or --flops/],
      [['resample', path('inn'), path('x'), '--width', '0.5', '--params', '0.3'], /give one of --width/],
      [['resample', path('inn'), path('x'), '--params', '0.3'], /--params and --flops search widths .*add --calibrate/],
      [['resample', path('inn'), path('x'), '--width', 'half'], /--width <fraction>' argument 'half' is invalid/],
      [['resample', path('inn'), path('x'), '--group', 'dense'], /expected <group name>=<width, an integer in \[1, /],
      [['resample', path('inn'), path('x'), '--width', '0x10'], /argument '0x10' is invalid.*decimal fraction/],
      [['resample', path('inn'), path('x'), '--width', '1e3'], /argument '1e3' is invalid.*in \(0, 16\]/],
      [['resample', path('inn'), path('x'), '--params', '1.5'], /argument '1.5' is invalid.*in \(0, 1\]/],
      [['resample', path('inn'), path('x'), '--width', '0.5', '--rows-per-regressor', '0'],
       /--rows-per-regressor <n>' argument '0' is invalid.*integer ≥ 1/],
      [['resample', path('inn'), path('x'), '--width', '0.5', '--calibrate', path('truncated.npy')],
       /--calibrate '.*truncated.npy' is truncated: its header promises \[64, 28, 28, 1\]/],
      [['resample', path('inn'), path('x'), '--group', 'nope=3'],
       /--group 'nope' is not a group of this model; its continuous groups are conv2d_/],
      [['resample', path('inn'), path('x'), '--group', `${outputGroup}=3`],
       /is discrete \(network output\) and keeps its width/],
      [['resample', stock, path('x'), '--width', '0.5'],
       /is a stock LayersModel, not an IntegralModel; run 'tfjs-integral convert'/],
      [['export', path('nowhere'), path('x')], /<in> must be a model.json file .* does not exist/],
      [['convert', path('inn'), path('x')], /is an IntegralModel already/],
      [['convert', stock, path('x'), '--quadrature', 'gauss'], /Allowed choices are trapezoid, simpson, riemann/],
      [['inspect'], /missing required argument 'in'/],
      [['prune', stock], /unknown command 'prune'/],
      [['resample', path('inn'), path('x'), '--width', '0.5', '--calibrate', path('nothing.npy')], /--calibrate '.*nothing.npy' does not exist/],
      [['resample', path('inn'), path('x'), '--width', '0.5', '--calibrate', join(stock, 'model.json')],
       /--calibrate must be a .npy file or a directory of images/],
      [['resample', path('inn'), path('x'), '--width', '0.5', '--calibrate', stock], /holds no PNG or JPEG image/],
      [['resample', path('inn'), path('x'), '--width', '0.5', '--samples', '0'], /expected an integer ≥ 1, got '0'/],
      [['--backend', 'tpu', 'inspect', stock], /Allowed choices are tensorflow, wasm, cpu/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(...argv);
      expect(run.status).withContext(argv.join(' ')).toBe(1);
      expect(run.err).withContext(argv.join(' ')).toMatch(message);
    }
  });
});
