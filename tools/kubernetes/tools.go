//go:build tools

// Pins kube-apiserver, kube-controller-manager and kubectl for the local
// control plane (`make e2e-local`) and the tests that drive it.
// k8s.io/kubernetes' own go.mod points every k8s.io/* staging module at
// ./staging, which a module download does not have; go.mod here replaces each
// with the published v0.35.4 of the same release (list: k8s.io/kubernetes
// v1.35.4 go.mod, the `=> ./staging/...` block). kubectl's main package is
// cmd/kubectl of k8s.io/kubernetes v1.35.4 (its code in the staging module
// k8s.io/kubectl, replaced like the others).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
