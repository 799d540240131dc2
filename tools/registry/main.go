// An in-memory OCI registry on loopback for the local control plane
// (`make e2e-local`): the harness pushes the function packages here and an
// ImageConfig points Crossplane at it. go-containerregistry treats
// localhost:PORT as plain HTTP, so no certificate is needed.
//
// Usage: registry ADDR (e.g. 127.0.0.1:0). Prints "listening on HOST:PORT"
// once it accepts connections.
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := "127.0.0.1:0"
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", l.Addr())
	srv := &http.Server{Handler: registry.New(registry.Logger(log.New(os.Stderr, "", log.LstdFlags)))}
	log.Fatal(srv.Serve(l))
}
