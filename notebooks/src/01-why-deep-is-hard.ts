// %% [markdown] slide
// # Lesson 1 — Why deep networks are hard to train
//
// Placeholder lesson used to test the build pipeline.

// %%
import { tensor } from "kernel-lib";
const x = tensor([[1, 2], [3, 4]]);
console.log(x.toString());
