/**
 * pulumi-cache-purge: declare cache purges next to the infrastructure that makes them necessary.
 * One namespace per service.
 */
export * as flextype from "./services/flextype";
export type { CommonPurgeArgs } from "./core/args";
export type { PurgeReceipt } from "./core/receipt";
