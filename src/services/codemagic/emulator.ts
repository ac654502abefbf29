// Placeholder until the codemagic service lands; owned by its issue.
export {};
