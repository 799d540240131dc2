//go:build tools

// The Helm library Flux's helm-controller embeds at the Flux release
// functions/lib/pins.ts pins (flux 2.4.0 → helm-controller v1.1.0, whose go.mod
// requires helm.sh/helm/v3 v3.16.1): `helm template` with it renders a
// HelmRelease's chart the way helm-controller installs it.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
