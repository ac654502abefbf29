// Placeholder until the buddy service lands; owned by its issue.
export {};
