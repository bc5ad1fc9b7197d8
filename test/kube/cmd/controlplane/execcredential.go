package main

import (
	"encoding/json"
	"os"
	"time"
)

// execCredential is the exec plugin of the sandbox-exec context: `controlplane exec-credential TOKEN`.
func execCredential(token string) {
	out := map[string]any{
		"apiVersion": "client.authentication.k8s.io/v1",
		"kind":       "ExecCredential",
		"status": map[string]any{
			"token":               token,
			"expirationTimestamp": time.Now().Add(time.Hour).UTC().Format(time.RFC3339),
		},
	}
	must(json.NewEncoder(os.Stdout).Encode(out))
}
