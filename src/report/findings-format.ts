/**
 * One entry point for every findings format, so `roleshift findings` and `roleshift lint` print
 * the same Finding the same way. Pure: returns the text.
 */
import type { Finding } from '../model/finding.js';
import type { RuleMetadata } from '../model/rule.js';
import { renderFindingsAsff, type AsffOptions } from './asff.js';
import { renderFindingsCsv } from './csv.js';
import { countFindings, sortFindings } from './findings-common.js';
import { renderFindingsTable } from './findings-table.js';
import { renderFindingsMarkdown } from './markdown.js';
import { renderFindingsOcsf, type OcsfOptions } from './ocsf.js';
import { renderFindingsSarif } from './sarif.js';

/** The formats of findings about files and estates alike (`roleshift lint`). */
export const FINDINGS_FORMATS = ['table', 'json', 'sarif', 'csv', 'md'] as const;
/** `roleshift findings` adds Security Hub's format and OCSF, which need an account for every finding. */
export const ESTATE_FINDINGS_FORMATS = [...FINDINGS_FORMATS, 'asff', 'ocsf'] as const;
export type FindingsFormat = (typeof ESTATE_FINDINGS_FORMATS)[number];

export interface RenderFindingsOptions {
  toolVersion: string;
  /** Colour for the table (from Io). */
  color?: boolean;
  /** Rule metadata of every check that ran (SARIF lists them all). */
  rules?: readonly RuleMetadata[];
  /** SARIF: anchor cloud findings to this file (e.g. the snapshot). */
  artifactUri?: string;
  /** Markdown heading. */
  title?: string;
  /** ASFF: the clock, the Security Hub region and the account findings are imported into. */
  asff?: Omit<AsffOptions, 'toolVersion'>;
  /** OCSF: the clock, the region, the account findings tied to none are filed under, the Organization. */
  ocsf?: Omit<OcsfOptions, 'toolVersion'>;
}

export function renderFindings(
  findings: readonly Finding[],
  format: FindingsFormat,
  options: RenderFindingsOptions,
): string {
  switch (format) {
    case 'table':
      return `${renderFindingsTable(findings, { color: options.color ?? false })}\n`;
    case 'json':
      return `${JSON.stringify({ toolVersion: options.toolVersion, summary: countFindings(findings), findings: sortFindings(findings) }, null, 2)}\n`;
    case 'sarif':
      return renderFindingsSarif(findings, {
        toolVersion: options.toolVersion,
        ...(options.rules ? { rules: options.rules } : {}),
        ...(options.artifactUri !== undefined ? { artifactUri: options.artifactUri } : {}),
      });
    case 'csv':
      return renderFindingsCsv(findings);
    case 'md':
      return renderFindingsMarkdown(findings, options.title !== undefined ? { title: options.title } : {});
    case 'asff':
      if (!options.asff) throw new Error('ASFF needs the run clock, a region and the importing account');
      return renderFindingsAsff(findings, { toolVersion: options.toolVersion, ...options.asff });
    case 'ocsf':
      if (!options.ocsf) throw new Error('OCSF needs the run clock, a region and the home account');
      return renderFindingsOcsf(findings, { toolVersion: options.toolVersion, ...options.ocsf });
  }
}
