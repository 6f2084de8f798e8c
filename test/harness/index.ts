export * from './events.ts';
export * from './github-double/index.ts';
export * from './node24.ts';
export * from './run-action.ts';
export * from './s3-server.ts';
