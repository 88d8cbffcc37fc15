// The course in a real front end, as a student uses it: `npm start` runs
// Debian's classic Jupyter Notebook (as root here, so start must pass
// --allow-root), headless Chromium (playwright-core) opens lessons 04 and 06,
// runs Kernel → Restart & Run All, and we assert on what the page shows:
// every chart cell shows an image, the live progress appears, and
// `await check("04")` shows a points table. Then the notebook is saved and
// reopened untrusted (a fresh server with an empty trust database), and the
// charts must still show. Screenshots go to build/test-results/jupyter/.
//
// The lessons are copies in build/ (so the course kernel's launcher finds this
// checkout's tslab, the lessons' "../exercises/…" resolve, and the committed
// notebooks are never saved over). HOME and Jupyter's folders are temporary:
// the test never touches the user's kernelspecs or trust database.
//
// Skipped, with the reason printed, where Chromium or Jupyter Notebook is
// missing (.ci/run installs Debian's `chromium` and `jupyter-notebook`).
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KERNEL_DISPLAY_NAME, KERNEL_NAME } from "../../../tools/course/kernelspec";
import { toNotebook } from "../../../tools/lessons/percent";
import { filesUnder } from "../../../tools/release/leak-check";
import { chromiumMissing, launchChromium } from "../../../tools/slides/browser";
import { jupyterNotebookMissing } from "../../helpers/jupyter";

const ROOT = path.join(__dirname, "..", "..", "..");
const ARTIFACTS = path.join(ROOT, "build", "test-results", "jupyter");
const LESSONS = ["04-batch-normalization", "06-optimizers"];


const missing = chromiumMissing() ?? jupyterNotebookMissing();
if (missing !== null) console.warn(`course-jupyter-browser: skipped, ${missing}`);

/**
 * Lesson 04's first training run always shows the live display (progress: "live"); the other
 * runs use "auto", which appears only for a run that lasts over 2 s, so on a fast machine none
 * of lesson 06's do.
 */
const PROGRESS_LESSON = "04-batch-normalization";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `npm start -- --no-browser --port P --notebooks DIR`; resolves with the address it prints. */
async function npmStart(notebooks: string, env: NodeJS.ProcessEnv): Promise<Started> {
  const port = await freePort();
  const child = spawn("npm", ["start", "--", "--no-browser", "--port", String(port), "--notebooks", notebooks], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no address in 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      const m = /The course is open at \(this address carries your login token\):\n\s+(\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
  return { child, url, output: () => output };
}

/**
 * Stops npm start, its front end and its kernels. Jupyter starts each kernel in
 * a session of its own, out of reach of a signal to our process group, so the
 * kernels are shut down through Jupyter's REST API first.
 */
async function stop(started: Started): Promise<void> {
  const { origin, searchParams } = new URL(started.url);
  const auth = { headers: { Authorization: `token ${searchParams.get("token")}` } };
  try {
    const kernels = (await (await fetch(`${origin}/api/kernels`, auth)).json()) as { id: string }[];
    await Promise.all(kernels.map((k) => fetch(`${origin}/api/kernels/${k.id}`, { ...auth, method: "DELETE" })));
  } catch {
    // the server is gone already
  }
  const exited = new Promise<void>((resolve) => (started.child.exitCode !== null ? resolve() : started.child.once("exit", () => resolve())));
  try {
    process.kill(started.child.pid!, "SIGTERM"); // npm: start.ts passes it on to Jupyter, which then exits
    process.kill(-started.child.pid!, "SIGTERM");
  } catch {
    return; // already gone
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  try {
    process.kill(-started.child.pid!, "SIGKILL");
  } catch {
    // gone
  }
}

// Browser-side code is a string: the project's TypeScript has no DOM types.
/** What a classic Notebook page shows for each code cell. */
const CELLS = `Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code").map((c) => {
  const area = c.element[0].querySelector(".output");
  const mimes = c.output_area.outputs.flatMap((o) => Object.keys(o.data || {}));
  return {
    source: c.get_text(),
    prompt: c.input_prompt_number === undefined ? null : String(c.input_prompt_number),
    chart: mimes.some((m) => m.startsWith("application/vnd.vegalite")),
    images: area ? [...area.querySelectorAll("img")].filter((i) => i.src.startsWith("data:image/png") && i.naturalWidth > 0).length
      + [...area.querySelectorAll("svg")].filter((s) => s.getBoundingClientRect().width > 0).length : 0,
    progress: area ? area.querySelectorAll("progress").length : 0,
    checkTable: area ? area.querySelectorAll("table.course-check-table").length : 0,
    errors: c.output_area.outputs.filter((o) => o.output_type === "error" || (o.name === "stderr" && /Error|Kernel died/.test(o.text)))
      .map((o) => o.output_type === "error" ? o.ename + ": " + o.evalue : o.text.slice(0, 500)),
    text: area ? area.innerText.slice(0, 2000) : "",
  };
})`;

interface CellView {
  source: string;
  prompt: string | null;
  chart: boolean;
  images: number;
  progress: number;
  checkTable: number;
  errors: string[];
  text: string;
}

async function openNotebook(page: Page, base: string, token: string, file: string): Promise<void> {
  await page.goto(`${base}/notebooks/${file}?token=${token}`);
  await page.waitForFunction("window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()", null, { timeout: 60_000 });
}

/** Kernel → Restart & Run All through the menu, as a student does; resolves when every code cell has run again. */
async function restartAndRunAll(page: Page, seenProgress: { count: number }): Promise<void> {
  // The stored outputs carry execution counts already: count the cells that finish from now on.
  await page.evaluate(`window.__finished = 0; Jupyter.notebook.events.on("finished_execute.CodeCell", () => { window.__finished += 1; });`);
  const codeCells = (await page.evaluate(`Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code").length`)) as number;
  await page.click("#kernellink");
  await page.click("#restart_run_all");
  await page.click(".modal-dialog .modal-footer button.btn-danger");
  const deadline = Date.now() + 300_000;
  for (;;) {
    const cells = (await page.evaluate(CELLS)) as CellView[];
    seenProgress.count = Math.max(seenProgress.count, ...cells.map((c) => c.progress));
    const finished = (await page.evaluate("window.__finished")) as number;
    const idle = await page.evaluate("document.querySelector('#kernel_indicator_icon').classList.contains('kernel_idle_icon')");
    if (finished >= codeCells && idle) return;
    if (Date.now() > deadline) throw new Error(`Run All did not finish in time: ${finished} of ${codeCells} cells ran`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(missing !== null)(`the lessons in classic Jupyter Notebook${missing === null ? "" : ` (skipped: ${missing})`}`, () => {
  const work = mkdtempSync(path.join(tmpdir(), "course-jupyter-"));
  // build/ (ignored by git) sits beside notebooks/, so the lessons' "../exercises/…" imports still resolve.
  const scratch = path.join(ROOT, "build");
  mkdirSync(scratch, { recursive: true });
  const copies = [...LESSONS.map((lesson) => `${lesson}.ipynb`), "check.ts"];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: path.join(work, "home"),
    JUPYTER_CONFIG_DIR: path.join(work, "config"),
    JUPYTER_DATA_DIR: path.join(work, "data"),
    JUPYTER_RUNTIME_DIR: path.join(work, "runtime"),
    CI: "", // the per-user kernelspec goes to the temporary JUPYTER_DATA_DIR
    BROWSER: "true",
  };
  let browser: Browser;
  let server: Started;
  const results = new Map<string, { cells: CellView[]; progress: number }>();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const file of copies) copyFileSync(path.join(ROOT, "notebooks", file), path.join(scratch, file));
    browser = await launchChromium();
    server = await npmStart(scratch, env);
    const { origin, searchParams } = new URL(server.url);
    const token = searchParams.get("token")!;
    const relative = path.relative(ROOT, scratch).split(path.sep).join("/");
    for (const lesson of LESSONS) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await openNotebook(page, origin, token, `${relative}/${lesson}.ipynb`);
      const seen = { count: 0 };
      await restartAndRunAll(page, seen);
      results.set(lesson, { cells: (await page.evaluate(CELLS)) as CellView[], progress: seen.count });
      await page.screenshot({ path: path.join(ARTIFACTS, `${lesson}-run-all.png`), fullPage: false });
      // The first chart cell, and the check cell at the end.
      await page.evaluate(`(() => {
        const isChart = (o) => Object.keys(o.data || {}).some((m) => m.startsWith("application/vnd.vegalite"));
        const cell = Jupyter.notebook.get_cells().find((c) => c.cell_type === "code" && c.output_area.outputs.some(isChart));
        if (cell) cell.element[0].querySelectorAll(".output_area")[cell.output_area.outputs.findIndex(isChart)].scrollIntoView();
      })()`);
      await page.screenshot({ path: path.join(ARTIFACTS, `${lesson}-chart.png`) });
      await page.evaluate(`Jupyter.notebook.get_cells().find((c) => c.get_text().includes("await check("))?.element[0].scrollIntoView()`);
      await page.screenshot({ path: path.join(ARTIFACTS, `${lesson}-check.png`) });
      await page.evaluate("Jupyter.notebook.save_notebook()");
      await page.waitForFunction("!Jupyter.notebook.dirty", null, { timeout: 30_000 });
      await page.close();
    }
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stop(server);
    for (const file of copies) rmSync(path.join(scratch, file), { force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it("npm start, as root, passed --allow-root and said so; the front end is rooted at the checkout", () => {
    if (process.getuid?.() === 0) expect(server.output()).toContain("Running as root (Docker, WSL, a cloud VM): passing --allow-root to Jupyter.");
    expect(server.output()).toContain(`Serving notebooks from local directory: ${ROOT}`);
  });

  it("Restart & Run All runs every code cell of lessons 04 and 06 without an error", () => {
    for (const lesson of LESSONS) {
      const cells = results.get(lesson)!.cells;
      expect(cells.length).toBeGreaterThan(10);
      for (const cell of cells) expect(cell.errors, `${lesson}: ${cell.source.slice(0, 80)}`).toEqual([]);
    }
  });

  it("saving in Jupyter leaves the notebook's kernelspec and language_info exactly as the lesson builder wrote them", () => {
    for (const lesson of LESSONS) {
      const metadata = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { metadata: Record<string, unknown> }).metadata;
      const saved = metadata(path.join(scratch, `${lesson}.ipynb`));
      const committed = metadata(path.join(ROOT, "notebooks", `${lesson}.ipynb`));
      expect(saved.kernelspec, lesson).toEqual({ name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: "typescript" });
      expect({ kernelspec: saved.kernelspec, language_info: saved.language_info }).toEqual({ kernelspec: committed.kernelspec, language_info: committed.language_info });
      expect(saved.language_info).toEqual(toNotebook([]).metadata.language_info);
    }
  });

  it("await check(\"04\") shows a points table for the stub exercises", () => {
    const cell = results.get(LESSONS[0])!.cells.find((c) => c.source.includes('await check("04")'))!;
    expect(cell.checkTable, cell.text).toBe(1);
    expect(cell.text).toContain("exercises/04-batch-normalization.ts: 0 / 31 points");
    expect(cell.text).toContain("not implemented yet");
    expect(cell.text).toContain("first loop over the rows to get mu"); // the stub's hint, in the hint column
  });

  it("every chart cell shows a rendered image", () => {
    for (const lesson of LESSONS) {
      const charts = results.get(lesson)!.cells.filter((c) => c.chart);
      expect(charts.length, lesson).toBeGreaterThan(0);
      for (const cell of charts) expect(cell.images, `${lesson}: ${cell.source.slice(0, 80)}`).toBeGreaterThan(0);
    }
  });

  it("the live progress appears while training (lesson 04's first run)", () => {
    expect(results.get(PROGRESS_LESSON)!.progress).toBeGreaterThan(0);
  });

  it("after saving, the notebook reopened untrusted still shows every chart", async () => {
    await stop(server);
    rmSync(path.join(env.JUPYTER_DATA_DIR!, "nbsignatures.db"), { force: true }); // forget every signature: untrusted
    server = await npmStart(scratch, env);
    const { origin, searchParams } = new URL(server.url);
    const relative = path.relative(ROOT, scratch).split(path.sep).join("/");
    for (const lesson of LESSONS) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await openNotebook(page, origin, searchParams.get("token")!, `${relative}/${lesson}.ipynb`);
      expect(await page.evaluate("Jupyter.notebook.trusted")).toBe(false);
      const cells = (await page.evaluate(CELLS)) as CellView[];
      await page.screenshot({ path: path.join(ARTIFACTS, `${lesson}-reopened-untrusted.png`) });
      const charts = cells.filter((c) => c.chart);
      expect(charts.length).toBe(results.get(lesson)!.cells.filter((c) => c.chart).length);
      for (const cell of charts) expect(cell.images, `${lesson}: ${cell.source.slice(0, 80)}`).toBeGreaterThan(0);
      await page.close();
    }
  }, 180_000);
});


