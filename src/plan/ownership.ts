import type { RoleshiftConfig } from '../config.js';
import type { Tags, User } from '../model/snapshot.js';

const TEAM_TAG_KEYS = ['team', 'Team', 'squad', 'department'];

/** IAM tag values allow letters, digits, spaces and `_.:/=+-@`, up to 256 characters. */
export function tagValue(raw: string): string {
  const cleaned = raw.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]+/gu, '-').trim();
  return cleaned.slice(0, 256);
}

function firstTag(tags: Tags, keys: string[]): string | null {
  for (const key of keys) {
    const value = tags[key]?.trim();
    if (value) return value;
  }
  return null;
}

/**
 * Ownership tags for everything generated for a user: owner and team or cost centre from the
 * user's own tags, else the configured defaults, so every new role stays accountable.
 */
export function ownershipTags(user: User, config: RoleshiftConfig): Tags {
  const tags: Tags = {};
  for (const [key, value] of Object.entries(config.ownershipDefaults)) tags[key] = tagValue(value);
  const owner = firstTag(user.tags, config.classification.ownerTagKeys);
  if (owner) tags.owner = tagValue(owner);
  const team = firstTag(user.tags, TEAM_TAG_KEYS);
  if (team) tags.team = tagValue(team);
  const costCentre = firstTag(user.tags, ['cost-center', 'CostCenter', 'cost_center', 'cost-centre', 'cost_centre']);
  if (costCentre) tags['cost-center'] = tagValue(costCentre);
  tags['managed-by'] = 'roleshift';
  tags['roleshift:replaces'] = tagValue(user.arn);
  const sorted: Tags = {};
  for (const key of ownershipKeyOrder(config)) if (Object.hasOwn(tags, key)) sorted[key] = tags[key] as string;
  return sorted;
}

const OWN_KEYS = ['owner', 'team', 'cost-center', 'managed-by', 'roleshift:replaces'];
const keyOrders = new WeakMap<RoleshiftConfig['ownershipDefaults'], readonly string[]>();

/**
 * Every key `ownershipTags` can set under these defaults, sorted once: each user's tags are then
 * copied in that order instead of sorted as pairs, for every user of the estate.
 */
function ownershipKeyOrder(config: RoleshiftConfig): readonly string[] {
  const defaults = config.ownershipDefaults;
  let order = keyOrders.get(defaults);
  if (order === undefined) {
    order = [...new Set([...Object.keys(defaults), ...OWN_KEYS])].sort();
    keyOrders.set(defaults, order);
  }
  return order;
}
