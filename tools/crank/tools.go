//go:build tools

// Pins the Crossplane CLI (crank) the conformance tests run. Built with
// `make tools`. Why a module rather than `go install …@version`: the module
// proxy reachable here refuses the version listing of github.com/crossplane/*,
// which `go install pkg@version` always reads; a go.mod with go.sum needs only
// the pinned versions.
package tools

import _ "github.com/crossplane/crossplane/v2/cmd/crank"
