/**
 * `pulumi-cache-purge/testing`: local emulators of the services' cache-clear APIs, for offline runs of
 * your own stacks and tests. Each listens on 127.0.0.1 and a free port; point the resource's `baseUrl`
 * at `emulator.baseUrl`.
 */
export { Emulator, type EmulatorAnswer, frontDoor, proxyErrorPage, SSO_LOGIN_PAGE, type Fault, type RecordedRequest, type RateLimitConfig, type RateWindow } from "./testing/emulator";
export { FlextypeEmulator, type FlextypeToken } from "./services/flextype/emulator";
export * from "./services/codemagic/emulator";
export * from "./services/microstrategy/emulator";
export * from "./services/buddy/emulator";
export * from "./services/imagekit/emulator";
export * from "./services/cloudfront/emulator";
export { HttpEmulator, type Answer as HttpEmulatorAnswer } from "./services/http/emulator";
export * from "./services/cloudflare/emulator";
export * from "./services/fastly/emulator";
