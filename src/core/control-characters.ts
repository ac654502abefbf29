/**
 * Control characters that would change what a terminal or log shows: C0 and C1 controls (line breaks,
 * ESC, which starts colour and cursor sequences), DEL, the Unicode line and paragraph separators, and
 * the bidirectional marks, embeddings, overrides and isolates, which reorder what follows them.
 */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROL_CHARACTERS = new RegExp(CONTROL_CHARACTER.source, "g");

/** `text` with each control character written as `\uXXXX`: for a line built from values a user gave (a project name). */
export function escapeControlCharacters(text: string): string {
    return text.replace(CONTROL_CHARACTERS, escapeControl);
}

function escapeControl(char: string): string {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
