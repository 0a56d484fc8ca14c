// Writes schema/theguard.schema.json from the zod schema (run by `npm run build`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/index.js';

const schema = {
  ...configJsonSchema(),
  title: 'theguard configuration',
};
mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
writeFileSync(new URL('../schema/theguard.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
