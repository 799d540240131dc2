//go:build tools

// Pins the argocd binary (github.com/argoproj/argo-cd/v3/cmd) for the local
// control plane's GitOps loop (`make e2e-local`).
package tools

import _ "github.com/argoproj/argo-cd/v3/cmd"
