import type { ApiError, ErrorCode } from "../bindings";

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: ApiError };

/** An error from a backend command, carrying its stable code. */
export class CommandError extends Error {
  readonly code: ErrorCode;

  constructor(error: ApiError) {
    super(error.message);
    this.name = "CommandError";
    this.code = error.code;
  }
}

/** Turns a generated binding's result into data, or throws a `CommandError` for TanStack Query. */
export async function unwrap<T>(result: Promise<CommandResult<T>>): Promise<T> {
  const outcome = await result;
  if (outcome.status === "error") throw new CommandError(outcome.error);
  return outcome.data;
}
