/**
 * Base of every error this package throws on purpose. Its message stands alone: the provider host sends
 * only the message to the Pulumi CLI, so it names the service, what failed and what to do.
 */
export class PurgeError extends Error {
    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = new.target.name;
    }
}
