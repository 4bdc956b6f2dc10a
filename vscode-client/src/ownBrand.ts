/**
 * "Add 'X' to own brands" asks first: one click would otherwise stop every finding about a real
 * competitor. Pure helpers (the title, what the change silences, the wording); commands.ts asks.
 */

const TITLE = /^Add '(.+)' to own brands$/;

/** The brand name of the server's "Add 'X' to own brands" quick fix, or undefined for any other action. */
export function ownBrandName(title: string): string | undefined {
  return TITLE.exec(title)?.[1];
}

export interface DiagnosticLike {
  source?: string;
  code?: string | number | { value: string | number };
  message: string;
}

/** How many current listing-lint findings name `name` as a competitor (they all go once it is an own brand). */
export function silencedCount(name: string, diagnostics: DiagnosticLike[]): number {
  const lower = name.toLowerCase();
  return diagnostics.filter((d) => {
    const code = typeof d.code === "object" ? d.code.value : d.code;
    return d.source === "listing-lint" && (code === "POL005" || code === "competitor-brand") &&
      d.message.toLowerCase().includes(`'${lower}'`);
  }).length;
}

/** The confirmation a seller reads before the config changes. */
export function confirmation(name: string, count: number): { message: string; detail: string; button: string } {
  const findings = count === 1 ? "1 finding" : `${count} findings`;
  return {
    message: `Add '${name}' to your own brands?`,
    detail:
      `listing-lint will never flag '${name}' again in this project: ${findings} in open files go now, and any later ` +
      `comparison with '${name}' ("better than ${name}") will not be caught. Do this only if '${name}' is your ` +
      "brand, not a competitor's. The name goes into brands.own in listing-lint.toml.",
    button: "Add to Own Brands",
  };
}
