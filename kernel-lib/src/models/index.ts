/**
 * Pretrained models shipped with kernel-lib, like torchvision.models: a
 * builder per model returns a new nn module, with the shipped weights when
 * asked (`{ pretrained: true }`), and a metadata object says how they were made.
 * The weights live in kernel-lib/weights/ as safetensors files (readable from
 * Python too), each made by a script in the course's tools/pretrain/ with a
 * fixed seed (`npm run pretrain`).
 *
 *   const body = models.digitsConvBody({ pretrained: true });
 *   models.digitsConvBodyMeta.testAccuracy;   // how well it did on held-out digits 0–4
 */
export {
  digitsConvBody, digitsConvBodyMeta, digitsConvBodyWeightsPath, readDigitsConvBodyWeights, DIGITS_CONV_BODY_RECIPE,
  type DigitsConvBodyOptions, type DigitsConvBodyMeta, type DigitsConvBodyRecipe,
} from "./digits-conv-body";
export { encodeSafetensors, decodeSafetensors, type Safetensors } from "./safetensors";
