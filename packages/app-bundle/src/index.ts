export * from './bundle-app';
