module platform-definitions/tools/registry

go 1.25.9

require github.com/google/go-containerregistry v0.20.7
