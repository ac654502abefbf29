export { PipelineCachePurge, type PipelineCachePurgeArgs } from "./resource";
