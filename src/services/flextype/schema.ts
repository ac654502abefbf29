import { z } from "../../core/zod";
import { baseUrlSchema, type CommonInputs } from "../../core/inputs";

/** Flextype's inputs as the provider sees them after `check`. */
export interface FlextypeInputs extends CommonInputs {
    /** The site root (with Flextype's `base_path`, if the site has one), canonical form. */
    readonly baseUrl: string;
    readonly token?: string;
    readonly accessToken?: string;
}

/** A token is sent as a JSON string; blanks inside it can only be a copy-and-paste mistake. */
function tokenSchema() {
    return z.string().min(1).refine((s) => !/\s/.test(s), { message: "must not contain spaces or line breaks" }).optional();
}

export function flextypeInputShape() {
    return {
        baseUrl: baseUrlSchema(),
        token: tokenSchema(),
        accessToken: tokenSchema(),
    };
}
