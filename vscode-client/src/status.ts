/**
 * Status bar item: the server state and the number of findings in the active listing.
 */

import * as vscode from "vscode";

import type { ServerManager, ServerState } from "./server";

export const SOURCE = "listing-lint";

/** The status text for a state and a finding count (undefined when the active editor is no listing). */
export function statusText(state: ServerState, findings: number | undefined): string {
  if (state === "starting") return "$(sync~spin) listing-lint";
  if (state === "failed") return "$(error) listing-lint: not running";
  if (state === "stopped") return "$(circle-slash) listing-lint: stopped";
  if (findings === undefined) return "$(check) listing-lint";
  if (findings === 0) return "$(check) listing-lint: no findings";
  return `$(warning) listing-lint: ${findings} finding${findings === 1 ? "" : "s"}`;
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("listingLint.status", vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly manager: ServerManager) {
    this.item.name = "listing-lint";
    this.item.command = "listingLint.showLog";
    this.disposables.push(
      manager.onDidChangeState(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.update();
      }),
    );
    this.update();
  }

  /** Whether a document is a listing the server checks. */
  private isListing(doc: vscode.TextDocument | undefined): boolean {
    return !!doc && vscode.languages.match(this.manager.selector, doc) > 0;
  }

  update(): void {
    const editor = vscode.window.activeTextEditor;
    // Focus in the Output or another panel editor keeps what the item showed for the last file.
    if (editor && !["file", "untitled"].includes(editor.document.uri.scheme) && this.manager.state === "running") return;
    const doc = editor?.document;
    const listing = this.isListing(doc);
    const state = this.manager.state;
    const findings = listing && doc
      ? vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE).length
      : undefined;
    this.item.text = statusText(state, findings);
    const lines = [`listing-lint server: ${state}`];
    if (this.manager.command) lines.push(`Python: ${this.manager.command.description}`);
    if (this.manager.failure) lines.push(this.manager.failure);
    lines.push("Click to show the log.");
    this.item.tooltip = lines.join("\n");
    this.item.backgroundColor =
      state === "failed" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    if (listing || state === "failed") this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
