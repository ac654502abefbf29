export { Invalidation, type InvalidationArgs } from "./resource";
