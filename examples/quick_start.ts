// From a trained model to a smaller stock model: load → wrap → train (optional) → resample → calibrate → export.
// `npx tsx quick_start.ts [MODEL_URL] [OUT_URL] [FASHION_MNIST_DIR]`: any LayersModel of 28×28×1 images with 10
// classes (in this repository, `npm run demo` trains the one it loads by default).
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as tfi from 'tfjs-integral';  // registers kernels, gradients, layers, and file:// in Node

const [modelUrl = 'file://demo/output/trained', outUrl = 'file://demo/output/quick-start-half',
       dataDir = '/usr/share/datasets/fashion-mnist'] = process.argv.slice(2);

/** The first `n` records of `size` bytes of a gzipped idx file of Fashion-MNIST, after its `header`. */
const idx = (file: string, header: number, n: number, size: number) =>
    gunzipSync(readFileSync(join(dataDir, file))).subarray(header, header + n * size);
const images = (split: string, n: number) => tf.tensor4d(
    Float32Array.from(idx(`${split}-images-idx3-ubyte.gz`, 16, n, 784), v => v / 255), [n, 28, 28, 1]);
const labels = (split: string, n: number) =>
    tf.tensor1d(Int32Array.from(idx(`${split}-labels-idx1-ubyte.gz`, 8, n, 1)), 'int32');

async function main() {
  await tf.setBackend('wasm');
  const model = await tf.loadLayersModel(modelUrl);      // any trained Sequential or functional LayersModel
  const inn = await tfi.wrapModel(model);                // exact: inn.predict(x) equals model.predict(x)
  console.log(inn.groups.map(g => `${g.name}: ${g.size} ${g.continuous ? 'continuous' : `discrete (${g.reason})`}`));

  // Optional: random-width training, so that every width from 25 % to 100 % works.
  const [train, test, testLabels] = [images('train', 2048), images('t10k', 1000), labels('t10k', 1000)];
  inn.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  await inn.fit(train, tf.oneHot(labels('train', 2048), 10), {epochs: 1, batchSize: 128,
                                                              randomWidth: {min: 0.25, seed: 1}});

  // Every continuous channel group at half its width, re-fitted on 512 unlabeled images; then stock layers only.
  const half = await inn.resample(0.5).calibrate(train.slice(0, 512));
  const plain = half.toLayersModel();
  await plain.save(outUrl);                              // loads with stock tfjs, without tfjs-integral
  const predicted = tf.argMax(plain.predict(test) as tf.Tensor, 1);
  const accuracy = tf.mean(tf.cast(tf.equal(predicted, testLabels), 'float32')).dataSync()[0];
  console.log(`half width: ${plain.countParams()} of ${model.countParams()} parameters, ` +
              `accuracy ${accuracy.toFixed(3)} on ${testLabels.shape[0]} test images, saved to ${outUrl}`);
}

main();
