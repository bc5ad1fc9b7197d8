package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

type serverFiles struct {
	caCert, servingCert, servingKey, tokenFile, signingKey string
	// verifyingKeys are the public keys tokens are checked with: the signing key's and older ones.
	verifyingKeys []string
}

// apiServerArgs are kube-apiserver's own flags: everything else about the server is its defaults.
func apiServerArgs(o options, etcdURL string, port int, f serverFiles) []string {
	audiences := o.apiAudiences
	if len(audiences) == 0 {
		audiences = []string{o.issuers[0]}
	}
	args := []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--tls-cert-file=" + f.servingCert,
		"--tls-private-key-file=" + f.servingKey,
		"--client-ca-file=" + f.caCert,
		"--token-auth-file=" + f.tokenFile,
		"--authorization-mode=Node,RBAC",
		"--service-account-signing-key-file=" + f.signingKey,
		"--api-audiences=" + strings.Join(audiences, ","),
		"--service-account-max-token-expiration=" + (time.Duration(o.maxTokenExpirationSeconds) * time.Second).String(),
		"--service-account-extend-token-expiration=" + strconv.FormatBool(o.extendTokenExpiration),
		"--service-cluster-ip-range=10.96.0.0/16",
		"--profiling=false",
		// The "kubernetes" Service would need a routable address; nothing here reaches the API through it.
		"--endpoint-reconciler-type=none",
		"--v=" + strconv.Itoa(o.verbosity),
	}
	for _, key := range f.verifyingKeys {
		args = append(args, "--service-account-key-file="+key)
	}
	// The first issuer signs new tokens; every one listed is accepted.
	for _, iss := range o.issuers {
		args = append(args, "--service-account-issuer="+iss)
	}
	return args
}

// runAPIServer runs kube-apiserver's own command (production flag parsing, defaults and validation)
// in this process. Its error, if it stops, arrives on the returned channel.
func runAPIServer(args []string) <-chan error {
	done := make(chan error, 1)
	go func() {
		cmd := app.NewAPIServerCommand()
		cmd.SetArgs(args)
		done <- cmd.Execute()
	}()
	return done
}

func waitReady(ctx context.Context, cs kubernetes.Interface, stopped <-chan error, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case err := <-stopped:
			return fmt.Errorf("kube-apiserver stopped while starting: %v", err)
		default:
		}
		body, err := cs.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err == nil && string(body) == "ok" {
			return nil
		}
		last = err
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("kube-apiserver not ready after %s: %v", timeout, last)
}
