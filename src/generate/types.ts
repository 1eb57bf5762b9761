/** One output file, path relative to the output directory (always `/`-separated). */
export interface GeneratedFile {
  path: string;
  content: string;
}

export const GENERATE_FORMATS = ['terraform', 'cloudformation', 'json'] as const;
export type GenerateFormat = (typeof GENERATE_FORMATS)[number];
