export { Purge, type PurgeArgs, type PurgeRequestArgs, type PurgeBatchArgs, type PurgeSuccessArgs, type PurgeWaitArgs } from "./resource";
