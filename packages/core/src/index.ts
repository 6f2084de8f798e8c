export { isUserError, UserError } from './user-error.ts';
