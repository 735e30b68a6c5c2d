/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// Graph models (docs/api.md §7): wrapped exactly, resampled, calibrated and distilled like LayersModels, written
// back as graph models that stock tfjs-converter runs, refused with named errors when hostile.
import * as tfconv from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';

import {disposeModel} from '../../src/converter/topology';
import {GraphOp, GraphOpArgs} from '../../src/graph/graph_op_layer';
import {quantizeArtifacts} from '../../src/io/quantize';
import * as tfi from '../../src/index';
import {withoutKernelLeakCheck} from '../converter/models';
import {describeWithBackends, flowBackends, modelLevelBackends} from '../describe_with_backends';
import {expectClose, memoryIO, readAndDispose, relativeError} from '../test_util';
import {GraphBuilder, invertedResidualGraph, keptOpsGraph, meanReshapeGraph, preluGraph} from './graphs';

/** The graph model of `artifacts`, as stock `tf.loadGraphModel` loads it. */
const loadGraph = (artifacts: tf.io.ModelArtifacts) => tfconv.loadGraphModel(tf.io.fromMemory(artifacts));

/** The graph-model artifacts `inn.saveGraphModel` writes. */
async function savedGraph(inn: tfi.IntegralModel, quantization?: tfi.WeightQuantization) {
  const io = memoryIO();
  await inn.saveGraphModel(io.save, {quantization});
  return (await io.load().load!()) as tf.io.ModelArtifacts;
}

/** `model.predict(x)` read back (for graph models: disposed afterwards). */
const predicted = (model: {predict(x: tf.Tensor): unknown}, x: tf.Tensor) =>
    readAndDispose(model.predict(x) as tf.Tensor);

const GRAPHS = [
  {name: 'inverted residual', make: invertedResidualGraph, inputShape: [8, 8, 3]},
  {name: 'mean and reshape', make: meanReshapeGraph, inputShape: [6, 6, 4]},
  {name: 'PReLU', make: preluGraph, inputShape: [6, 6, 3]},
  {name: 'ops kept as they are', make: keptOpsGraph, inputShape: [6, 6, 3]},
];

describeWithBackends('wrapGraphModel', () => {
  for (const {name, make, inputShape} of GRAPHS) {
    describe(`(${name})`, () => {
      let graph: tfconv.GraphModel;
      let inn: tfi.IntegralModel;
      let x: tf.Tensor;

      beforeAll(async () => {
        graph = await loadGraph(await make(3).artifacts());
        inn = await tfi.wrapGraphModel(graph, {seed: 2});
        x = tf.randomNormal([16, ...inputShape], 0, 1, 'float32', 4);
        // The first predictions build the graph model's and the integral layers' caches, which they keep.
        await predicted(graph, x);
        await predicted(inn, x);
      });
      afterAll(() => {
        inn.dispose();
        graph.dispose();
        x.dispose();
      });

      it('predicts what the graph model predicts at the original widths', async () => {
        expect(relativeError(await predicted(inn, x), await predicted(graph, x))).toBeLessThan(1e-5);
        expect(inn.groups.some(g => g.continuous)).toBeTrue();
      });

      it('writes graph models that stock tf.loadGraphModel runs, at every width', async () => {
        let previous = Infinity;
        for (const width of [1, 0.5, 0.25]) {
          const narrow = inn.resample(width);
          const artifacts = await savedGraph(narrow);
          const reloaded = await loadGraph(artifacts);
          expect(relativeError(await predicted(reloaded, x), await predicted(narrow, x))).withContext(`width ${width}`)
              .toBeLessThan(1e-5);
          expect(reloaded.outputNodes).toEqual(graph.outputNodes);
          const elements = artifacts.weightSpecs!.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
          if (width < 1) expect(elements).toBeLessThan(previous);
          previous = elements;
          reloaded.dispose();
          narrow.dispose();
        }
      });

      it('quantizes the weights it writes (uint8, float16)', async () => {
        const narrow = inn.resample(0.5);
        const exact = await predicted(narrow, x);
        for (const [quantization, tolerance] of [['float16', 5e-3], ['uint8', 0.1]] as const) {
          const artifacts = await savedGraph(narrow, quantization);
          expect(artifacts.weightSpecs!.filter(s => s.dtype === 'float32').every(s => s.quantization?.dtype === quantization))
              .toBeTrue();
          const reloaded = await loadGraph(artifacts);
          expect(relativeError(await predicted(reloaded, x), exact)).withContext(quantization).toBeLessThan(tolerance);
          reloaded.dispose();
        }
        narrow.dispose();
      });
    });
  }

  it('reads quantized graph files (uint8 manifests, dequantized on load) exactly', async () => {
    const artifacts = quantizeArtifacts(await invertedResidualGraph(5).artifacts(), 'uint8');
    const graph = await loadGraph(artifacts);
    const inn = await tfi.wrapGraphModel(graph);
    const x = tf.randomNormal([8, 8, 8, 3], 0, 1, 'float32', 6);
    expect(relativeError(await predicted(inn, x), await predicted(graph, x))).toBeLessThan(1e-5);
    tf.dispose([x]);
    inn.dispose();
    graph.dispose();
  });

  it('ties the groups a residual addition joins, and keeps the input and output discrete', async () => {
    const graph = await loadGraph(await invertedResidualGraph(1).artifacts());
    const inn = await tfi.wrapGraphModel(graph, {permute: false});
    const stem = inn.groups.find(g => g.name === 'stem_relu6')!;
    expect(stem.continuous).toBeTrue();
    expect(stem.layers).toContain('block_shift');
    expect(inn.groups.find(g => g.name === 'block_expand')!.continuous).toBeTrue();
    expect(inn.groups.find(g => g.layers.includes('pre_sub'))!.continuous).toBeFalse();
    expect(inn.groups.find(g => g.layers.includes('probabilities'))!.continuous).toBeFalse();
    // Relu6, alone or fused, is a stock ReLU clipped at 6 after a linear producer (a clip, not the relu6 activation's
    // broadcast minimum).
    const stock = inn.toLayersModel();
    const clipped = stock.layers.filter(l => l.getClassName() === 'ReLU').map(l => l.getConfig().maxValue);
    expect(clipped).toEqual([6, 6, 6]);
    expect(stock.layers.map(l => l.getConfig().activation).filter(a => a === 'relu6')).toEqual([]);
    disposeModel(stock);
    inn.dispose();
    graph.dispose();
  });

  it('keeps nodes of other ops as they are: their groups discrete and named, through calibrate, save and load', () => withoutKernelLeakCheck(async () => {
    const before = tf.memory().numTensors;
    const graph = await loadGraph(await keptOpsGraph(13).artifacts());
    const inn = await tfi.wrapGraphModel(graph, {permute: false});
    const reasons = inn.groups.filter(g => !g.continuous).map(g => g.reason ?? '');
    for (const [node, op] of [['swap', 'Transpose'], ['square', 'Square'], ['split', 'Split'], ['c', '_FusedConv2D'],
                            ['resize', 'ResizeBilinear']]) {
      expect(reasons).toContain(`graph node '${node}' (op '${op}') is kept as it is`);
    }
    expect(inn.groups.filter(g => g.continuous).map(g => g.name)).toEqual(['a', 'd']);
    const x = tf.randomNormal([16, 6, 6, 3], 0, 1, 'float32', 14);
    const narrow = inn.resample(0.5);
    const calibrated = await narrow.calibrate(x, {batchSize: 8});
    const io = memoryIO();
    await calibrated.save(io.save);
    const loaded = await tfi.loadIntegralModel(io.load());
    const expected = await predicted(calibrated, x);
    expect(relativeError(await predicted(loaded, x), expected)).toBeLessThan(1e-6);
    const artifacts = await savedGraph(loaded);
    const ops = (artifacts.modelTopology as {node: GraphBuilder['nodes']}).node.map(n => n.op);
    expect(ops).toEqual(jasmine.arrayContaining(['Transpose', 'Square', 'Split', 'ResizeBilinear']));
    const reloaded = await loadGraph(artifacts);
    expect(relativeError(await predicted(reloaded, x), expected)).toBeLessThan(1e-5);
    reloaded.dispose();
    [inn, narrow, calibrated, loaded].forEach(m => m.dispose());
    graph.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }));

  it('keeps the graph through save and loadIntegralModel', async () => {
    const graph = await loadGraph(await meanReshapeGraph(9).artifacts());
    const inn = await tfi.wrapGraphModel(graph);
    const narrow = inn.resample(0.5);
    const io = memoryIO();
    await narrow.save(io.save);
    const loaded = await tfi.loadIntegralModel(io.load());
    const x = tf.randomNormal([8, 6, 6, 4], 0, 1, 'float32', 10);
    const [fromSaved, fromLoaded] = [await loadGraph(await savedGraph(narrow)), await loadGraph(await savedGraph(loaded))];
    expectClose(await predicted(fromLoaded, x), await predicted(fromSaved, x), 1e-6, 1e-6);
    [fromSaved, fromLoaded, graph].forEach(g => g.dispose());
    [inn, narrow, loaded].forEach(m => m.dispose());
    x.dispose();
  });

  it('refuses saveGraphModel for a model wrapped from a LayersModel, and bad quantization', async () => {
    const graph = await loadGraph(await meanReshapeGraph(9).artifacts());
    const inn = await tfi.wrapGraphModel(graph);
    await expectAsync(inn.saveGraphModel(memoryIO().save, {quantization: 'int4' as 'uint8'}))
        .toBeRejectedWithError(/IntegralModel.saveGraphModel.*options.quantization.*int4/);
    const stock = (await import('@tensorflow/tfjs-layers')).sequential({layers: [
      (await import('@tensorflow/tfjs-layers')).layers.dense({units: 4, inputShape: [3]})]});
    const layersInn = await tfi.wrapModel(stock);
    await expectAsync(layersInn.saveGraphModel(memoryIO().save))
        .toBeRejectedWithError(/IntegralModel.saveGraphModel.*wrapGraphModel/);
    [inn, layersInn].forEach(m => m.dispose());
    stock.dispose();
    graph.dispose();
  });
}, modelLevelBackends());

describeWithBackends('wrapGraphModel through calibrate, distill and searchWidths', () => {
  it('calibrates and distills a wrapped graph model, and writes the result back as a graph model', () => withoutKernelLeakCheck(async () => {
    const graph = await loadGraph(await invertedResidualGraph(7).artifacts());
    const inn = await tfi.wrapGraphModel(graph);
    const x = tf.randomNormal([32, 8, 8, 3], 0, 1, 'float32', 8);
    const narrow = inn.resample(0.5);
    const calibrated = await narrow.calibrate(x, {batchSize: 16});
    const distilled = await calibrated.distill(x, {epochs: 1, batchSize: 16, seed: 1});
    const reference = await predicted(graph, x);
    const mse = (a: Float32Array) => a.reduce((s, v, i) => s + (v - reference[i]) ** 2, 0) / a.length;
    expect(mse(await predicted(calibrated, x))).toBeLessThan(mse(await predicted(narrow, x)));
    for (const model of [calibrated, distilled]) {
      const reloaded = await loadGraph(await savedGraph(model));
      expect(relativeError(await predicted(reloaded, x), await predicted(model, x))).toBeLessThan(1e-5);
      reloaded.dispose();
    }
    [inn, narrow, calibrated, distilled].forEach(m => m.dispose());
    graph.dispose();
    x.dispose();
  }));

  it('searches widths under a budget on a wrapped graph model, and writes the result as a graph model', async () => {
    const graph = await loadGraph(await invertedResidualGraph(11).artifacts());
    const inn = await tfi.wrapGraphModel(graph);
    const x = tf.randomNormal([32, 8, 8, 3], 0, 1, 'float32', 12);
    const {model, cost} = await tfi.searchWidths(inn, {budget: {params: 0.5}, calibration: x, searchSamples: 16,
                                                       calibrateCandidates: false});
    expect(cost.params).toBeLessThanOrEqual(0.5 * cost.startParams);
    const reloaded = await loadGraph(await savedGraph(model));
    expect(relativeError(await predicted(reloaded, x), await predicted(model, x))).toBeLessThan(1e-5);
    reloaded.dispose();
    [inn, model].forEach(m => m.dispose());
    graph.dispose();
    x.dispose();
  }, 300000);
}, flowBackends());

describeWithBackends('wrapGraphModel on hostile graphs', () => {
  /** The Error wrapGraphModel throws for the graph that `edit` makes of the inverted-residual one. */
  async function errorFor(edit: (nodes: GraphBuilder['nodes']) => void): Promise<string> {
    const artifacts = await invertedResidualGraph(3).artifacts();
    edit((artifacts.modelTopology as {node: GraphBuilder['nodes']}).node);
    // What tf.loadGraphModel holds, without the checks it makes when it loads (a hostile file may pass them).
    const weights = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    const fake: tfconv.GraphModel = Object.create(tfconv.GraphModel.prototype, {
      artifacts: {value: artifacts}, outputNodes: {value: ['probabilities']}, weights: {value: weights}});
    try {
      await tfi.wrapGraphModel(fake);
      return 'no error';
    } catch (e) {
      return (e as Error).message;
    } finally {
      tf.dispose(Object.values(weights));
    }
  }

  it('refuses a node of an op that tfjs-converter cannot run', async () => {
    const before = tf.memory().numTensors;
    expect(await errorFor(nodes => void (nodes.find(n => n.name === 'maxpool')!.op = 'NoSuchOp')))
        .toMatch(/wrapGraphModel: node 'maxpool' \(op 'NoSuchOp'\), kept as it is, does not run: Unknown op 'NoSuchOp'/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a cycle', async () => {
    expect(await errorFor(nodes => void (nodes.find(n => n.name === 'stem/conv')!.input![0] = 'block/add')))
        .toMatch(/wrapGraphModel.*without cycles.*cycle through node/);
  });

  it('refuses an input that names no node', async () => {
    expect(await errorFor(nodes => void (nodes.find(n => n.name === 'pad')!.input![0] = 'nowhere')))
        .toMatch(/wrapGraphModel.*node 'pad'.input.*'nowhere'/);
  });

  it('refuses weights whose shape lies about the channels they read', async () => {
    expect(await errorFor(nodes => {
      const expand = nodes.find(n => n.name === 'block/expand/filter')!;
      expand.attr!.value = {tensor: {dtype: 'DT_FLOAT', tensorShape: {dim: [1, 1, 8, 16].map(d => ({size: String(d)}))}}};
      nodes.find(n => n.name === 'block/expand')!.input![0] = 'pre/sub';
    })).toMatch(/node 'block\/expand'.input\[1\]' must be weights for its input's 3 channels.*\[1, 1, 8, 16\]/);
  });

  it('refuses a huge structural constant and a shape that is not [-1, channels]', async () => {
    const g = new GraphBuilder(1);
    const x = g.input('x', [4]);
    g.op('Reshape', 'reshape', [x, g.ints('shape', [5000], new Array(5000).fill(1))]);
    const artifacts = await g.artifacts();
    const weights = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
    await expectAsync(tfi.wrapGraphModel({artifacts, outputNodes: ['reshape'], weights} as unknown as tfconv.GraphModel))
        .toBeRejectedWithError(/wrapGraphModel: 'node 'reshape'.input' must be a constant of at most 4096 elements/);
    tf.dispose(Object.values(weights));
  });

  it('refuses what is not a graph model', async () => {
    await expectAsync(tfi.wrapGraphModel({} as unknown as tfconv.GraphModel))
        .toBeRejectedWithError(/wrapGraphModel: 'graphModel' must be a tf.GraphModel/);
  });
}, modelLevelBackends());

describe('GraphOp configs', () => {
  const hex = (value: unknown) => Array.from(new TextEncoder().encode(JSON.stringify(value)),
                                             b => b.toString(16).padStart(2, '0')).join('');
  const fromConfig = (config: tf.serialization.ConfigDict) => () => GraphOp.fromConfig(GraphOp, config);
  const node = {name: 'swap', op: 'Transpose', input: ['x', 'perm'], attr: {}};

  it('round-trips its spec through a saved config (node names and attributes with capitals and underscores)', () => {
    const spec = {node: {...node, name: 'Block_1/swap_A', attr: {Tperm: {type: 'DT_INT32'}}},
                  inputs: [{tensor: 0}, {constant: 0}], constants: [{node: 'Block_1/perm', dtype: 'int32', shape: [4]}],
                  outputShapes: [[null, 4, 4, 8]]};
    const layer = new GraphOp({name: 'swap', ...spec} as GraphOpArgs);
    const again = GraphOp.fromConfig(GraphOp, layer.getConfig()) as GraphOp;
    expect({node: again.node, plan: again.plan, constants: again.constants} as unknown)
        .toEqual({node: spec.node, plan: spec.inputs, constants: spec.constants});
  });

  it('refuses a config that is not a spec, naming GraphOp and the argument', () => {
    expect(fromConfig({name: 'g', spec: 'not hex'})).toThrowError(/GraphOp 'g'.*'spec' must be hexadecimal JSON/);
    expect(fromConfig({name: 'g', spec: '7b'})).toThrowError(/GraphOp 'g'.*'spec' must be hexadecimal JSON of an object/);
    expect(fromConfig({name: 'g', spec: hex('{')})).toThrowError(/GraphOp 'g'.*'spec' must be hexadecimal JSON of an object/);
    expect(fromConfig({name: 'g', spec: hex({node, inputs: [{tensor: 0}], constants: [], outputShapes: [[null]]})}))
        .toThrowError(/GraphOp 'g'.*'inputs' must be one entry per data input of node 'swap'/);
    expect(fromConfig({name: 'g', spec: hex({node, inputs: [{tensor: 0}, null], constants: [], outputShapes: [[null]]})}))
        .toThrowError(/GraphOp 'g'.*'inputs'/);
    expect(fromConfig({name: 'g', spec: hex({node: {...node, op: 'Const'}, inputs: [], constants: [], outputShapes: []})}))
        .toThrowError(/GraphOp 'g'.*'node' must be a node of a graph/);
  });
});
