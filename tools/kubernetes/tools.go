//go:build tools

// Pins kube-apiserver and kube-controller-manager for the local control plane
// (`make e2e-local`). k8s.io/kubernetes' own go.mod points every k8s.io/*
// staging module at ./staging, which a module download does not have; go.mod
// here replaces each with the published v0.35.4 of the same release
// (list: k8s.io/kubernetes v1.35.4 go.mod, the `=> ./staging/...` block).
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
