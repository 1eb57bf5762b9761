/** `export-script`: the AWS CLI commands that write every file a live scan reads, for `scan --from`. */
import { renderExportScript, type ExportScriptOptions } from '../collect/export-script.js';

export type { ExportScriptOptions };

export function exportScript(options: ExportScriptOptions): string {
  return renderExportScript(options);
}
