#!/usr/bin/env node
import { main } from './main.js';
import { tuneRuntimeForShortCommands } from './runtime.js';

tuneRuntimeForShortCommands();

// The SDK's notice about its own future Node requirement is addressed to roleshift's
// maintainers (who pin the SDK), not to someone running a scan; it would precede every live scan.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A failed write (a full disk, `| head` closing the pipe) reaches the command through the write's
// callback and ends as one line and exit 2 (see io.ts); the stream's error event must not also
// become an uncaught exception with a stack trace.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

process.exitCode = await main(process.argv.slice(2));
