//go:build tools

// Pins etcd for the local control plane (`make e2e-local`): the server module's
// main package (go.etcd.io/etcd/server/v3, server/main.go at tag v3.6.16).
package tools

import _ "go.etcd.io/etcd/server/v3"
