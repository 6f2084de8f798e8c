export * from './events.ts';
export * from './node24.ts';
export * from './run-action.ts';
export * from './s3-server.ts';
