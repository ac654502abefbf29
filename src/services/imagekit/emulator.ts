// Placeholder until the imagekit service lands; owned by its issue.
export {};
