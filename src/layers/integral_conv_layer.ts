/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tfl from '@tensorflow/tfjs-layers';

import {assertArg, assertLayerArgs} from '../util/errors';
import {IntegralLayer} from './integral_layer';
import {IntegralLayerArgs, LayerArgs, singleShape} from './integral_layer_util';
import {StockFactory} from './stock_twin';

/** The convolution arguments the integral convolutions read (the rest goes to the stock twin). */
interface ConvArgs {
  filters: number;
  kernelSize: number|number[];
  strides?: number|number[];
  padding?: string;
  dataFormat?: string;
  dilationRate?: number|number[];
  name?: string;
}

/** `v` as `rank` numbers (Keras accepts one number, or a list of one or `rank`). */
export function spatialTuple(v: number|number[]|undefined, rank: number): number[] {
  const list = v == null ? [1] : typeof v === 'number' ? [v] : v;
  return list.length === 1 ? Array(rank).fill(list[0]) : [...list];
}

/**
 * What the integral convolutions share: `filters` as the sampled output width, the kernel size, strides, dilations and
 * padding of a `rank`-D convolution, channels-last inputs (`channelsFirst` is rejected) and weights built for the
 * input's channel count.
 */
export abstract class IntegralConvLayer extends IntegralLayer {
  protected readonly widthKey = 'filters';
  protected readonly kernelSize: number[];
  protected readonly strides: number[];
  protected readonly dilationRate: number[];
  protected readonly padding: string;

  protected constructor(className: string, stock: StockFactory, args: LayerArgs & IntegralLayerArgs & ConvArgs,
                        rank: number, paddings: string[]) {
    const where = `${className} '${assertLayerArgs(className, args).name ?? className}'`;
    assertArg(args.dataFormat == null || args.dataFormat === 'channelsLast', where, 'dataFormat', `'channelsLast'`,
              args.dataFormat);
    assertArg(args.padding == null || paddings.includes(args.padding), where, 'padding',
              paddings.map(p => `'${p}'`).join(' or '), args.padding);
    super(className, stock, args, args.filters);
    this.kernelSize = spatialTuple(args.kernelSize, rank);
    this.strides = spatialTuple(args.strides, rank);
    this.dilationRate = spatialTuple(args.dilationRate, rank);
    this.padding = args.padding ?? 'valid';
    this.inputSpec = [{ndim: rank + 2}];
  }

  /** Sampled output channels. */
  get filters(): number {
    return this.outSize;
  }

  override build(inputShape: tfl.Shape|tfl.Shape[]): void {
    const shape = singleShape(inputShape);
    this.buildWeights(this.kernelSize, shape[shape.length - 1]);
  }
}
