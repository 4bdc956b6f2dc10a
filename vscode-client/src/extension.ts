/**
 * Entry point: activate and deactivate only. The language client lives in server.ts, settings in
 * settings.ts, Python discovery in python.ts, commands in commands.ts and the status bar in status.ts.
 */

import * as vscode from "vscode";

import { Commands } from "./commands";
import { ServerManager } from "./server";
import { StatusBar } from "./status";

let manager: ServerManager | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("listing-lint", { log: true });
  // Where cold-start time goes: the extension host's own start, then ours (server.ts logs the rest).
  log.info(`activated; the extension host has been up ${process.uptime().toFixed(1)} s`);
  manager = new ServerManager(context, log);
  context.subscriptions.push(log, manager, new StatusBar(manager), new Commands(manager, log));
  await manager.start();
}

export async function deactivate(): Promise<void> {
  await manager?.stop();
  manager = undefined;
}
