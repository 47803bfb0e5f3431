/**
 * How errors cross the worker boundary.
 *
 * Comlink's default handler turns every thrown Error into a plain Error carrying message, name and stack.
 * This handler (installed on both sides) also carries the `code` of the core's errors, and rebuilds the
 * matching class of src/core/errors.ts on the page, so `e.name`, `e.code` and `instanceof` all behave as
 * if the core ran on the page. Messages never hold secret bytes (errors.ts guarantees it), so they may
 * travel; stacks stay in the worker.
 * @module
 */
import * as Comlink from 'comlink';
import {
  BadArgumentError,
  BadEncodingError,
  BadLengthError,
  BadScalarError,
  DtaError,
  InfinityError,
  NotInSubgroupError,
  NotOnCurveError,
  VerificationError,
} from '../core/errors.ts';

/** What a thrown value becomes on the wire: plain data that survives structured cloning. */
interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: number;
}

/** The classes that take a message only, by the `name` they set. */
const CLASSES: Readonly<Record<string, new (message: string) => DtaError>> = Object.freeze({
  BadEncodingError,
  BadLengthError,
  NotOnCurveError,
  NotInSubgroupError,
  InfinityError,
  BadScalarError,
  VerificationError,
  BadArgumentError,
});

/** Plain data for a thrown Error. */
function toWire(e: Error): WireError {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'number' ? { name: e.name, message: e.message, code } : { name: e.name, message: e.message };
}

/** The error object the page sees: the core's own class when the name is one of them. */
export function fromWire(w: WireError): Error {
  const Known = CLASSES[w.name];
  if (Known) return new Known(w.message);
  if (w.name === 'DtaError') return new DtaError(w.message, w.code ?? -1);
  const e = new Error(w.message);
  e.name = w.name;
  if (w.code !== undefined) Object.assign(e, { code: w.code });
  return e;
}

/**
 * Comlink's wire shape for a thrown value, kept as is so that a side still using Comlink's default handler
 * reads ours correctly (it copies every field of `value` onto a new Error, `code` included).
 */
type Wire =
  | { readonly isError: true; readonly value: WireError }
  | { readonly isError: false; readonly value: unknown };

/** Replaces Comlink's 'throw' transfer handler; the worker and the page both call it. */
export function installErrorTransfer(): void {
  const base = Comlink.transferHandlers.get('throw');
  if (!base) throw new Error('comlink has no throw handler to replace');
  Comlink.transferHandlers.set('throw', {
    canHandle: base.canHandle,
    // Comlink hands the handler { value: <what was thrown>, [marker] }.
    serialize: (thrown: unknown): [Wire, Transferable[]] => {
      const { value } = thrown as { value: unknown };
      return [value instanceof Error ? { isError: true, value: toWire(value) } : { isError: false, value }, []];
    },
    deserialize: (wire: unknown) => {
      const w = wire as Wire;
      throw w.isError ? fromWire(w.value) : w.value;
    },
  });
}
