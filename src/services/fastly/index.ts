export { Purge, type PurgeArgs } from "./resource";
