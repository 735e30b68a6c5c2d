/**
 * @license
 * Copyright 2026 tfjs-integral authors. Licensed under the Apache License, Version 2.0.
 */
import {writeFileSync} from 'node:fs';

import {Resvg} from '@resvg/resvg-js';
import type {TopLevelSpec} from 'vega-lite';

import {importByName} from '../src/util/import_by_name';
import {DEMO_METHODS, DemoResults} from './config';

/** The Vega-Lite spec of the accuracy-vs-width plot: one line per method, all of it and the top 10 points. */
export function accuracyPlotSpec(results: DemoResults): TopLevelSpec {
  const {config} = results;
  const best = Math.max(...results.rows.map(r => r.accuracy));
  const panel = (title: string, domain: [number, number]) => ({
    title,
    width: 420,
    height: 360,
    mark: {type: 'line' as const, point: true, strokeWidth: 2, clip: true},
    encoding: {
      x: {field: 'width', type: 'quantitative' as const, title: 'width of every hidden layer (% of channels)',
          scale: {domain: [20, 100]}},
      y: {field: 'accuracy', type: 'quantitative' as const, title: 'test accuracy', scale: {domain},
          axis: {format: '.0%'}},
      color: {field: 'method', type: 'nominal' as const, title: null, sort: Object.values(DEMO_METHODS),
              scale: {scheme: 'tableau20'},
              legend: {orient: 'bottom' as const, direction: 'vertical' as const, labelLimit: 600}},
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Fashion-MNIST: test accuracy vs width',
      subtitle: [`${config.trainImages} training images, ${config.epochs} epochs; (c), (d): 1 more labeled epoch ` +
                 `on ${config.tuneImages}; ${config.testImages} test images; ${results.backend} backend`,
                 `(e)-(m): unlabeled images only, ${config.calibrationImages} to calibrate, ` +
                 `${config.distillImages} x ${config.distillEpochs} epoch(s) to distill, ` +
                 `${config.shortDistillImages} for (m)'s short distillation`],
    },
    data: {values: results.rows.map(r => ({width: r.width * 100, accuracy: r.accuracy, method: DEMO_METHODS[r.method]}))},
    hconcat: [panel('every method', [0, 1]),
              panel('the top 10 points', [Math.floor(best * 100 - 10) / 100, Math.ceil(best * 100) / 100])],
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
