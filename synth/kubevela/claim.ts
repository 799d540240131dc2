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
 * customStatus for a claim, right in every state it passes through: new (no
 * conditions: waiting), failing to compose (`Synced` "False": Crossplane's
 * message, which carries the function's fatal result), not ready with the
 * claim's own `status.message` (what the function says is missing, e.g.
 * "waiting for: postgres, kafka; lenses needs spec.lenses.licenseSecretRef"),
 * which says more than Crossplane's generic `Ready` "False" message ("Claim is
 * waiting for composite resource to become Ready", shown only without one),
 * Ready before the function has written its status fields (`{kind} ready`),
 * and Ready with them (`readyMessage`). `readyMessage` is a CUE string
 * expression that may read `_status`; `fieldsPresent` is a CUE condition on
 * `_status` that every field it reads exists. The first applicable entry of
 * the list is the message, and an entry whose condition is false is never
 * evaluated (CUE's `&&` evaluates both sides, so a guard written with it would
 * still read an absent field).
 */
export function claimCustomStatus(fieldsPresent: string, readyMessage: string, kind = 'claim'): string {
  return `${PRELUDE}message: [
	for c in _conditions if c.type == "Synced" && c.status == "False" && c.message != _|_ {"not synced: " + c.message},
	if !_ready if (_status.message & string) != _|_ if _status.message != "" {_status.message},
	for c in _conditions if c.type == "Ready" && c.status == "False" && c.message != _|_ {"not ready: " + c.message},
	if _ready if ${fieldsPresent} {${readyMessage}},
	if _ready {"${kind} ready"},
	"waiting for the ${kind} to become Ready",
][0]
`;
}
