export { PurgeError } from "./purge-error";
export { HttpStatusError } from "./http-status-error";
export { NetworkError } from "./network-error";
export { MissingCredentialError, missingCredentialMessage } from "./missing-credential-error";
export { PartialPurgeError } from "./partial-purge-error";
export { DeadlineError } from "./deadline-error";
