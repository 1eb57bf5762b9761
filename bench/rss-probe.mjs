// Loaded with `node --import` into a benchmarked child: writes the process's peak RSS (KiB) to
// ROLESHIFT_BENCH_RSS_FILE when it exits, however it exits.
import { writeFileSync } from 'node:fs';

const target = process.env.ROLESHIFT_BENCH_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
