/**
 * Global switches of the autograd engine: whether operations are recorded
 * for backward (`noGrad`), and whether every result is checked for NaN/Inf
 * (`detectAnomaly`).
 */
let gradEnabled = true;
let anomalyEnabled = false;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording operations: results have no history and
 * `requiresGrad` is false. Use it for evaluation and for parameter updates,
 * like `with torch.no_grad():`.
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording switched on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

export function isAnomalyEnabled(): boolean {
  return anomalyEnabled;
}

/**
 * Anomaly mode: every forward result and every gradient is checked, and the
 * first operation that produces NaN or ±Infinity throws an error naming it.
 * Slow; for debugging. Call with a function to scope it, or with a boolean
 * to switch it globally (like `torch.autograd.set_detect_anomaly`).
 */
export function detectAnomaly<T>(fn: () => T): T;
export function detectAnomaly(enabled: boolean): void;
export function detectAnomaly<T>(arg: boolean | (() => T)): T | void {
  if (typeof arg === "boolean") {
    anomalyEnabled = arg;
    return;
  }
  const previous = anomalyEnabled;
  anomalyEnabled = true;
  try {
    return arg();
  } finally {
    anomalyEnabled = previous;
  }
}
