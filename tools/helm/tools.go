//go:build tools

// Pins Helm: the `helm` CLI (helm.sh/helm/v4, cmd/helm at tag v4.3.2). v4.3.2 is
// the Helm ArgoCD v3.6.2 ships in its image (argo-cd hack/tool-versions.sh
// HELM_VERSION=4.3.2 at tag v3.6.2), so ArgoCD's repo-server on the local plane
// renders charts with the Helm a real install runs.
package tools

import _ "helm.sh/helm/v4/cmd/helm"
