/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import type {LayerKind} from './layer_kind';

/** What the kind reads of a GraphOp layer (src/graph/graph_op_layer.ts): the node it runs. */
interface KeptNode {
  node: {name: string, op: string};
}

/** A graph node kept as it is (a node of a wrapped graph model outside the translated ops): its groups stay discrete. */
export const graphOpKind: LayerKind = {
  classNames: ['GraphOp'],
  rule: 'producer',
  discreteReason: call => {
    const {node} = call.layer as unknown as KeptNode;
    return `graph node '${node.name}' (op '${node.op}') is kept as it is`;
  },
};
