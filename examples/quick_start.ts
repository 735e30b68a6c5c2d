// From a trained model to a smaller stock model: load → wrap → train → resample → export.
// `npx tsx examples/quick_start.ts [MODEL_URL] [OUT_URL] [FASHION_MNIST_DIR]` (after `npm run demo`, which
// trains the model this loads by default).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as tfi from 'tfjs-integral';  // after the backends: registers kernels, gradients, layers and file:// in Node

import {DEBIAN_FASHION_MNIST_DIR, loadFashionMnist} from '../demo/fashion_mnist';

const [modelUrl = 'file://demo/output/trained', outUrl = 'file://demo/output/quick-start-half',
       dataDir = DEBIAN_FASHION_MNIST_DIR] = process.argv.slice(2);

async function main() {
  await tf.setBackend('wasm');

  const model = await tf.loadLayersModel(modelUrl);      // any trained Sequential or functional LayersModel
  const inn = await tfi.wrapModel(model);                // exact: inn.predict(x) equals model.predict(x)
  console.log(inn.groups.map(g => `${g.name}: ${g.size} ${g.continuous ? 'continuous' : `discrete (${g.reason})`}`));

  // Optional: random-width training, so that every width from 25 % to 100 % works.
  const {train, test} = loadFashionMnist(dataDir, 2048, 1000);
  const y = tf.oneHot(train.labels, 10);
  inn.compile({optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy']});
  await inn.fit(train.images, y, {epochs: 1, batchSize: 128, randomWidth: {min: 0.25, seed: 1}});

  const half = inn.resample(0.5);                        // every continuous channel group at half its width
  const plain = half.toLayersModel();                    // stock Dense / Conv2D layers only
  await plain.save(outUrl);                              // loads with stock tfjs, without tfjs-integral
  const predicted = tf.argMax(plain.predict(test.images) as tf.Tensor, 1);
  const accuracy = tf.mean(tf.cast(tf.equal(predicted, test.labels), 'float32')).dataSync()[0];
  console.log(`half width: ${plain.countParams()} of ${model.countParams()} parameters, ` +
              `accuracy ${accuracy.toFixed(3)} on ${test.labels.shape[0]} test images, saved to ${outUrl}`);
}

main();
