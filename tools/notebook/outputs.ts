/**
 * Turns a cell's iopub messages into nbformat 4 outputs, the way Jupyter
 * front ends and nbclient do.
 *
 * Why these rules:
 * - Consecutive `stream` messages of the same name are one output (a print
 *   loop must not produce hundreds of outputs).
 * - `update_display_data` rewrites the earlier output(s) with the same
 *   `transient.display_id` (anywhere in the notebook) instead of appending,
 *   so progress displays end up as one output showing the last state.
 * - `clear_output` empties the cell; with `wait: true` only when the next
 *   output arrives (avoids flicker, same semantics as nbclient).
 */
import type { JsonObject, JsonValue, JupyterMessage } from "./protocol";

/** A MIME bundle: MIME type → data (string for text and base64, JSON for +json types). */
export type MimeBundle = { [mimeType: string]: JsonValue };

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}

export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: JsonObject;
}

export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: JsonObject;
}

export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

type RichOutput = DisplayDataOutput | ExecuteResultOutput;

function asObject(value: JsonValue | undefined): JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

function displayId(content: JsonObject): string | undefined {
  const id = asObject(content.transient).display_id;
  return typeof id === "string" ? id : undefined;
}

/**
 * Outputs that carry a display id, notebook-wide, so a later
 * `update_display_data` (even from another cell) can find them.
 */
export class DisplayRegistry {
  private readonly byId = new Map<string, RichOutput[]>();

  register(id: string, output: RichOutput): void {
    const list = this.byId.get(id) ?? [];
    list.push(output);
    this.byId.set(id, list);
  }

  /** Replaces data and metadata of every output shown under `id`. */
  update(id: string, data: MimeBundle, metadata: JsonObject): void {
    for (const output of this.byId.get(id) ?? []) {
      output.data = data;
      output.metadata = metadata;
    }
  }
}

/** The outputs of one cell, built up message by message. */
export class CellOutputs {
  readonly outputs: Output[] = [];
  private clearPending = false;

  constructor(private readonly displays: DisplayRegistry = new DisplayRegistry()) {}

  /** Applies one iopub message; messages that carry no output are ignored. */
  add(msg: JupyterMessage): void {
    const content = msg.content;
    switch (msg.header.msg_type) {
      case "stream":
        this.addStream(content.name === "stderr" ? "stderr" : "stdout", String(content.text ?? ""));
        break;
      case "display_data":
        this.addRich({ output_type: "display_data", data: asObject(content.data), metadata: asObject(content.metadata) }, content);
        break;
      case "execute_result":
        this.addRich(
          {
            output_type: "execute_result",
            execution_count: typeof content.execution_count === "number" ? content.execution_count : null,
            data: asObject(content.data),
            metadata: asObject(content.metadata),
          },
          content,
        );
        break;
      case "update_display_data": {
        const id = displayId(content);
        if (id !== undefined) this.displays.update(id, asObject(content.data), asObject(content.metadata));
        break;
      }
      case "error":
        this.push({
          output_type: "error",
          ename: String(content.ename ?? "Error"),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        });
        break;
      case "clear_output":
        if (content.wait === true) this.clearPending = true;
        else this.clear();
        break;
      default:
        break; // execute_input, comm messages, ...
    }
  }

  /**
   * Everything the cell printed, as plain text: stream text, text/plain of
   * rich outputs, and error tracebacks. Used in failure messages, since
   * tslab reports errors on stderr rather than as `error` messages.
   */
  text(): string {
    return this.outputs
      .map((output) => {
        switch (output.output_type) {
          case "stream":
            return output.text;
          case "error":
            return output.traceback.length > 0 ? output.traceback.join("\n") : `${output.ename}: ${output.evalue}`;
          default: {
            const plain = output.data["text/plain"];
            return typeof plain === "string" ? `${plain}\n` : "";
          }
        }
      })
      .join("")
      .replace(/\u001b\[[0-9;]*m/g, ""); // strip ANSI colours from tracebacks
  }

  private clear(): void {
    this.outputs.length = 0;
    this.clearPending = false;
  }

  private push(output: Output): void {
    if (this.clearPending) this.clear();
    this.outputs.push(output);
  }

  private addStream(name: "stdout" | "stderr", text: string): void {
    if (this.clearPending) this.clear();
    const last = this.outputs[this.outputs.length - 1];
    if (last?.output_type === "stream" && last.name === name) last.text += text;
    else this.outputs.push({ output_type: "stream", name, text });
  }

  private addRich(output: RichOutput, content: JsonObject): void {
    this.push(output);
    const id = displayId(content);
    if (id !== undefined) this.displays.register(id, output);
  }
}
