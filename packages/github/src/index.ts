export { type ClientOptions, createClient, type GitHubClient } from './client.ts';
