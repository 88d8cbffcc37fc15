/** Every hidden suite, statically imported (so the course type check covers them). */
import type { HiddenSuite } from "../../tools/grader/hidden-api";
import s01 from "./01-why-deep-is-hard.hidden";
import s02 from "./02-initialization.hidden";
import s03 from "./03-activations.hidden";
import s04 from "./04-batch-normalization.hidden";
import s05 from "./05-residuals-and-clipping.hidden";
import s06 from "./06-optimizers.hidden";
import s07 from "./07-lr-schedules.hidden";
import s08 from "./08-regularization.hidden";
import s09 from "./09-transfer-learning.hidden";
import s10 from "./10-modern-recipe.hidden";
import s11 from "./11-convolutional-networks.hidden";

export const hiddenSuites: Record<string, HiddenSuite> = {
  "01-why-deep-is-hard": s01,
  "02-initialization": s02,
  "03-activations": s03,
  "04-batch-normalization": s04,
  "05-residuals-and-clipping": s05,
  "06-optimizers": s06,
  "07-lr-schedules": s07,
  "08-regularization": s08,
  "09-transfer-learning": s09,
  "10-modern-recipe": s10,
  "11-convolutional-networks": s11,
};
