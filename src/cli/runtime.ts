import { setFlagsFromString } from 'node:v8';

/**
 * A roleshift command is a short process: its analysis runs for seconds, not hours. With V8's
 * default inlining budget, TurboFan spends about a second of CPU per run on a background thread
 * compiling deeply inlined copies of the evaluator, escalation and assessment code, and compiling
 * them again each time a new object shape deoptimizes one, before they pay off. A smaller
 * cumulative budget still inlines small functions and skips the large compiles. Measured
 * (bench/README.md, permissions "Sixth round"): the permissions analysis of 15,240 principals
 * takes about a quarter less CPU and a sixth less wall time, the 100,000-user report's generation
 * about a sixth less; only the organization trail's ingestion, mostly native work, moves the
 * other way by a few percent, within its noise. It changes how V8 compiles, never what the code
 * computes. Set before any command runs, so every optimised compile uses it.
 */
export function tuneRuntimeForShortCommands(): void {
  setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
}
