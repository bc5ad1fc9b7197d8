package main

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/go-jose/go-jose.v2/jwt"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/kubernetes/pkg/apis/core"
	sa "k8s.io/kubernetes/pkg/serviceaccount"
	"sigs.k8s.io/yaml"
)

// contexts has the sandbox's context names, so a test switches servers by switching kubeconfig.
var contexts = map[string]string{
	"admin":       "sandbox-admin",
	"limited":     "sandbox-limited",
	"exec":        "sandbox-exec",
	"unreachable": "sandbox-unreachable",
	"expired":     "sandbox-expired",
	"insecure":    "sandbox-insecure",
	// Only the real control plane has it: a kubelet's identity, for the Node authorizer.
	"node": "kube-node",
}

type kubeconfigInput struct {
	dir, url, unreachableURL string
	ca, admin                certKey
	users                    testUsers
	expiredToken             string
	self                     string
}

func writeKubeconfig(i kubeconfigInput) string {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["sandbox"] = &clientcmdapi.Cluster{Server: i.url, CertificateAuthorityData: i.ca.CertPEM}
	cfg.Clusters["sandbox-insecure"] = &clientcmdapi.Cluster{Server: i.url, InsecureSkipTLSVerify: true}
	cfg.Clusters["sandbox-unreachable"] = &clientcmdapi.Cluster{Server: i.unreachableURL, CertificateAuthorityData: i.ca.CertPEM}
	cfg.AuthInfos["sandbox-admin"] = &clientcmdapi.AuthInfo{ClientCertificateData: i.admin.CertPEM, ClientKeyData: i.admin.KeyPEM}
	cfg.AuthInfos["jane"] = &clientcmdapi.AuthInfo{Token: i.users.limited.token}
	cfg.AuthInfos["sandbox-exec"] = &clientcmdapi.AuthInfo{Exec: &clientcmdapi.ExecConfig{
		APIVersion:      "client.authentication.k8s.io/v1",
		Command:         i.self,
		Args:            []string{"exec-credential", i.users.exec.token},
		InteractiveMode: clientcmdapi.NeverExecInteractiveMode,
	}}
	cfg.AuthInfos["expired"] = &clientcmdapi.AuthInfo{Token: i.expiredToken}
	cfg.AuthInfos["node-worker-1"] = &clientcmdapi.AuthInfo{Token: i.users.node.token}
	ctx := func(cluster, user, namespace string) *clientcmdapi.Context {
		return &clientcmdapi.Context{Cluster: cluster, AuthInfo: user, Namespace: namespace}
	}
	cfg.Contexts[contexts["admin"]] = ctx("sandbox", "sandbox-admin", "")
	cfg.Contexts[contexts["limited"]] = ctx("sandbox", "jane", "build")
	cfg.Contexts[contexts["exec"]] = ctx("sandbox", "sandbox-exec", "")
	cfg.Contexts[contexts["unreachable"]] = ctx("sandbox-unreachable", "sandbox-admin", "")
	cfg.Contexts[contexts["expired"]] = ctx("sandbox", "expired", "")
	cfg.Contexts[contexts["insecure"]] = ctx("sandbox-insecure", "sandbox-admin", "")
	cfg.Contexts[contexts["node"]] = ctx("sandbox", "node-worker-1", "")
	cfg.CurrentContext = contexts["admin"]
	// Written as JSON, like the sandbox's (JSON is YAML): tests read either without a YAML parser.
	yamlBytes, err := clientcmd.Write(*cfg)
	must(err)
	jsonBytes, err := yaml.YAMLToJSON(yamlBytes)
	must(err)
	var out bytes.Buffer
	must(json.Indent(&out, jsonBytes, "", "  "))
	path := filepath.Join(i.dir, "kubeconfig")
	must(os.WriteFile(path, append(out.Bytes(), '\n'), 0o600))
	return path
}

// expiredToken signs, with the cluster's own key, a token for default/default that expired yesterday.
func expiredToken(ctx context.Context, key *rsa.PrivateKey, issuer string, audiences []string, uid types.UID) (string, error) {
	account := core.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: "default", UID: uid}}
	claims, private, err := sa.Claims(account, nil, nil, nil, nil, nil, 3600, 0, audiences, nil)
	if err != nil {
		return "", err
	}
	expired := time.Now().Add(-24 * time.Hour)
	claims.IssuedAt = jwt.NewNumericDate(expired.Add(-time.Hour))
	claims.NotBefore = claims.IssuedAt
	claims.Expiry = jwt.NewNumericDate(expired)
	generator, err := sa.JWTTokenGenerator(issuer, key)
	if err != nil {
		return "", fmt.Errorf("token generator: %w", err)
	}
	return generator.GenerateToken(ctx, claims, private)
}
