import { fail, fmtShape } from "../core/errors";
import { sameShape } from "../core/shape";
import { Tensor } from "../tensor";
import { detectAnomaly, isAnomalyEnabled, noGrad } from "./grad-mode";
import { checkFinite } from "./record";
import { add } from "../ops/elementwise";
import { clone, onesLike } from "../ops/convert";

/**
 * Reverse-mode differentiation. Walks the recorded graph from `root` back to
 * the leaves in reverse topological order, so each tensor's gradient is
 * complete (all its uses summed) before it is passed on to its inputs.
 */
export function backward(root: Tensor, grad?: Tensor): void {
  const seed = seedGradient(root, grad);
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  withoutNestedAnomalyChecks((anomaly) => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t); // free intermediate gradients as soon as they are passed on
      if (t.gradFn === null || t.retainsGrad) accumulate(t, g);
      if (t.gradFn !== null) propagate(t, g, grads, anomaly);
    }
  });
}

/** dLoss/droot: ones for a scalar root, else the gradient the caller passed (checked). */
function seedGradient(root: Tensor, grad: Tensor | undefined): Tensor {
  if (!root.requiresGrad) {
    fail(
      "backward",
      "this tensor does not require grad: none of the tensors it was computed from has requiresGrad=true " +
        "(create parameters with requiresGrad: true, and do not compute the loss inside noGrad)",
    );
  }
  if (grad === undefined) {
    if (root.size !== 1) {
      fail("backward", `called without a gradient on a tensor of shape ${fmtShape(root.shape)}; pass one of the same shape, or reduce to a scalar first (e.g. loss.mean())`);
    }
    return onesLike(root);
  }
  if (!sameShape(grad.shape, root.shape)) {
    fail("backward", `gradient of shape ${fmtShape(grad.shape)} does not match the tensor's shape ${fmtShape(root.shape)}`);
  }
  return grad;
}

/**
 * Runs the pass without recording, and with anomaly mode's own checks off:
 * `propagate` checks each op's gradients under the op's name, so the ops a
 * backward rule calls (a div inside sqrt's rule) must not report themselves first.
 */
function withoutNestedAnomalyChecks(pass: (anomaly: boolean) => void): void {
  const anomaly = isAnomalyEnabled();
  detectAnomaly(false);
  try {
    noGrad(() => pass(anomaly));
  } finally {
    detectAnomaly(anomaly);
  }
}

/** Calls t's backward rule and adds each input's share to what that input has received so far. */
function propagate(t: Tensor, g: Tensor, grads: Map<Tensor, Tensor>, anomaly: boolean): void {
  const fn = t.gradFn!;
  const inputGrads = fn.backward(g);
  fn.inputs.forEach((input, j) => {
    const gi = inputGrads[j];
    if (!input.requiresGrad || gi === null || gi === undefined) return;
    if (!sameShape(gi.shape, input.shape)) {
      fail("backward", `internal error: ${fn.op} returned a gradient of shape ${fmtShape(gi.shape)} for an input of shape ${fmtShape(input.shape)}`);
    }
    if (anomaly) checkFinite(fn.op, "backward", gi, fn.inputs);
    const previous = grads.get(input);
    grads.set(input, previous === undefined ? gi : add(previous, gi));
  });
}

/**
 * Adds into `.grad`. The first gradient is copied, so that `.grad` owns its
 * storage and later in-place accumulation (a second backward) or clipping
 * cannot write into a tensor the graph shares (add's rule hands g to both
 * inputs).
 *
 * NOTE: the copy is 3–4% of the reference training step (270K parameters;
 * timed inside the step with tools/bench/profile-step.ts). Skipping it for
 * buffers nothing else can reach, as PyTorch's AccumulateGrad does, took a
 * buffer-ownership registry through the Tensor constructor; we keep it plain.
 */
function accumulate(t: Tensor, g: Tensor): void {
  if (t.grad === null) {
    // clone after converting too: inside tidy() the conversion lives in memory freed when it returns.
    t.grad = clone(g.dtype === t.dtype ? g : g.to(t.dtype));
    return;
  }
  const acc = t.grad.data;
  const add = g.dtype === t.dtype ? g.data : g.to(t.dtype).data;
  for (let i = 0; i < acc.length; i++) acc[i] += add[i];
}

/** Tensors reachable from `root` through recorded ops, inputs before the tensors computed from them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative depth-first search: deep networks must not overflow the call stack.
  const stack: { t: Tensor; expanded: boolean }[] = [{ t: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.t);
      continue;
    }
    if (visited.has(top.t)) continue;
    visited.add(top.t);
    stack.push({ t: top.t, expanded: true });
    for (const input of top.t.gradFn?.inputs ?? []) {
      if (input.requiresGrad && !visited.has(input)) stack.push({ t: input, expanded: false });
    }
  }
  return order;
}
