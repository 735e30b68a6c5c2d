/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';

import {spreadByStrides} from './spread';

/**
 * Geometry of a depthwise convolution seen tap by tap: filter tap `(a, b)` meets the zero-padded input at rows
 * `a·dh + y·sh` and columns `b·dw + x·sw` of the output positions `(y, x)`. Written with standard ops, so both
 * gradients cost what the forward costs, on any backend.
 */
export class DepthwiseTaps {
  readonly info: tf.backend_util.Conv2DInfo;
  /** Padded input extent that every tap window fits in. */
  readonly paddedHeight: number;
  readonly paddedWidth: number;

  constructor(xShape: [number, number, number, number], filterShape: [number, number, number, number],
              attrs: {strides: number|[number, number], dilations: number|[number, number],
                      pad: tf.Conv2DAttrs['pad'], dimRoundingMode?: 'floor'|'round'|'ceil'}) {
    this.info = tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, attrs.dilations, attrs.pad,
                                                  attrs.dimRoundingMode, true);
    const i = this.info;
    this.paddedHeight = Math.max(i.padInfo.top + i.inHeight, this.windowEnd(i.filterHeight - 1, 'h'));
    this.paddedWidth = Math.max(i.padInfo.left + i.inWidth, this.windowEnd(i.filterWidth - 1, 'w'));
  }

  /** One past the last padded row (or column) that tap `t` reads. */
  private windowEnd(t: number, axis: 'h'|'w') {
    const i = this.info;
    return axis === 'h' ? t * i.dilationHeight + (i.outHeight - 1) * i.strideHeight + 1 :
                          t * i.dilationWidth + (i.outWidth - 1) * i.strideWidth + 1;
  }

  /** `x [B, H, W, C]` zero-padded to `[B, paddedHeight, paddedWidth, C]`. */
  padInput(x: tf.Tensor4D): tf.Tensor4D {
    const {top, left} = this.info.padInfo;
    return tf.pad(x, [[0, 0], [top, this.paddedHeight - top - x.shape[1]], [left, this.paddedWidth - left - x.shape[2]],
                      [0, 0]]);
  }

  /** The `[B, oh, ow, C]` window of the padded input that tap `(a, b)` meets. */
  window(padded: tf.Tensor4D, a: number, b: number): tf.Tensor4D {
    const i = this.info;
    return tf.stridedSlice(padded, [0, a * i.dilationHeight, b * i.dilationWidth, 0],
                           [padded.shape[0], this.windowEnd(a, 'h'), this.windowEnd(b, 'w'), padded.shape[3]],
                           [1, i.strideHeight, i.strideWidth, 1]) as tf.Tensor4D;
  }

  /** Adjoint of {@link window}: `g [B, oh, ow, C]` placed, with zeros between strides, in a padded-size tensor. */
  place(g: tf.Tensor4D, a: number, b: number): tf.Tensor4D {
    const i = this.info;
    const spread = spreadByStrides(g, i.strideHeight, i.strideWidth);
    const top = a * i.dilationHeight, left = b * i.dilationWidth;
    return tf.pad(spread, [[0, 0], [top, this.paddedHeight - top - spread.shape[1]],
                           [left, this.paddedWidth - left - spread.shape[2]], [0, 0]]);
  }

  /** Crops a padded-size tensor back to the input extent. */
  crop(padded: tf.Tensor4D): tf.Tensor4D {
    const i = this.info;
    return tf.slice(padded, [0, i.padInfo.top, i.padInfo.left, 0], [-1, i.inHeight, i.inWidth, -1]);
  }
}
