//go:build tools

// Pins kwok (sigs.k8s.io/kwok, cmd/kwok at tag v0.8.0): simulated Nodes and
// Pods for the local control plane, and Stages that stand in for controllers
// that cannot run here. It builds without replace directives.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
