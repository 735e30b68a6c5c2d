/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {assertArg, assertLayerArgs} from '../util/errors';
import {IntegralLayer} from './integral_layer';
import {IntegralLayerArgs, singleShape} from './integral_layer_util';

/** Arguments of `tf.layers.embedding`. */
export type EmbeddingLayerArgs = Parameters<typeof tfl.layers.embedding>[0];

/** Arguments of {@link IntegralEmbedding}: everything `tf.layers.embedding` takes, plus the integral options. */
export type IntegralEmbeddingArgs = EmbeddingLayerArgs & Omit<IntegralLayerArgs, 'inContinuous'|'inSegments'>;

/**
 * An embedding whose table is a weight function of the embedding coordinate: a control grid `[inputDim, C]` whose
 * rows (the tokens) are discrete and whose embedding axis is sampled at `outputDim` points on every call
 * (interpolated, not integrated). A drop-in twin of `tf.layers.embedding`, `maskZero` and `inputLength` included.
 */
export class IntegralEmbedding extends IntegralLayer {
  /** The class name registered for serialization. */
  static className = 'IntegralEmbedding';
  protected readonly widthKey = 'outputDim';
  private readonly inputDim: number;
  private readonly inputLength: number|number[]|null;
  private readonly maskZero: boolean;

  /** Sampled embedding width. */
  get outputDim(): number {
    return this.outSize;
  }

  constructor(args: IntegralEmbeddingArgs) {
    const where = `IntegralEmbedding '${assertLayerArgs(IntegralEmbedding.className, args).name ?? IntegralEmbedding.className}'`;
    assertArg((args as {inContinuous?: boolean}).inContinuous !== true, where, 'inContinuous',
              'false (the rows are tokens)', true);
    super(IntegralEmbedding.className, 'embedding', {...args, inContinuous: false}, args.outputDim);
    this.inputDim = args.inputDim;
    this.inputLength = args.inputLength ?? null;
    this.maskZero = args.maskZero ?? false;
    this.supportsMasking = this.maskZero;
  }

  protected override get kernelWeightName(): string {
    return 'embeddings';
  }

  override build(): void {
    this.buildWeights([], this.inputDim);
  }

  override computeMask(inputs: tf.Tensor|tf.Tensor[]): tf.Tensor {
    // tfjs-layers reads a null mask as "no mask" (its own Embedding returns null unless maskZero).
    if (!this.maskZero) return null as unknown as tf.Tensor;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.notEqual(x, tf.zerosLike(x));
  }

  override computeOutputShape(inputShape: tfl.Shape|tfl.Shape[]): tfl.Shape {
    const shape = singleShape(inputShape);
    if (this.inputLength == null) return [...shape, this.outputDim];
    const lengths = (Array.isArray(this.inputLength) ? this.inputLength : [this.inputLength])
                        .map((len, k) => len ?? shape[k + 1]);
    return [shape[0], ...lengths, this.outputDim];
  }

  override call(inputs: tf.Tensor|tf.Tensor[], kwargs: {[key: string]: unknown}): tf.Tensor {
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const ids = x.dtype === 'int32' ? x : tf.cast(x, 'int32');
      const rows = this.forward(this.inputDim, table => tf.gather(table, tf.reshape(ids, [ids.size])));
      return tf.reshape(rows, this.computeOutputShape(x.shape) as number[]);
    });
  }
}
tf.serialization.registerClass(IntegralEmbedding);
