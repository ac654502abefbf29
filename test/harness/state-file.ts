import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "crypto";
import * as fs from "fs";
import type { Props } from "./sdk";

/** One resource as the test engine records it, with secrets in plaintext (in memory only). */
export interface ResourceState {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly id: string;
    readonly inputs: Props;
    readonly outputs: Props;
    /** Top-level keys that are secret, in inputs and outputs alike. */
    readonly secretKeys: readonly string[];
}

const CIPHER_KEY = "ciphertext";
const derivedKeys = new Map<string, Buffer>();
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * A state file kept as the Pulumi engine keeps one: secret values encrypted with a key derived from the
 * stack's passphrase, under the same signature the engine uses. Tests search this file for canaries.
 */
export class StateFile {
    constructor(readonly path: string, private readonly passphrase = "pulumi-cache-purge-tests") {}

    read(): ResourceState[] {
        if (!fs.existsSync(this.path)) {
            return [];
        }
        const file = JSON.parse(fs.readFileSync(this.path, "utf8")) as { resources: Array<ResourceState> };
        return file.resources.map((r) => ({
            ...r,
            inputs: this.decryptProps(r.inputs),
            outputs: this.decryptProps(r.outputs),
        }));
    }

    write(resources: readonly ResourceState[]): void {
        const file = {
            version: 3,
            secretsProvider: "passphrase",
            resources: resources.map((r) => ({
                ...r,
                inputs: this.encryptProps(r.inputs, r.secretKeys),
                outputs: this.encryptProps(r.outputs, r.secretKeys),
            })),
        };
        fs.writeFileSync(this.path, JSON.stringify(file, null, 2));
    }

    /** The raw text of the file, as it sits on disk. */
    text(): string {
        return fs.existsSync(this.path) ? fs.readFileSync(this.path, "utf8") : "";
    }

    /** Derived once per passphrase: scrypt is slow by design (about 50 ms), and a state holds many secrets. */
    private key(): Buffer {
        let key = derivedKeys.get(this.passphrase);
        if (key === undefined) {
            key = scryptSync(this.passphrase, "pulumi-cache-purge-state", 32);
            derivedKeys.set(this.passphrase, key);
        }
        return key;
    }

    private encryptProps(props: Props, secretKeys: readonly string[]): Props {
        const out: Props = {};
        for (const [k, v] of Object.entries(props)) {
            out[k] = secretKeys.includes(k) ? { [SECRET_SIG_KEY]: SECRET_SIG, [CIPHER_KEY]: this.encrypt(JSON.stringify(v ?? null)) } : v;
        }
        return out;
    }

    private decryptProps(props: Props): Props {
        const out: Props = {};
        for (const [k, v] of Object.entries(props)) {
            const sealed = v as Props | null;
            out[k] = sealed && typeof sealed === "object" && sealed[SECRET_SIG_KEY] === SECRET_SIG
                ? JSON.parse(this.decrypt(String(sealed[CIPHER_KEY])))
                : v;
        }
        return out;
    }

    private encrypt(text: string): string {
        const iv = randomBytes(12);
        const cipher = createCipheriv("aes-256-gcm", this.key(), iv);
        const sealed = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
        return [iv, cipher.getAuthTag(), sealed].map((b) => b.toString("base64")).join(":");
    }

    private decrypt(text: string): string {
        const [iv, tag, sealed] = text.split(":").map((p) => Buffer.from(p, "base64"));
        const decipher = createDecipheriv("aes-256-gcm", this.key(), iv);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(sealed), decipher.final()]).toString("utf8");
    }
}
