import { spawnSync } from 'node:child_process';

/** Kept free of vitest imports: global-setup runs outside the test workers. */
export const MOTO_AVAILABLE = spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
