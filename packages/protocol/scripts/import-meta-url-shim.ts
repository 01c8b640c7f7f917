import { pathToFileURL } from 'node:url';

// CommonJS has no import.meta: the build replaces import.meta.url with this in the .cjs files
// (devMerchant reads its PEM files relative to its own module).
export const importMetaUrl: string = pathToFileURL(__filename).href;
