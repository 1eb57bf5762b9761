/**
 * Three-valued logic for questions a scan cannot always settle: `yes`, `no`, or `maybe` when the
 * answer depends on something only the request will carry (a source IP, MFA, a tag on a
 * resource the snapshot does not hold). `maybe` is never rounded to either side.
 */
export type Tri = 'yes' | 'no' | 'maybe';

/** Every part must hold: one `no` decides, otherwise one `maybe` keeps it open. */
export function allOf(values: Iterable<Tri>): Tri {
  let result: Tri = 'yes';
  for (const value of values) {
    if (value === 'no') return 'no';
    if (value === 'maybe') result = 'maybe';
  }
  return result;
}

/** One part is enough: one `yes` decides, otherwise one `maybe` keeps it open. */
export function anyOf(values: Iterable<Tri>): Tri {
  let result: Tri = 'no';
  for (const value of values) {
    if (value === 'yes') return 'yes';
    if (value === 'maybe') result = 'maybe';
  }
  return result;
}

export function fromBoolean(value: boolean): Tri {
  return value ? 'yes' : 'no';
}

/** The same answer in every case considered, or `maybe` when the cases disagree. */
export function agreed(values: readonly Tri[]): Tri {
  const [first] = values;
  if (first === undefined) return 'maybe';
  return values.every((value) => value === first) ? first : 'maybe';
}
