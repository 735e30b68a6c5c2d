/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {convertModel, WrapOptions} from '../converter/convert';
import {disposeModel} from '../converter/topology';
import {stockNetwork} from '../network/networks';
import {ReferenceNetwork, SharedNetwork} from '../network/shared_network';
import {assertArg} from '../util/errors';
import {assertSameTfjsLayers} from '../util/version_check';
import {IntegralModel} from './integral_model';

/**
 * Wraps a LayersModel as an Integral Neural Network (docs/api.md §4): finds the channel groups, folds BatchNormalization,
 * optionally permutes each group's channels towards smooth weight functions, turns every producer (Dense, Conv1D,
 * Conv2D, Conv2DTranspose, Embedding, TimeDistributed(Dense)) into its integral twin holding `controls = W / q`, and
 * every per-channel layer of a continuous group into an `IntegralChannelwise`; a SeparableConv2D becomes its depthwise
 * and pointwise halves. At the original width the result predicts what `model` predicts; `model` is not changed.
 */
export async function wrapModel(model: tfl.LayersModel, options: WrapOptions = {}): Promise<IntegralModel> {
  assertSameTfjsLayers('wrapModel', 'model', model);
  assertArg(model instanceof tfl.LayersModel, 'wrapModel', 'model',
            'a tf.LayersModel (an IntegralModel is wrapped already; its .model is the LayersModel)',
            model instanceof IntegralModel ? 'an IntegralModel' : model);
  const {wrapped, groups, layout, permutation} = await convertModel(model, options);
  return new IntegralModel({groups, layout, permutation, network: withReference(wrapped)});
}

/** The wrapped network, holding its reference network: its own function at the original widths, as stock layers. */
export function withReference(wrapped: tfl.LayersModel): SharedNetwork {
  let reference: ReferenceNetwork;
  try {
    reference = new ReferenceNetwork(stockNetwork(wrapped));
  } catch (e) {
    disposeModel(wrapped);
    throw e;
  }
  const network = new SharedNetwork(wrapped, reference, true);
  reference.release();
  return network;
}
