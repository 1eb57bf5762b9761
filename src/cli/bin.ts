#!/usr/bin/env node
import { main } from './main.js';

// The SDK's notice about its own future Node requirement is addressed to roleshift's
// maintainers (who pin the SDK), not to someone running a scan; it would precede every live scan.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `roleshift findings | head` closes the pipe early: that is the reader being done, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await main(process.argv.slice(2));
