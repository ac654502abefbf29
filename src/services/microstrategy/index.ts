// Placeholder until the microstrategy service lands; owned by its issue.
export {};
