/**
 * `target[key] = value`, except that a key `__proto__` (user input that check refuses with a message, and
 * a copy must keep to show it) stays an own property instead of replacing the object's prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
    if (key === "__proto__") {
        Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
        target[key] = value;
    }
}
