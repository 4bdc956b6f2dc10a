/**
 * Commands: Restart Server, Fix All in This File, Lint Workspace, Show Rule Documentation, Show Log.
 */

import * as fs from "fs";
import * as vscode from "vscode";

import { checkArguments, findingsToDiagnostics, RuleInfo, runCli } from "./cli";
import { confirmation, silencedCount } from "./ownBrand";
import type { ServerCommand } from "./python";
import type { ServerManager } from "./server";

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append("listing-lint");
export const DOC_SCHEME = "listing-lint-rule";

const SEVERITY: Record<string, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export class Commands implements vscode.Disposable {
  /** Findings of the last Lint Workspace run, for files not open in an editor. */
  readonly workspaceDiagnostics = vscode.languages.createDiagnosticCollection("listing-lint-workspace");
  private readonly docs = new Map<string, string>();
  private readonly docsChanged = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: ServerManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.workspaceDiagnostics,
      vscode.commands.registerCommand("listingLint.restart", () => manager.restart("Restart Server command")),
      vscode.commands.registerCommand("listingLint.fixAll", () => this.fixAll()),
      vscode.commands.registerCommand("listingLint.lintWorkspace", () => this.lintWorkspace()),
      vscode.commands.registerCommand("listingLint.showRuleDocumentation", (rule?: string) => this.showRuleDocumentation(rule)),
      vscode.commands.registerCommand("listingLint.showLog", () => log.show()),
      vscode.commands.registerCommand("listingLint.addOwnBrand", (name: string, edit: vscode.WorkspaceEdit) =>
        this.addOwnBrand(name, edit)),
      vscode.workspace.registerTextDocumentContentProvider(DOC_SCHEME, {
        onDidChange: this.docsChanged.event,
        provideTextDocumentContent: (uri) => this.docs.get(uri.path) ?? "",
      }),
      // Once a listing is open, the language server's live diagnostics replace the batch ones.
      vscode.workspace.onDidOpenTextDocument((doc) => this.workspaceDiagnostics.delete(doc.uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.workspaceDiagnostics.delete(e.document.uri)),
    );
  }

  /** The server command, or a message saying why there is none. */
  private async serverCommand(): Promise<ServerCommand | undefined> {
    if (!this.manager.command) await this.manager.start();
    if (!this.manager.command) {
      void vscode.window.showErrorMessage(`listing-lint: ${this.manager.failure ?? "the server is not running"}`);
    }
    return this.manager.command;
  }

  /** Run the `source.fixAll.listing-lint` code action on the active listing and apply its edit. */
  async fixAll(): Promise<number> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage("listing-lint: open a listing file first.");
      return 0;
    }
    const doc = editor.document;
    const range = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        "vscode.executeCodeActionProvider", doc.uri, range, FIX_ALL_KIND.value,
      )) ?? [];
    const fixes = actions.filter((a) => a.kind && FIX_ALL_KIND.contains(a.kind));
    if (!fixes.length) {
      void vscode.window.showInformationMessage("listing-lint: no safe fixes in this file.");
      return 0;
    }
    let applied = 0;
    for (const action of fixes) {
      if (action.edit && (await vscode.workspace.applyEdit(action.edit))) applied += 1;
      if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    }
    this.log.info(`fix all: applied ${fixes.map((a) => a.title).join("; ")} to ${doc.uri.fsPath}`);
    return applied;
  }

  /** Run `listing-lint check --format json` over the workspace folders and fill the Problems panel. */
  async lintWorkspace(): Promise<number> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folders.length) {
      void vscode.window.showInformationMessage("listing-lint: open a folder to lint.");
      return 0;
    }
    const command = await this.serverCommand();
    if (!command) return 0;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "listing-lint: linting the workspace", cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        this.workspaceDiagnostics.clear();
        const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
        const byFile = new Map<string, vscode.Diagnostic[]>();
        let total = 0;
        for (const folder of folders) {
          const args = ["check", "--format", "json", "--color", "never",
            ...checkArguments(this.manager.optionsFor(folder.uri)), folder.uri.fsPath];
          this.log.info(`lint workspace: ${[...command.prefix, ...args].join(" ")}`);
          let result;
          try {
            result = await runCli(command, args, { cwd: folder.uri.fsPath, signal: abort.signal });
          } catch (err) {
            if (abort.signal.aborted) return total;
            void vscode.window.showErrorMessage(`listing-lint: could not run the check: ${String(err)}`);
            return total;
          }
          for (const line of result.stderr.split("\n").filter((l) => l.trim())) {
            if (line.startsWith("listing-lint:")) this.log.warn(`check: ${line}`);
            else this.log.info(`check: ${line}`);
          }
          // Exit 1 means findings (or an unreadable file, reported on stderr); only 2 and up are failures.
          if (result.code === null || result.code >= 2 || !result.stdout.trim()) {
            const detail = result.stderr.trim().split("\n").pop() || `exit code ${result.code}`;
            void vscode.window.showErrorMessage(`listing-lint check failed in ${folder.name}: ${detail}`, "Show Log")
              .then((c) => c && this.log.show());
            continue;
          }
          const plain = findingsToDiagnostics(result.stdout, (file) => {
            try {
              return fs.readFileSync(file, "utf8").split(/\r\n|\r|\n/);
            } catch {
              return undefined;
            }
          });
          for (const d of plain) {
            const uri = vscode.Uri.file(d.file);
            total += 1;
            if (open.has(uri.toString())) continue; // the live server already reports open files
            const diag = new vscode.Diagnostic(
              new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character),
              d.message,
              SEVERITY[d.severity] ?? vscode.DiagnosticSeverity.Warning,
            );
            diag.source = "listing-lint";
            diag.code = d.url ? { value: d.code, target: vscode.Uri.parse(d.url) } : d.code;
            const list = byFile.get(uri.toString()) ?? [];
            list.push(diag);
            byFile.set(uri.toString(), list);
          }
        }
        for (const [uri, diags] of byFile) this.workspaceDiagnostics.set(vscode.Uri.parse(uri), diags);
        this.log.info(`lint workspace: ${total} findings; ${byFile.size} files not open in an editor have some`);
        void vscode.commands.executeCommand("workbench.actions.view.problems");
        void vscode.window.showInformationMessage(
          `listing-lint: ${total} finding${total === 1 ? "" : "s"} in the workspace.`,
        );
        return total;
      },
    );
  }

  /** Ask before adding a name to own brands: say what it silences, then apply the server's config edit. */
  async addOwnBrand(name: string, edit: vscode.WorkspaceEdit): Promise<boolean> {
    const all = vscode.languages.getDiagnostics().flatMap(([, diags]) => diags);
    const ask = confirmation(name, silencedCount(name, all));
    const choice = await vscode.window.showWarningMessage(ask.message, { modal: true, detail: ask.detail }, ask.button);
    if (choice !== ask.button) {
      this.log.info(`own brands: adding '${name}' cancelled`);
      return false;
    }
    const applied = await vscode.workspace.applyEdit(edit);
    this.log.info(`own brands: added '${name}' (${applied ? "applied" : "the edit was refused"})`);
    return applied;
  }

  /** Pick a rule from `listing-lint rules` and show `listing-lint explain <rule>` as rendered Markdown. */
  async showRuleDocumentation(rule?: string): Promise<void> {
    const command = await this.serverCommand();
    if (!command) return;
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!rule) {
      const listed = await runCli(command, ["rules", "--format", "json"], { cwd });
      if (listed.code !== 0) {
        void vscode.window.showErrorMessage(`listing-lint rules failed: ${listed.stderr.trim() || listed.code}`);
        return;
      }
      const rules = JSON.parse(listed.stdout) as RuleInfo[];
      const picked = await vscode.window.showQuickPick(
        rules.map((r) => ({
          label: `${r.code} ${r.rule}`,
          description: `${r.pack} · ${r.severity}${r.fix ? ` · fix: ${r.fix}` : ""}${r.status !== "stable" ? ` · ${r.status}` : ""}`,
          detail: r.message,
          rule: r.rule,
        })),
        { placeHolder: "Show the documentation of a listing-lint rule", matchOnDescription: true, matchOnDetail: true },
      );
      if (!picked) return;
      rule = picked.rule;
    }
    let explained = await runCli(command, ["explain", rule, "--format", "markdown"], { cwd });
    let markdown = true;
    if (explained.code === 2 && /unrecognized arguments|invalid choice/.test(explained.stderr)) {
      // A listing-lint from the environment older than --format markdown: plain text still helps.
      explained = await runCli(command, ["explain", rule], { cwd });
      markdown = false;
    }
    if (explained.code !== 0) {
      void vscode.window.showErrorMessage(`listing-lint explain ${rule}: ${explained.stderr.trim() || explained.code}`);
      return;
    }
    // A virtual document with the Markdown language, shown as the rendered preview (wrapped, with links).
    const uri = vscode.Uri.from({ scheme: DOC_SCHEME, path: `/${rule}${markdown ? ".md" : ".txt"}` });
    this.docs.set(uri.path, explained.stdout);
    this.docsChanged.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (markdown && doc.languageId !== "markdown") doc = await vscode.languages.setTextDocumentLanguage(doc, "markdown");
    if (markdown) {
      try {
        await vscode.commands.executeCommand("markdown.showPreviewToSide", uri);
        return;
      } catch (err) {
        this.log.warn(`markdown preview unavailable (${String(err)}); showing the Markdown source`);
      }
    }
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.docsChanged.dispose();
  }
}
