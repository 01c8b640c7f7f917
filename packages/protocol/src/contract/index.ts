// Client ⇄ BFF contract. Browser-safe: zod only, no node:* imports.
export * from './catalog';
export * from './error-body';
export * from './money';
export * from './order';
export * from './quote';
export * from './session';
export * from './subsidy';
export * from './routes';
export * from './admin';
export * from './shipping';
export * from './admin-shipping';
