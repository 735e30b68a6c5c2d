/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {ensureWasmTrainingKernels} from '../../kernels/register_all_kernels';
import {integralWeight} from '../ops/integral_weight';
import {IntegralOptions} from '../ops/sampling';
import {assertArg, isPositiveInteger} from '../util/errors';
import {assertSameTfjsLayers} from '../util/version_check';
import {fromChannelGrids, InputAxisLayout, InputSegments, INTEGRAL_ARG_NAMES, IntegralLayerArgs, integralLayerConfig, integralLayerState, IntegralLayerState, kernelToControls, LayerArgs, positionLogitsShape, positionsFromLogits, sampleBias, samplingOptions, segmentPositions, toChannelGrids} from './integral_layer_util';
import {ChannelSampledLayer, ControlsAtWidths} from './channel_sampled';
import {SampledWeightCache} from './sampled_weight_cache';
import {FusedActivation, StockFactory, StockTwin, stockTwin} from './stock_twin';

/** A stock fused op: `activation(kernel product + bias)` in one kernel. */
export type StockFused = (kernel: tf.Tensor, bias: tf.Tensor|undefined, activation: FusedActivation) => tf.Tensor;

/**
 * What the integral layers share: the stock twin's arguments, the integral options, and the weights (control grid,
 * bias controls, optional position logits), plus sampling them at the layer's widths.
 */
export abstract class IntegralLayer extends tfl.layers.Layer implements ChannelSampledLayer {
  /** Sampled output width (`units`, `filters` or `outputDim`). */
  get outSize(): number {
    return this.sampledOut;
  }
  private sampledOut: number;
  /** Integral options, validated. */
  readonly integral: IntegralLayerState;
  /** The Keys parameter it samples with. */
  get cubicA(): number {
    return this.integral.cubicA;
  }
  protected readonly twin: StockTwin;
  private kernel: tfl.LayerVariable|null = null;
  private bias: tfl.LayerVariable|null = null;
  private inPositionLogits: tfl.LayerVariable|null = null;
  private outPositionLogits: tfl.LayerVariable|null = null;
  private readonly weightCache = new SampledWeightCache();
  /** Sampled input channels (per tap and inner entry) of the input the layer was last built for. */
  private builtInChannels: number|null = null;

  protected constructor(className: string, stock: StockFactory, args: LayerArgs & IntegralLayerArgs,
                        outSize: number) {
    super(args);
    this.twin = stockTwin(stock, args, this.name);
    this.sampledOut = outSize;
    this.integral = integralLayerState(className, this.name, args, outSize);
  }

  /** Applies the layer; inputs from another copy of tfjs-layers get an error with the fix instead of tfjs's. */
  override apply(inputs: tf.Tensor|tf.Tensor[]|tfl.SymbolicTensor|tfl.SymbolicTensor[],
                 kwargs?: {[key: string]: unknown}): tf.Tensor|tf.Tensor[]|tfl.SymbolicTensor|tfl.SymbolicTensor[] {
    assertSameTfjsLayers(`${this.getClassName()} '${this.name}'`, 'inputs', inputs);
    return super.apply(inputs, kwargs);
  }

  /** Config key of the output width: `units`, `filters` or `outputDim`. */
  protected abstract readonly widthKey: string;

  /** Where the stock kernel keeps its input channels. */
  protected get inputLayout(): InputAxisLayout {
    return {taps: this.integral.inTaps, inner: this.integral.inInner, transposed: false};
  }

  /** True when the input axis is a plain channel axis (no taps, inner entries or segments): the ops apply as is. */
  protected get plainInput(): boolean {
    return this.integral.inTaps === 1 && this.integral.inInner === 1 && this.integral.inSegments == null;
  }

  /** Sets the current widths of the segments of a concatenated input axis (see `IntegralLayerArgs.inSegments`). */
  resizeInputSegments(widths: number[]) {
    const segments = this.integral.inSegments;
    assertArg(segments != null && widths.length === segments.sizes.length && widths.every(isPositiveInteger),
              `${this.getClassName()} '${this.name}'`, 'inSegments.widths', `${segments?.sizes.length} positive integers`,
              widths);
    segments.widths = [...widths];
  }

  /**
   * Samples `outSize` output channels from now on: the controls stay as they are. Within a model, the model's
   * symbolic shapes keep the width they were built with; `IntegralModel` rebuilds them when it resamples.
   */
  resize(outSize: number) {
    const where = `${this.getClassName()} '${this.name}'`;
    assertArg(isPositiveInteger(outSize), where, this.widthKey, 'a positive integer', outSize);
    assertArg(this.integral.outContinuous || outSize === this.integral.outControlSize, where, this.widthKey,
              `${this.integral.outControlSize} on a discrete output axis`, outSize);
    assertArg(!this.integral.trainablePositions || outSize === this.sampledOut, where, this.widthKey,
              `${this.sampledOut} while positions are trainable (their weights have one per sample)`, outSize);
    this.sampledOut = outSize;
  }

  /** Sampled channels per tap and inner entry of an input whose channel axis has `axisSize` entries. */
  protected inputChannels(axisSize: number|null): number|null {
    const {inTaps, inInner} = this.integral;
    assertArg(axisSize == null || axisSize % (inTaps * inInner) === 0, `${this.getClassName()} '${this.name}'`,
              'inTaps', `with inInner (${inInner}) a divisor of the input's channel axis ${axisSize}`, inTaps);
    return axisSize == null ? null : axisSize / (inTaps * inInner);
  }

  /**
   * Creates the weights for an input whose channel axis has `axisSize` entries; `spatial` leads the kernel shape
   * (`[kh, kw]` for a 2-D conv). The kernel is `[...spatial, taps·C_in·inner, C_out]` (its last two axes swapped
   * for a transposed convolution), `C_in` the input control size.
   */
  protected buildWeights(spatial: number[], axisSize: number|null) {
    const where = `${this.getClassName()} '${this.name}'`;
    const nIn = this.inputChannels(axisSize);
    assertArg(nIn != null, where, 'inputShape', 'a known channel dimension', nIn);
    const s = this.integral;
    const cIn = s.inControlSize ?? nIn;
    assertArg(s.inContinuous || cIn === nIn, where, 'inControlSize', `equal to the input's ${nIn} channels on a discrete axis`,
              cIn);
    s.inControlSize = cIn;
    this.builtInChannels = nIn;
    const axis = s.inTaps * cIn * s.inInner;
    const kernelShape = this.inputLayout.transposed ? [...spatial, s.outControlSize, axis] :
                                                      [...spatial, axis, s.outControlSize];
    const t = this.twin;
    this.kernel = this.addWeight(this.kernelWeightName, kernelShape, 'float32', t.kernelInitializer,
                                 t.kernelRegularizer, true, t.kernelConstraint);
    if (s.inContinuous) this.initialDrawToControls();
    if (t.useBias) {
      this.bias = this.addWeight('bias', [s.outControlSize], 'float32', t.biasInitializer, t.biasRegularizer, true,
                                 t.biasConstraint);
    }
    if (s.trainablePositions) {
      const zeros = tfl.initializers.zeros();
      const inShape = positionLogitsShape(s.inContinuous, nIn), outShape = positionLogitsShape(s.outContinuous, this.outSize);
      if (inShape) this.inPositionLogits = this.addWeight('in_position_logits', inShape, 'float32', zeros);
      if (outShape) this.outPositionLogits = this.addWeight('out_position_logits', outShape, 'float32', zeros);
    }
    this.built = true;
  }

  /** Name of the kernel weight (the stock twin's: `kernel`, or `embeddings`). */
  protected get kernelWeightName(): string {
    return 'kernel';
  }

  /**
   * Turns the freshly initialized kernel (an ordinary weight drawn by the layer's initializer) into controls
   * (`W / q`), so the sampled weight at the control size is exactly the drawn one and activations keep the stock
   * layer's scale.
   */
  private initialDrawToControls() {
    const variable = this.kernel!.read() as tf.Variable;
    const controls = kernelToControls(variable, this.inputLayout, this.integral.quadrature);
    // Assign to the variable itself: LayerVariable.write would also apply the kernel constraint, which stock layers
    // do not apply to their initial draw either.
    variable.assign(controls);
    controls.dispose();
  }

  /** The control grid and the sampling options of the current call (call inside a `tidy`). */
  private sampling(): {controls: tf.Tensor, options: IntegralOptions} {
    ensureWasmTrainingKernels();
    const positions = (v: tfl.LayerVariable|null) => v == null ? undefined : positionsFromLogits(v.read() as tf.Tensor1D);
    const segments = this.integral.inSegments;
    const inPositions = segments != null ? tf.tensor1d(segmentPositions(segments.sizes, segments.widths)) :
                                           positions(this.inPositionLogits);
    const options = {...samplingOptions(this.integral, inPositions, positions(this.outPositionLogits)),
                     outSize: this.outSize};
    return {controls: this.kernel!.read(), options};
  }

  /** The kernel sampled at `nIn` input channels per tap and inner entry, in the stock kernel's layout. */
  private sampledKernel(controls: tf.Tensor, options: IntegralOptions, nIn: number): tf.Tensor {
    const grids = integralWeight(toChannelGrids(controls, this.inputLayout), {...options, inSize: nIn});
    return fromChannelGrids(grids as tf.Tensor3D, controls.shape.slice(0, -2), this.inputLayout);
  }

  /**
   * The weights of the stock twin at the current widths (`[kernel, bias]` or `[kernel]`), for the input the layer
   * was last built for: what `IntegralModel.toLayersModel()` exports.
   */
  stockWeights(): tf.Tensor[] {
    return this.sampledWeights(this.builtInChannels!);
  }

  /** The kernel (at `nIn` input channels per tap and inner entry) and the bias (if any) at the current widths. */
  private sampledWeights(nIn: number): tf.Tensor[] {
    return tf.tidy(() => {
      const {controls, options} = this.sampling();
      const kernel = this.sampledKernel(controls, options, nIn);
      return this.bias == null ? [kernel] :
                                 [kernel, sampleBias(this.bias.read(), this.outSize, this.integral, options.outPositions)];
    });
  }

  /**
   * The layer's output (bias and activation applied) for an input of `nIn` channels per tap and inner entry:
   * `stock(kernel)` runs the stock op on a kernel in the stock layout; `fused(controls, options)`, for a plain input,
   * the integral op that samples inside its kernel; `stockFused`, tfjs's fused op (product, bias and activation in
   * one kernel) where there is one. In inference the sampled kernel and bias are reused while the
   * weights and widths stay the same (see {@link SampledWeightCache}); while gradients are recorded they are sampled
   * afresh. Call inside a `tidy`.
   */
  protected forward(nIn: number, stock: (kernel: tf.Tensor) => tf.Tensor,
                    fused?: (controls: tf.Tensor, options: IntegralOptions) => tf.Tensor,
                    stockFused?: StockFused): tf.Tensor {
    const variables = [this.kernel, this.bias, this.inPositionLogits, this.outPositionLogits]
                          .filter(v => v != null).map(v => v.read() as tf.Variable);
    const key = `${nIn} ${this.outSize} ${this.integral.inSegments?.widths.join(',') ?? ''}`;
    const cached = this.weightCache.get(variables, key, () => this.sampledWeights(nIn));
    if (cached != null) {
      if (stockFused == null) return this.activate(stock(cached[0]), cached[1]);
      // One fused kernel for the product, the bias and (where it can) the activation, as the stock layer runs it.
      const activation = this.twin.fusedActivation;
      const y = stockFused(cached[0], cached[1], activation ?? 'linear');
      return activation != null ? y : this.twin.activation.apply(y);
    }
    const {controls, options} = this.sampling();
    const y = fused != null && this.plainInput ? fused(controls, options) :
                                                 stock(this.sampledKernel(controls, options, nIn));
    return this.activate(
        y, this.bias == null ? undefined : sampleBias(this.bias.read(), this.outSize, this.integral, options.outPositions));
  }

  /** Frees the reused sampled weights with the layer's variables. */
  override dispose(): ReturnType<tfl.layers.Layer['dispose']> {
    return this.weightCache.releaseWith(super.dispose());
  }

  /**
   * The weights and config entries of a layer like this one that holds the stock `weights` (`[kernel, bias]` at the
   * current widths, as {@link stockWeights} gives them) exactly, as control grids of the current sizes: the sampled
   * grid becomes the control grid (calibration writes its fitted weights this way).
   */
  controlsAtCurrentWidths([kernel, bias]: tf.Tensor[]): ControlsAtWidths {
    const s = this.integral;
    const segments = s.inSegments;
    const weights = [s.inContinuous ? kernelToControls(kernel, this.inputLayout, s.quadrature) : kernel.clone(),
                     ...(bias != null ? [bias.clone()] : [])];
    return {
      weights,
      config: {
        inControlSize: s.inContinuous ? this.builtInChannels : s.inControlSize,
        outControlSize: s.outContinuous ? this.outSize : s.outControlSize,
        ...(segments != null ? {inSegments: {sizes: [...segments.widths], widths: [...segments.widths]}} : {}),
      },
    };
  }

  /** Adds the sampled `bias` (if any) to the pre-activation `y`, then applies the activation. */
  private activate(y: tf.Tensor, bias: tf.Tensor|undefined): tf.Tensor {
    return this.twin.activation.apply(bias == null ? y : tf.add(y, bias));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {...this.twin.config(), [this.widthKey]: this.outSize, ...integralLayerConfig(this.integral),
            ...super.getConfig()};
  }

  /** The config of the integral twin of a stock layer: its stock config with the integral arguments `args`. */
  static twinConfig<C extends Record<string, unknown>>(stock: C, args: IntegralLayerArgs): C {
    return {...stock, ...args};
  }

  /** The config of the stock layer an integral twin's `config` exports to: the integral arguments dropped. */
  static stockConfig<C extends Record<string, unknown>>(config: C): C {
    return Object.fromEntries(Object.entries(config).filter(([key]) => !INTEGRAL_ARG_NAMES.includes(key))) as C;
  }

  /**
   * A twin's `config` sampling `out` output channels (under config key `widthKey`) and, for a concatenated input,
   * its segments at `segments`; unchanged where those are undefined. A layer that trains its positions keeps its
   * width (its weights hold one position per sample): asking it for another is an Error naming `op`.
   */
  static resizedConfig<C extends Record<string, unknown>>(config: C, widthKey: string, op: string,
                                                          widths: {out?: number, segments?: number[]}): C {
    const resized: Record<string, unknown> = {...config};
    const segments = config.inSegments as InputSegments|undefined;
    if (widths.segments != null && segments != null) resized.inSegments = {...segments, widths: widths.segments};
    if (widths.out == null || config[widthKey] === widths.out) return resized as C;
    if (config.trainablePositions) {
      throw new Error(`Error in ${op}: layer '${config.name}' trains its positions, so its width stays ` +
                      `${config[widthKey]}, but its group was asked for ${widths.out}.`);
    }
    resized[widthKey] = widths.out;
    return resized as C;
  }
}
