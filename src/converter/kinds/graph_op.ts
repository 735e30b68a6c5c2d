/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {GraphOp} from '../../graph/graph_op_layer';
import type {LayerKind} from './layer_kind';

/** A graph node kept as it is (a node of a wrapped graph model outside the translated ops): its groups stay discrete. */
export const graphOpKind: LayerKind = {
  classNames: ['GraphOp'],
  rule: 'producer',
  discreteReason: call => `graph node '${(call.layer as GraphOp).node.name}' (op '${(call.layer as GraphOp).node.op}') ` +
      'is kept as it is',
};
