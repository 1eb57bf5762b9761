import { writeReportClientModule } from '../../scripts/build-report-client.js';

/**
 * html.ts inlines the page's script from a module generated from src/report/client: regenerate it
 * before any test imports html.ts, so a test never runs an older script than the source.
 */
export default async function setup(): Promise<void> {
  await writeReportClientModule();
}
