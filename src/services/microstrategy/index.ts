export { CachePurge, type CachePurgeArgs } from "./resource";
