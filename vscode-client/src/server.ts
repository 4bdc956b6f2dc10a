/**
 * The language client: resolve the server command, start it, restart it (debounced) when the
 * interpreter or a start-up setting changes, and reconfigure it when a lint setting changes.
 */

import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";

import {
  bundledCompiledModules,
  cachedDeps,
  canSkipProbe,
  isScript,
  onPythonInterpreterChanged,
  probePython,
  pythonExtensionInterpreter,
  realDeps,
  resolveServer,
  ServerCommand,
} from "./python";
import { ownBrandName } from "./ownBrand";
import { CONFIG_FILES, documentSelector, includeGlobs, includePatterns } from "./selector";
import { InitializationOptions, needsRestart, toClientSettings, toInitializationOptions } from "./settings";

export const CLIENT_ID = "listingLint";
export const CLIENT_NAME = "listing-lint";
export const RESTART_DELAY_MS = 400;

export type ServerState = "starting" | "running" | "stopped" | "failed";

const SHIMS_KEY = "listingLint.resolvedShims";

export class ServerManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private reconfigureTimer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  /** Fires whenever the server starts, stops or fails. */
  readonly onDidChangeState = this.stateEmitter.event;
  state: ServerState = "stopped";
  /** The command the running server was started with (also runs the CLI commands). */
  command: ServerCommand | undefined;
  /** Why the server is not running, when it failed to start. */
  failure: string | undefined;
  selector = documentSelector();
  /** Set when the unprobed bundled start failed: probe from then on, to find and explain a working Python. */
  private probeNext = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (needsRestart((s) => e.affectsConfiguration(s))) {
          this.scheduleRestart("a listingLint start-up setting changed");
        } else if (e.affectsConfiguration("listingLint")) {
          this.reconfigure();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRestart("the workspace folders changed")),
      // Trusted now: the workspace's own listingLint.path/interpreter/importStrategy apply from here on.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleRestart("the workspace is trusted now")),
    );
    // A changed `include` in a config file changes which documents are listings.
    for (const name of CONFIG_FILES) {
      const watcher = vscode.workspace.createFileSystemWatcher(`**/${name}`, false, false, false);
      const onChange = async () => {
        const patterns = await this.includePatterns();
        if (JSON.stringify(documentSelector(patterns)) !== JSON.stringify(this.selector)) {
          this.scheduleRestart(`the include patterns in ${name} changed`);
        }
      };
      watcher.onDidChange(onChange);
      watcher.onDidCreate(onChange);
      watcher.onDidDelete(onChange);
      this.disposables.push(watcher);
    }
    void onPythonInterpreterChanged(() => this.scheduleRestart("the Python extension's interpreter changed")).then(
      (d) => d && this.disposables.push(d),
    );
  }

  /** The language client, when the server is running. */
  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.stateEmitter.fire(state);
  }

  /** Options for a folder (or the whole workspace): what the server gets in initialize and workspace/configuration. */
  optionsFor(resource?: vscode.Uri): InitializationOptions {
    const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration("listingLint", resource ?? folder?.uri);
    const mapped = toInitializationOptions(config, { workspaceFolder: folder?.uri.fsPath });
    for (const problem of mapped.problems) this.log.warn(problem);
    return mapped.value;
  }

  /** Resolve the server command, or explain why there is none. */
  async resolve(): Promise<ServerCommand | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const settings = toClientSettings(vscode.workspace.getConfiguration("listingLint", folder?.uri), {
      workspaceFolder: folder?.uri.fsPath,
    });
    const bundledLibs = this.context.asAbsolutePath(path.join("bundled", "libs"));
    const started = Date.now();
    const skipProbe = !this.probeNext && canSkipProbe(settings, fs.existsSync(path.join(bundledLibs, "listing_lint")));
    const resolution = await resolveServer(
      {
        settings,
        // Only consulted when probing: activating the Python extension alone can take seconds. Not in an
        // untrusted workspace either: its interpreter may be a virtual environment inside the workspace.
        pythonExtension:
          skipProbe || !vscode.workspace.isTrusted ? undefined : await pythonExtensionInterpreter(folder?.uri, this.log),
        launcher: this.context.asAbsolutePath(path.join("python", "launch.py")),
        bundledLibs,
        compiledModules: bundledCompiledModules(bundledLibs),
        env: process.env,
        platform: process.platform,
        skipProbe,
        resolvedShims: this.context.globalState.get<Record<string, string>>(SHIMS_KEY),
      },
      this.deps(folder?.uri.fsPath),
    );
    this.log.info(`server resolution took ${Date.now() - started} ms${skipProbe ? " (bundled, no probe)" : ""}`);
    for (const note of resolution.notes) this.log.info(`server resolution: ${note}`);
    if (!resolution.ok) {
      this.failure = resolution.message;
      this.log.error(resolution.message);
      void this.showFailure(resolution.message, resolution.kind);
      return undefined;
    }
    if (resolution.warnings.length) {
      void vscode.window.showWarningMessage(
        `listing-lint: ${resolution.warnings.join("; ")}. Using ${resolution.server.description} instead.`,
      );
    }
    return resolution.server;
  }

  /**
   * When the unprobed `python3` is a shim (pyenv, asdf), ask it once, after the server is up, which
   * interpreter it runs, so the next start skips the shim. Nothing waits on this.
   */
  private learnShim(command: ServerCommand): void {
    const shim = command.prefix[0];
    if (!isScript(shim)) return;
    setTimeout(() => {
      probePython([shim], command.env, [])
        .then(async (found) => {
          const known = this.context.globalState.get<Record<string, string>>(SHIMS_KEY) ?? {};
          if (found.executable && found.executable !== shim && known[shim] !== found.executable) {
            await this.context.globalState.update(SHIMS_KEY, { ...known, [shim]: found.executable });
            this.log.info(`${shim} is a shim for ${found.executable}: the next start runs that directly`);
          }
        })
        .catch((err: unknown) => this.log.info(`could not ask ${shim} which Python it runs: ${String(err)}`));
    }, 5000);
  }

  private deps(cwd?: string) {
    return cachedDeps(realDeps(cwd), this.context.globalState);
  }

  private async showFailure(message: string, kind: "no-python" | "no-listing-lint"): Promise<void> {
    const actions = kind === "no-python" ? ["Install Python", "Open Settings", "Show Log"] : ["Open Settings", "Show Log"];
    const choice = await vscode.window.showErrorMessage(message, ...actions);
    if (choice === "Install Python") {
      await vscode.env.openExternal(vscode.Uri.parse("https://www.python.org/downloads/"));
    } else if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "listingLint.interpreter");
    } else if (choice === "Show Log") {
      this.log.show();
    }
  }

  /** Include globs of the config files at each workspace folder's root. */
  private async includePatterns(): Promise<string[]> {
    const globs: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const name of CONFIG_FILES) {
        try {
          const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, name));
          globs.push(...includeGlobs(Buffer.from(bytes).toString("utf8"), name));
          break; // the nearest config wins, as in the server
        } catch {
          // no such file
        }
      }
    }
    return includePatterns(globs);
  }

  /** Start the server (once the previous start or stop has finished). */
  start(): Promise<void> {
    return this.enqueue(() => this.doStart());
  }

  /** Stop and start again now. */
  restart(reason = "requested"): Promise<void> {
    return this.enqueue(async () => {
      this.log.info(`restarting the server: ${reason}`);
      await this.doStop();
      await this.doStart();
    });
  }

  /** Restart after a short pause, so a burst of changes causes one restart. */
  scheduleRestart(reason: string): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart(reason);
    }, RESTART_DELAY_MS);
  }

  /** Reconfigure after a short pause, so typing in the settings editor causes one reload. */
  reconfigure(): void {
    if (this.reconfigureTimer) clearTimeout(this.reconfigureTimer);
    this.reconfigureTimer = setTimeout(() => {
      this.reconfigureTimer = undefined;
      this.sendSettings();
    }, RESTART_DELAY_MS);
  }

  /** Tell the running server that settings changed; it pulls them with workspace/configuration. */
  private sendSettings(): void {
    const client = this.client;
    if (!client || !client.isRunning()) return;
    this.log.info("settings changed: reconfiguring the server");
    void client
      .sendNotification(DidChangeConfigurationNotification.type, { settings: this.optionsFor() })
      .catch((err: unknown) => this.log.error(`didChangeConfiguration failed: ${String(err)}`));
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.doStop());
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task, task).catch((err: unknown) => this.log.error(String(err)));
    return this.queue;
  }

  private async doStart(): Promise<void> {
    if (this.client) return; // already running: restart() stops it first
    this.failure = undefined;
    this.command = undefined;
    this.setState("starting");
    const command = await this.resolve();
    if (!command) {
      this.setState("failed");
      return;
    }
    this.command = command;
    this.selector = documentSelector(await this.includePatterns());
    const [executable, ...prefix] = command.prefix;
    let launched = Date.now();
    let firstDiagnostics: number | undefined;
    const firstFindings = (count: number, uri: vscode.Uri) => {
      if (firstDiagnostics !== undefined || !count) return;
      firstDiagnostics = Date.now();
      this.log.info(
        `first diagnostics: ${count} for ${path.basename(uri.fsPath)}, ${firstDiagnostics - launched} ms after starting the server`,
      );
    };
    const serverOptions: ServerOptions = {
      command: executable,
      args: [...prefix, "server"],
      // vscode-languageclient appends --stdio, which the server accepts.
      transport: TransportKind.stdio,
      options: { env: command.env as NodeJS.ProcessEnv, cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: this.selector,
      diagnosticCollectionName: CLIENT_NAME,
      outputChannel: this.log,
      traceOutputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: this.optionsFor(),
      middleware: {
        // Where cold-start time goes, last part: from starting the process to the first findings, which
        // VS Code pulls (textDocument/diagnostic); other clients get them pushed.
        provideDiagnostics: async (document, previousResultId, token, next) => {
          const report = await next(document, previousResultId, token);
          if (report && "items" in report) firstFindings(report.items.length, "uri" in document ? document.uri : document);
          return report;
        },
        handleDiagnostics: (uri, diagnostics, next) => {
          firstFindings(diagnostics.length, uri);
          next(uri, diagnostics);
        },
        // "Add 'X' to own brands" runs a command that asks first, instead of editing the config at once.
        provideCodeActions: async (document, range, context, token, next) => {
          const actions = await next(document, range, context, token);
          return actions?.map((action) => {
            if (!(action instanceof vscode.CodeAction) || !action.edit) return action;
            const name = ownBrandName(action.title);
            if (!name) return action;
            action.command = { title: action.title, command: "listingLint.addOwnBrand", arguments: [name, action.edit] };
            action.edit = undefined;
            action.title = `${action.title}…`; // an ellipsis: a question follows
            return action;
          });
        },
        workspace: {
          // Answer `listingLint` with typed options (resolved paths, checked levels), not raw settings.
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) return result;
            return params.items.map((item, i) =>
              item.section === CLIENT_ID
                ? this.optionsFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
                : result[i],
            );
          },
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    client.onDidChangeState((e) => {
      if (this.client !== client) return;
      if (e.newState === State.Running) this.setState("running");
      else if (e.newState === State.Starting) this.setState("starting");
      else this.setState(this.failure ? "failed" : "stopped");
    });
    this.client = client;
    this.log.info(`starting the server: ${[...command.prefix, "server"].join(" ")} [${command.description}]`);
    try {
      launched = Date.now();
      await client.start();
      this.log.info(`server running: initialize answered after ${Date.now() - launched} ms`);
      this.setState("running");
      if (command.probed === false) this.learnShim(command);
    } catch (err) {
      this.client = undefined;
      await client.dispose().catch(() => undefined);
      await this.deps().forget(); // a cached probe said this interpreter works; it did not
      if (command.probed === false && !this.probeNext) {
        // The unprobed bundled start failed (an old or odd python3 on PATH): probe every candidate now,
        // which finds one that works or says exactly why none does.
        this.log.warn(`the bundled server did not start with ${command.description} (${String(err)}); probing interpreters`);
        this.probeNext = true;
        this.setState("stopped");
        return this.doStart();
      }
      this.failure = `the listing-lint server failed to start: ${err instanceof Error ? err.message : String(err)}`;
      this.log.error(this.failure);
      this.setState("failed");
      void vscode.window.showErrorMessage(`listing-lint: ${this.failure}`, "Show Log").then((c) => c && this.log.show());
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.stop(2000);
      } catch (err) {
        this.log.warn(`stopping the server: ${String(err)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.setState("stopped");
  }

  dispose(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.reconfigureTimer) clearTimeout(this.reconfigureTimer);
    for (const d of this.disposables) d.dispose();
    this.stateEmitter.dispose();
  }
}
