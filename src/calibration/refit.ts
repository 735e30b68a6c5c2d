/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
// The frame every re-fit of a narrow network toward the reference runs in: least squares, the fitted grid,
// distillation. Each works on stock networks; the frame turns the result back into an integral network.
import * as tfl from '@tensorflow/tfjs-layers';

import type {ChannelGroup, GroupLayout} from '../converter/channel_groups';
import {disposeModel} from '../converter/topology';
import {networkWithStockWeights, stockNetwork} from '../network/networks';
import {ReferenceNetwork, SharedNetwork} from '../network/shared_network';

/** What a re-fit works on. */
export interface RefitContext {
  /** The model's network as stock layers at its widths: the re-fit changes its weights in place. */
  narrow: tfl.LayersModel;
  /** The reference network (stock, full width): the function to reproduce. Never changed. */
  reference: tfl.LayersModel;
  /** The same, as the model holds it (with its cache of teacher outputs). */
  referenceNetwork: ReferenceNetwork;
  /** The integral network the narrow one was exported from (read only: sampling parameters, layer classes). */
  network: tfl.LayersModel;
  /** The model's groups at its widths. */
  groups: ChannelGroup[];
  /** True when the model's controls are the reference's function itself (not re-fitted or trained). */
  pristine: boolean;
  layout: GroupLayout;
}

/** What a re-fit changed. */
export interface RefitResult {
  /** The layers whose weights it changed. */
  changed: Set<string>;
  /** New positions of groups on the reference's channel axes (the fitted grid), by group name. */
  positions?: Record<string, number[]>;
}

/** One way of re-fitting a narrow network toward the reference network. */
export interface Refit {
  /** Re-fits `context.narrow` in place. */
  run(context: RefitContext): Promise<RefitResult>;
}

/**
 * The integral network `network` re-fitted by `refit`: exported to stock layers at its widths (under `atOwnWidths`,
 * which puts a running random-width fit's layers at the model's widths), re-fitted, and taken back as controls of
 * the current sizes for the layers the re-fit changed. The result holds `reference`; `network` is unchanged.
 */
export async function refitted(network: tfl.LayersModel, reference: ReferenceNetwork, pristine: boolean,
                               groups: ChannelGroup[],
                               layout: GroupLayout, refit: Refit, atOwnWidths: <T>(fn: () => T) => T):
    Promise<{network: SharedNetwork, groups: ChannelGroup[]}> {
  const narrow = atOwnWidths(() => stockNetwork(network));
  try {
    const {changed, positions = {}} = await refit.run({narrow, reference: reference.model, referenceNetwork: reference,
                                                       network, groups, layout, pristine});
    const refittedNetwork = atOwnWidths(() => networkWithStockWeights(network, narrow, changed));
    return {network: new SharedNetwork(refittedNetwork, reference),
            groups: groups.map(g => positions[g.name] != null ? {...g, positions: positions[g.name]} : g)};
  } finally {
    disposeModel(narrow);
  }
}
