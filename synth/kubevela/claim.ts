/**
 * The health and status convention every claim-emitting KubeVela definition
 * shares: healthy only once the claim reports a `Ready` condition that is
 * "True" (a new claim has no conditions yet, so absence means not healthy),
 * and a status message built from the claim's own status fields.
 */

/**
 * Binds `_status` (the object's status or {}) and `_ready` (a `Ready`
 * condition with status "True") for `object`, a CUE reference such as
 * `context.output`. Claims and Knative Services both report readiness so.
 */
export function readyPrelude(object = 'context.output'): string {
  return `_status: *{} | {...}
if ${object}.status != _|_ {
	_status: ${object}.status
}
_conditions: *[] | [...]
if _status.conditions != _|_ {
	_conditions: _status.conditions
}
_ready: len([for c in _conditions if c.type == "Ready" && c.status == "True" {c}]) > 0
`;
}

const PRELUDE = readyPrelude();

export const CLAIM_HEALTH_POLICY = `${PRELUDE}isHealth: _ready
`;

/**
 * customStatus for a claim. `readyMessage` is a CUE string expression that
 * may read `_status`; it is guarded by `readyWhen`, a CUE condition on
 * `_status` that says the fields it reads are present.
 */
export function claimCustomStatus(readyWhen: string, readyMessage: string): string {
  return `${PRELUDE}_reason: *"waiting for the claim to become Ready" | string
for c in _conditions if c.type == "Synced" && c.status == "False" && c.message != _|_ {
	_reason: "not synced: " + c.message
}
message: *_reason | string
if ${readyWhen} {
	message: ${readyMessage}
}
`;
}
