import type { Command } from 'commander';

/**
 * The explicit list of commands. Each module exports one `register` function; adding a command
 * means adding its line here (no directory walking, no import side effects).
 */
export const COMMANDS: Array<(program: Command) => void> = [];
