import type { Command } from 'commander';
import { register as registerActivity } from './activity.js';
import { register as registerCiMigrate } from './ci-migrate.js';
import { register as registerDemo } from './demo.js';
import { register as registerExportScript } from './export-script.js';
import { register as registerFindings } from './findings.js';
import { register as registerGenerate } from './generate.js';
import { register as registerHistory } from './history.js';
import { register as registerLint } from './lint.js';
import { register as registerPlan } from './plan.js';
import { register as registerRemediate } from './remediate.js';
import { register as registerReport } from './report.js';
import { register as registerScan } from './scan.js';
import { register as registerServe } from './serve.js';

/**
 * The explicit list of commands. Each module exports one `register` function; adding a command
 * means adding its line here (no directory walking, no import side effects).
 */
export const COMMANDS: Array<(program: Command) => void> = [
  registerScan,
  registerExportScript,
  registerHistory,
  registerDemo,
  registerRemediate,
  registerActivity,
  registerPlan,
  registerGenerate,
  registerCiMigrate,
  registerLint,
  registerFindings,
  registerReport,
  registerServe,
];
