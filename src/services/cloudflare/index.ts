export { ZonePurge, type ZonePurgeArgs } from "./resource";
