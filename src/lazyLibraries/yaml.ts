/** js-yaml for the extension bundle, bundled apart as dist/yaml.js (see yamlOnFirstUse.ts). */
export { dump } from 'js-yaml';
