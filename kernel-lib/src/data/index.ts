/**
 * Data: datasets and mini-batch loading, splits, feature scaling, synthetic
 * sets, the bundled MNIST subset and augmentation. Names follow
 * `torch.utils.data` and scikit-learn.
 *
 *   import { data, Generator } from "kernel-lib";
 *   const g = new Generator(0);
 *   const { x, y } = data.makeSpirals({ n: 300, generator: g });
 *   const { xTrain, xTest, yTrain, yTest } = data.trainTestSplit(x, y, { testSize: 0.2, stratify: true, generator: g });
 *   const scaler = new data.StandardScaler().fit(xTrain);
 *   const loader = new data.DataLoader(new data.TensorDataset(scaler.transform(xTrain), yTrain), { batchSize: 32, shuffle: true, generator: g });
 *   for (const [xb, yb] of loader) { … }
 */
export { TensorDataset } from "./dataset";
export type { Dataset, Batch } from "./dataset";
export { DataLoader } from "./dataloader";
export type { DataLoaderOptions } from "./dataloader";
export { trainTestSplit, trainValTestSplit } from "./split";
export type { SplitOptions, TrainTestSplitOptions, TrainValTestSplitOptions, TrainTestSplit, TrainValTestSplit } from "./split";
export { StandardScaler, MinMaxScaler } from "./scalers";
export type { MinMaxScalerOptions } from "./scalers";
export { oneHot } from "./one-hot";
export { makeSpirals, makeMoons, makeCircles, makeBlobs } from "./synthetic";
export type { ClassificationData, SyntheticOptions, SpiralOptions, CirclesOptions, BlobsOptions } from "./synthetic";
export { makePolynomialRegression, polynomialFeatures } from "./polynomial";
export type { PolynomialRegressionOptions, RegressionData } from "./polynomial";
export { loadDigits, digitCounts, IMAGE_SIZE } from "./mnist";
export type { LoadDigitsOptions, DigitsData } from "./mnist";
export * as augment from "./augment";
