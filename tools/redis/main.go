// An in-memory Redis on loopback for ArgoCD on the local control plane
// (`make e2e-local`): github.com/alicebob/miniredis/v2, a Redis server in Go
// that speaks RESP and implements the commands ArgoCD's cache uses (GET, SET
// with expiry, DEL, pub/sub).
//
// Usage: redis ADDR (e.g. 127.0.0.1:0). Prints "listening on HOST:PORT" once
// it accepts connections; runs until killed.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/alicebob/miniredis/v2"
)

func main() {
	addr := "127.0.0.1:0"
	if len(os.Args) > 1 {
		addr = os.Args[1]
	}
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr(addr); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", m.Addr())
	select {}
}
