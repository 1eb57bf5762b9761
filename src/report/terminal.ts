/**
 * Terminal styling for the text renderers: ANSI colours only when the caller says colour is
 * allowed (the CLI decides from NO_COLOR, --no-color and whether stderr is a terminal).
 */

/** Whether colour is allowed; the CLI's `Io` fits. */
export interface Colour {
  color: boolean;
}

const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
} as const;
export type Style = keyof typeof STYLES;

export function paint(colour: Colour, style: Style, text: string): string {
  if (!colour.color) return text;
  const [open, close] = STYLES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}
