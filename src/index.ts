/**
 * pulumi-cache-purge: declare cache purges next to the infrastructure that makes them necessary.
 * One namespace per service, plus the hash helpers that drive triggers.
 */
export * as flextype from "./services/flextype";
export * as codemagic from "./services/codemagic";
export * as microstrategy from "./services/microstrategy";
export * as buddy from "./services/buddy";
export * as imagekit from "./services/imagekit";
export * as cloudfront from "./services/cloudfront";
export * as http from "./services/http";
export * as cloudflare from "./services/cloudflare";
export * as fastly from "./services/fastly";
export { hashFiles, type HashFilesOptions, type HashUrlsOptions } from "./core/hash";
export type { CommonPurgeArgs } from "./core/args";
export type { PurgeReceipt, ReceiptReason } from "./core/receipt";
export type { Completion } from "./core/outcome";
