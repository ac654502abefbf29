/** What the plugin knows of one resource type, read from its TypeScript class (see scripts/plugin-schema). */
export interface PluginResourceKind {
    /** The service's name in src/services/registry.ts. */
    readonly service: string;
    /** Inputs secret in the stored inputs and outputs whether or not the program sent a secret: credentials, and the HTTP resource's `secretHeaders`. */
    readonly secretInputs: readonly string[];
    readonly bulkInputs: readonly string[];
    /** Inputs that give each target its own trigger (see PurgeResourceKind.targetInputs). */
    readonly targetInputs: readonly string[];
}
