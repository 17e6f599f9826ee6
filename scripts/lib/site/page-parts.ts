// Parts of the page model kept between models by what they are made of: a part made of equal inputs is the part made before.

/**
 * Whether two values of page data are equal, value for value: then they serialise alike, and so
 * have one digest. A value that stands for its digest (a comment, see SiteComment) is equal to
 * one of its kind standing for the same digest.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(a) as unknown;
  if (prototype !== Object.getPrototypeOf(b)) return false;
  const standsFor = (a as { toJSON?: () => unknown }).toJSON;
  if (typeof standsFor === "function") return standsFor.call(a) === (b as { toJSON: () => unknown }).toJSON();
  // A Map, a Set or any other kind of object is equal to itself alone: its keys do not show what it holds.
  if (prototype !== Object.prototype && prototype !== null) return false;
  const keys = Object.keys(a);
  const others = Object.keys(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== others[i] || !sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

interface Part {
  make: unknown;
  inputs: readonly unknown[];
  made: unknown;
  /** The model that asked for it last (see settle). */
  model: number;
}

/**
 * The parts of the last model, by key: a part asked for again with inputs equal to those it was
 * made of (see sameData) is given back as it was, so the next plan finds its pages' data the same
 * at a glance (see PageDigests). A part's maker is a function of its inputs alone: whatever it
 * shows must come in through them. A dev server keeps one for its rebuilds.
 */
export class PageParts {
  readonly #parts = new Map<string, Part>();
  #model = 0;

  /** `make(...inputs)`, or what it gave last time for `key` when `make` and `inputs` are the same. */
  part<I extends readonly unknown[], R>(key: string, make: (...inputs: I) => R, ...inputs: I): R {
    const known = this.#parts.get(key);
    if (known === undefined) {
      const made = make(...inputs);
      this.#parts.set(key, { make, inputs, made, model: this.#model });
      return made;
    }
    if (known.make !== make || !sameData(known.inputs, inputs)) {
      known.make = make;
      known.made = make(...inputs);
    }
    // The new inputs, equal or not: they are what the next model's inputs are compared with.
    known.inputs = inputs;
    known.model = this.#model;
    return known.made as R;
  }

  /** The model is made: parts it did not ask for are forgotten. */
  settle(): void {
    for (const [key, part] of this.#parts) if (part.model !== this.#model) this.#parts.delete(key);
    this.#model += 1;
  }
}

/** What a model is made through: kept parts (PageParts) or fresh ones (FRESH_PARTS). */
export type Parts = Pick<PageParts, "part" | "settle">;

/** Makes each part afresh: a model made once (a build) has nothing to reuse. */
export const FRESH_PARTS = {
  part: <I extends readonly unknown[], R>(_key: string, make: (...inputs: I) => R, ...inputs: I): R => make(...inputs),
  settle: (): void => {},
} satisfies Parts;
