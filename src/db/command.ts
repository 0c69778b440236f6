/** A failure of a command to report as is, without a stack (the runner is src/cli/command.ts). */
export class CommandError extends Error {}
