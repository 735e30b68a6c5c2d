/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import * as vega from 'vega';
import {compile, TopLevelSpec} from 'vega-lite';

/** One explored model: its mean width, its score, its parameters, and how it was made. */
export interface ExploredPoint {
  /** Mean width of the adjustable groups, % of the original. */
  width: number;
  /** Accuracy (or agreement with the full model), %. */
  score: number;
  params: number;
  kind: 'resampled'|'calibrated'|'searched'|'distilled';
  /** The widths, by group, as the tooltip shows them. */
  widths: string;
}

const KINDS: ExploredPoint['kind'][] = ['resampled', 'calibrated', 'searched', 'distilled'];

/** The accuracy-against-width plot, redrawn as the user explores. */
export class ExploredPlot {
  private view: vega.View|null = null;
  private readonly points = new Map<string, ExploredPoint>();

  constructor(private readonly container: HTMLElement, private readonly metric: string) {}

  /** Adds (or replaces: same widths and kind) a point and redraws. */
  async add(point: ExploredPoint) {
    this.points.set(`${point.kind} ${point.widths}`, point);
    const spec: TopLevelSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      width: 'container', height: 240, background: 'transparent',
      data: {values: [...this.points.values()]},
      mark: {type: 'point', filled: true, size: 70, tooltip: true},
      encoding: {
        x: {field: 'width', type: 'quantitative', title: 'mean width (% of original channels)', scale: {domain: [0, 100]}},
        y: {field: 'score', type: 'quantitative', title: `${this.metric} on the sample (%)`, scale: {zero: false}},
        color: {field: 'kind', type: 'nominal', title: null, scale: {domain: KINDS}},
        shape: {field: 'kind', type: 'nominal', title: null, scale: {domain: KINDS}},
        tooltip: [{field: 'kind'}, {field: 'width', format: '.1f'}, {field: 'score', format: '.1f'},
                  {field: 'params', format: ','}, {field: 'widths'}],
      },
    };
    this.view?.finalize();
    this.view = new vega.View(vega.parse(compile(spec).spec), {renderer: 'svg', container: this.container, hover: true});
    await this.view.runAsync();
  }

  /** Removes the plot. */
  dispose() {
    this.view?.finalize();
    this.container.replaceChildren();
  }
}
