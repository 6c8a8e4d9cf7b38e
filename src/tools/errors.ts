/** A failure the tool explains itself: returned to the client as an isError result. */
export class ToolError extends Error {
  override name = "ToolError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
