// How many columns a string takes on a terminal: string-width (wide East Asian characters, emoji,
// combining marks). It is loaded by loadDisplayWidth() when a command runs, not at start-up: `--help`
// and the offline generators never print a table, and parsing its tables costs milliseconds that the
// start-up budget does not have. Before it is loaded (a usage error printed while parsing the
// arguments), text is measured in code points.
let measure: ((s: string) => number) | null = null;

export async function loadDisplayWidth(): Promise<void> {
  measure ??= (await import('string-width')).default;
}

export function displayWidth(s: string): number {
  return measure ? measure(s) : [...s].length;
}
