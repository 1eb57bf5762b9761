#!/usr/bin/env node
import { followParent, relaunchWithYoungGeneration, shouldRelaunch } from './relaunch.js';
import { tuneRuntimeForShortCommands } from './runtime.js';

tuneRuntimeForShortCommands();

// The SDK's notice about its own future Node requirement is addressed to roleshift's
// maintainers (who pin the SDK), not to someone running a scan; it would precede every live scan.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A failed write (a full disk, `| head` closing the pipe) reaches the command through the write's
// callback and ends as one line and exit 2 (see io.ts); the stream's error event must not also
// become an uncaught exception with a stack trace.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const argv = process.argv.slice(2);
followParent();
const relaunched = shouldRelaunch(argv, process.execArgv, process.env) ? await relaunchWithYoungGeneration(argv) : null;
// The commands are loaded only where they run: a relaunching parent stays a small process.
process.exitCode = relaunched ?? (await (await import('./main.js')).main(argv));
