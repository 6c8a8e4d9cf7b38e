// The shapes of the format table: a named format is either a verifier of one value or a
// property string (`key=value,...`) whose keys are declared like schema properties.

/** Checks one value; returns the text PVE's verifier dies with (ending in "\n"), or undefined. */
export type Verifier = (value: string) => string | undefined;

/** One key of a property string, as in the schema's `format` objects. */
export interface KeySpec {
  type?: "string" | "integer" | "number" | "boolean";
  /** Keys are required unless optional, as in the schema. */
  optional?: boolean;
  /** The key a bare value (without `key=`) belongs to. */
  defaultKey?: boolean;
  /** `volume=` is another name for `file=`. */
  alias?: string;
  /** With alias: the key that records which alias was used (`virtio=MAC` sets model=virtio). */
  keyAlias?: string;
  enum?: readonly string[];
  /** A named format of the value (a scalar one). */
  format?: string;
  /** Anchored like PVE's `m/^$pattern$/`. */
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** Another key that must be set when this one is. */
  requires?: string;
}

export interface PropertyFormat {
  keys: Record<string, KeySpec>;
  /** A validator attached to the named format: checks across keys after the keys pass. */
  validate?: (value: Record<string, string>) => string | undefined;
}

export type FormatEntry = Verifier | PropertyFormat;

// Short constructors for the tables.
export const bool = (more: KeySpec = {}): KeySpec => ({ type: "boolean", optional: true, ...more });
export const int = (minimum?: number, maximum?: number, more: KeySpec = {}): KeySpec => ({
  type: "integer",
  optional: true,
  ...(minimum !== undefined ? { minimum } : {}),
  ...(maximum !== undefined ? { maximum } : {}),
  ...more,
});
export const num = (minimum?: number, maximum?: number): KeySpec => ({
  type: "number",
  optional: true,
  ...(minimum !== undefined ? { minimum } : {}),
  ...(maximum !== undefined ? { maximum } : {}),
});
export const str = (more: KeySpec = {}): KeySpec => ({ type: "string", optional: true, ...more });
export const oneOf = (values: readonly string[], more: KeySpec = {}): KeySpec => ({
  type: "string",
  optional: true,
  enum: values,
  ...more,
});
export const required = (spec: KeySpec): KeySpec => ({ ...spec, optional: false });
