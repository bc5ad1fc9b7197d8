import { dump } from 'js-yaml';

/**
 * An API object as YAML in kubectl's `-o yaml` layout: two-space maps, list items at the parent key's
 * indentation, double quotes where a string would otherwise read as another type (YAML 1.1 included:
 * `yes`, `on`, timestamps), multi-line strings as `|` blocks, no line folding.
 */
export function toYaml(value: unknown): string {
  return dump(value, { seqNoIndent: true, lineWidth: -1, quoteStyle: 'double' });
}
