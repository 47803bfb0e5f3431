/**
 * The error a plugin throws to refuse a request with a 4xx (any Error with
 * a string `code` and a numeric `status` works the same way; see
 * plugins/types.ts).
 * @module
 */
export class PluginError extends Error {
  override name = 'PluginError';
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}
