// The few `vscode` names the modules under test touch at import time; the logic under test is pure.
export const extensions = { getExtension: (): undefined => undefined };
export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  dispose(): void {
    this.fn();
  }
}
export const Uri = { file: (p: string) => ({ fsPath: p, toString: () => `file://${p}` }) };
