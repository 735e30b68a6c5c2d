/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {writeFileSync} from 'node:fs';

import {Resvg} from '@resvg/resvg-js';
import type {TopLevelSpec} from 'vega-lite';

import {importByName} from '../src/util/import_by_name';
import {DEMO_METHODS, DemoResults} from './config';

/** The Vega-Lite spec of the accuracy-vs-width plot: one line per method. */
export function accuracyPlotSpec(results: DemoResults): TopLevelSpec {
  const {config} = results;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Fashion-MNIST: test accuracy vs width (no fine-tuning after pruning)',
      subtitle: `${config.trainImages} training images, ${config.epochs} epochs + 1 for (c) and (d); ` +
                `${config.testImages} test images; ${results.backend} backend`,
    },
    width: 560,
    height: 360,
    data: {values: results.rows.map(r => ({width: r.width * 100, accuracy: r.accuracy, method: DEMO_METHODS[r.method]}))},
    mark: {type: 'line', point: true, strokeWidth: 2},
    encoding: {
      x: {field: 'width', type: 'quantitative', title: 'width of every hidden layer (% of channels)',
          scale: {domain: [20, 100]}},
      y: {field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: {domain: [0, 1]},
          axis: {format: '.0%'}},
      color: {field: 'method', type: 'nominal', title: null, sort: Object.values(DEMO_METHODS),
              legend: {orient: 'bottom', direction: 'vertical', labelLimit: 600}},
    },
    config: {font: 'DejaVu Sans'},
  };
}

/** Renders the accuracy-vs-width plot (Vega-Lite → SVG → PNG with resvg) to `file`. */
export async function renderAccuracyPlot(results: DemoResults, file: string): Promise<void> {
  // vega uses top-level await, so it cannot be required.
  const vega = await importByName<typeof import('vega')>('vega');
  const vegaLite = await importByName<typeof import('vega-lite')>('vega-lite');
  const view = new vega.View(vega.parse(vegaLite.compile(accuracyPlotSpec(results)).spec), {renderer: 'none'});
  const svg = await view.toSVG(2);
  view.finalize();
  const png = new Resvg(svg, {background: 'white', font: {loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans'}});
  writeFileSync(file, png.render().asPng());
}
