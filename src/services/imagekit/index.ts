export { UrlPurge, type UrlPurgeArgs } from "./resource";
