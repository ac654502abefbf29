import * as pulumi from "@pulumi/pulumi";

/** What a resource registered: its type token, name and inputs, `__provider` among them. */
export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The serialized provider text the engine would store in state. */
    readonly provider: string;
}

/**
 * Builds resources under the SDK's mocks and returns what each registered, serialization included:
 * the real closure serializer runs, so `provider` is exactly the text a deployment would store.
 */
export async function register(build: () => void): Promise<Registration[]> {
    const registrations: Registration[] = [];
    await pulumi.runtime.setMocks({
        newResource(args) {
            const inputs = args.inputs as Record<string, unknown>;
            registrations.push({ type: args.type, name: args.name, inputs, provider: String(inputs.__provider ?? "") });
            return { id: `${args.name}-id`, state: inputs };
        },
        call() {
            return {};
        },
    }, "project", "stack", false);
    build();
    // Serialization is asynchronous; wait until every registration has happened.
    for (let i = 0; i < 200 && registrations.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 100));
    return registrations;
}

/** The `__provider` text of the one resource `build` creates. */
export async function serializedProvider(build: () => void): Promise<string> {
    const [first] = await register(build);
    if (!first) {
        throw new Error("the build function registered no resource");
    }
    return first.provider;
}
